package continuo.train;

import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with global-norm gradient clipping, over a fixed list of parameter arrays and their
 * gradients. The moment estimates are plain float arrays so that a checkpoint can save and restore
 * them exactly. Single-threaded.
 */
final class Adam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final List<INDArray> params;
  private final List<INDArray> grads;
  private final float[][] m;
  private final float[][] s;
  private long step;

  Adam(List<INDArray> params, List<INDArray> grads) {
    this.params = params;
    this.grads = grads;
    m = new float[params.size()][];
    s = new float[params.size()][];
    for (int i = 0; i < params.size(); i++) {
      m[i] = new float[(int) params.get(i).length()];
      s[i] = new float[(int) params.get(i).length()];
    }
  }

  /**
   * Scales the gradients down so that their global L2 norm is at most {@code maxNorm}, then takes
   * one Adam step with learning rate {@code lr}.
   *
   * @return the gradient norm before clipping
   */
  double update(double lr, double maxNorm) {
    double sq = 0;
    for (INDArray g : grads) {
      FloatBuffer gb = g.data().asNioFloat();
      for (int j = 0, n = (int) g.length(); j < n; j++) {
        double x = gb.get(j);
        sq += x * x;
      }
    }
    double norm = Math.sqrt(sq);
    double clip = norm > maxNorm ? maxNorm / norm : 1.0;
    step++;
    double c1 = 1 - Math.pow(BETA1, step);
    double c2 = 1 - Math.pow(BETA2, step);
    double rate = lr / c1;
    double root = 1 / Math.sqrt(c2);
    for (int i = 0; i < params.size(); i++) {
      FloatBuffer p = params.get(i).data().asNioFloat();
      FloatBuffer g = grads.get(i).data().asNioFloat();
      float[] mi = m[i];
      float[] si = s[i];
      for (int j = 0; j < mi.length; j++) {
        double gj = g.get(j) * clip;
        mi[j] = (float) (BETA1 * mi[j] + (1 - BETA1) * gj);
        si[j] = (float) (BETA2 * si[j] + (1 - BETA2) * gj * gj);
        p.put(j, (float) (p.get(j) - rate * mi[j] / (Math.sqrt(si[j]) * root + EPSILON)));
      }
    }
    return norm;
  }

  long steps() {
    return step;
  }

  float[][] firstMoments() {
    return m;
  }

  float[][] secondMoments() {
    return s;
  }

  /** Restores the state saved in a checkpoint. */
  void restore(long steps, float[][] first, float[][] second) {
    for (int i = 0; i < m.length; i++) {
      if (first[i].length != m[i].length || second[i].length != s[i].length) {
        throw new IllegalArgumentException("optimizer state for parameter " + i + " has "
            + first[i].length + " values, expected " + m[i].length);
      }
      System.arraycopy(first[i], 0, m[i], 0, m[i].length);
      System.arraycopy(second[i], 0, s[i], 0, s[i].length);
    }
    step = steps;
  }
}
