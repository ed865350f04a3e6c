package continuo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {
  /** Two parameters, one spanning several chunks and ending mid-vector, one smaller than a vector. */
  private static final int[] SIZES = {40_000 + 17, 5};

  @Test
  void threeStepsFollowPyTorchsFormulaWithTheGradientClippedToItsNorm() {
    List<INDArray> params = arrays(1);
    List<INDArray> grads = arrays(2);
    double[][] p = doubles(params);
    double[][] m = new double[SIZES.length][];
    double[][] s = new double[SIZES.length][];
    for (int i = 0; i < SIZES.length; i++) {
      m[i] = new double[SIZES[i]];
      s[i] = new double[SIZES[i]];
    }
    Adam adam = new Adam(params, grads);
    double maxNorm = 5;
    for (int step = 1; step <= 3; step++) {
      double[][] g = doubles(grads);
      double sq = 0;
      for (double[] gi : g) {
        for (double x : gi) {
          sq += x * x;
        }
      }
      double norm = Math.sqrt(sq);
      assertEquals(norm, adam.update(1e-2, maxNorm), norm * 1e-6, "the norm before clipping");
      double clip = Math.min(1, maxNorm / norm);
      double c1 = 1 - Math.pow(0.9, step);
      double c2 = 1 - Math.pow(0.999, step);
      for (int i = 0; i < SIZES.length; i++) {
        float[] got = params.get(i).data().asFloat();
        for (int j = 0; j < SIZES[i]; j++) {
          double gj = g[i][j] * clip;
          m[i][j] = 0.9 * m[i][j] + 0.1 * gj;
          s[i][j] = 0.999 * s[i][j] + 0.001 * gj * gj;
          p[i][j] -= 1e-2 / c1 * m[i][j] / (Math.sqrt(s[i][j]) / Math.sqrt(c2) + 1e-8);
          assertEquals(p[i][j], got[j], 2e-6, "parameter " + i + " element " + j + " step " + step);
        }
      }
    }
  }

  @Test
  void theThreadCountChangesNoBit() {
    float[][] one = run(1);
    float[][] three = run(3);
    for (int i = 0; i < SIZES.length; i++) {
      assertArrayEquals(one[i], three[i], "parameter " + i);
    }
  }

  private static float[][] run(int threads) {
    List<INDArray> params = arrays(1);
    List<INDArray> grads = arrays(2);
    try (Parallel parallel = new Parallel(threads)) {
      Adam adam = new Adam(params, grads, parallel);
      for (int step = 0; step < 3; step++) {
        adam.update(1e-3, 1.0);
      }
    }
    return new float[][] {params.get(0).data().asFloat(), params.get(1).data().asFloat()};
  }

  private static List<INDArray> arrays(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    INDArray[] out = new INDArray[SIZES.length];
    for (int i = 0; i < SIZES.length; i++) {
      float[] data = new float[SIZES[i]];
      for (int j = 0; j < data.length; j++) {
        data[j] = (float) r.nextGaussian();
      }
      out[i] = Nd4j.create(data, new long[] {1, SIZES[i]}, 'c');
    }
    return List.of(out);
  }

  private static double[][] doubles(List<INDArray> arrays) {
    double[][] out = new double[arrays.size()][];
    for (int i = 0; i < out.length; i++) {
      float[] f = arrays.get(i).data().asFloat();
      out[i] = new double[f.length];
      for (int j = 0; j < f.length; j++) {
        out[i][j] = f[j];
      }
    }
    return out;
  }
}
