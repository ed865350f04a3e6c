package continuo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KernelsTest {
  @Test
  void dropoutMasksOfNeighbouringRowsAreIndependentNotShiftedCopies() {
    int rows = 2000;
    int cols = 64;
    double p = 0.5;
    INDArray in = Nd4j.ones(DataType.FLOAT, rows, cols);
    INDArray out = Nd4j.create(DataType.FLOAT, rows, cols);
    INDArray mask = Nd4j.create(DataType.FLOAT, rows, cols);
    Kernels.dropout(new Floats(in), new Floats(out), new Floats(mask), cols, p, 12345L, 0, rows);
    float[] m = mask.data().asFloat();
    int dropped = 0;
    int sameAsShifted = 0;
    int sameAsBelow = 0;
    int pairs = 0;
    for (int r = 0; r + 1 < rows; r++) {
      for (int j = 0; j + 1 < cols; j++) {
        sameAsShifted += m[(r + 1) * cols + j] == m[r * cols + j + 1] ? 1 : 0;
        sameAsBelow += m[(r + 1) * cols + j] == m[r * cols + j] ? 1 : 0;
        pairs++;
      }
    }
    for (float x : m) {
      assertTrue(x == 0f || x == 2f, "mask value " + x);
      dropped += x == 0f ? 1 : 0;
    }
    assertEquals(p, dropped / (double) m.length, 0.01, "share dropped");
    // Independent masks agree on half the units (p = 0.5), whichever units are compared.
    assertEquals(0.5, sameAsShifted / (double) pairs, 0.01, "row r+1 against row r moved by one");
    assertEquals(0.5, sameAsBelow / (double) pairs, 0.01, "row r+1 against row r");
  }
}
