package continuo.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native floats of a whole ND4J array, read and written in place by the training kernels,
 * element by element or SIMD-wide, between the BLAS products that fill them. Any thread may use a
 * view; the kernels give each thread its own rows.
 */
final class Floats {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int LANES = S.length();
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  private final ByteBuffer b;

  Floats(INDArray a) {
    if (a.isView() || a.ordering() != 'c') {
      throw new IllegalArgumentException("kernels need a whole C-order array, got a view of shape "
          + java.util.Arrays.toString(a.shape()));
    }
    b = a.data().asNio().order(NATIVE);
  }

  float get(int i) {
    return b.getFloat(i << 2);
  }

  void put(int i, float x) {
    b.putFloat(i << 2, x);
  }

  FloatVector vec(int i) {
    return FloatVector.fromByteBuffer(S, b, i << 2, NATIVE);
  }

  void store(FloatVector v, int i) {
    v.intoByteBuffer(b, i << 2, NATIVE);
  }
}
