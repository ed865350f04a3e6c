package continuo.train;

import static continuo.train.Floats.LANES;
import static continuo.train.Floats.S;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with global-norm gradient clipping, over a fixed list of parameter arrays and their
 * gradients. The moment estimates are plain float arrays so that a checkpoint can save and restore
 * them exactly. A step runs SIMD-wide in float, as PyTorch's does, on the network's threads, each
 * over its own chunks of the parameters; the result never depends on the number of threads.
 */
final class Adam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  /** Floats per chunk: the norm is summed chunk by chunk in a fixed order, whatever the threads. */
  private static final int CHUNK = 1 << 14;

  private final Floats[] paramFloats;
  private final Floats[] gradFloats;
  private final float[][] m;
  private final float[][] s;
  private final Parallel parallel;
  /** For each chunk of every parameter in turn: which parameter, and its first element. */
  private final int[] chunkParam;
  private final int[] chunkStart;
  private final double[] chunkSquares;
  private long step;

  /** Adam on the calling thread only. */
  Adam(List<INDArray> params, List<INDArray> grads) {
    this(params, grads, new Parallel(1));
  }

  /** Adam whose steps run on {@code parallel}'s threads, chunk by chunk (the caller closes it). */
  Adam(List<INDArray> params, List<INDArray> grads, Parallel parallel) {
    this.parallel = parallel;
    int n = params.size();
    paramFloats = new Floats[n];
    gradFloats = new Floats[n];
    m = new float[n][];
    s = new float[n][];
    int chunks = 0;
    for (int i = 0; i < n; i++) {
      paramFloats[i] = new Floats(params.get(i));
      gradFloats[i] = new Floats(grads.get(i));
      m[i] = new float[(int) params.get(i).length()];
      s[i] = new float[(int) params.get(i).length()];
      chunks += (m[i].length + CHUNK - 1) / CHUNK;
    }
    chunkParam = new int[chunks];
    chunkStart = new int[chunks];
    chunkSquares = new double[chunks];
    for (int i = 0, c = 0; i < n; i++) {
      for (int start = 0; start < m[i].length; start += CHUNK, c++) {
        chunkParam[c] = i;
        chunkStart[c] = start;
      }
    }
  }

  /**
   * Scales the gradients down so that their global L2 norm is at most {@code maxNorm}, then takes
   * one Adam step with learning rate {@code lr}.
   *
   * @return the gradient norm before clipping
   */
  double update(double lr, double maxNorm) {
    parallel.forRows(chunkParam.length, this::sumSquares);
    double sq = 0;
    for (double c : chunkSquares) {
      sq += c;
    }
    double norm = Math.sqrt(sq);
    double clip = norm > maxNorm ? maxNorm / norm : 1.0;
    step++;
    double c1 = 1 - Math.pow(BETA1, step);
    double c2 = 1 - Math.pow(BETA2, step);
    float clipF = (float) clip;
    float rate = (float) (lr / c1);
    float root = (float) (1 / Math.sqrt(c2));
    parallel.forRows(chunkParam.length, (from, to) -> {
      for (int c = from; c < to; c++) {
        int i = chunkParam[c];
        int start = chunkStart[c];
        step(paramFloats[i], gradFloats[i], m[i], s[i], start,
            Math.min(m[i].length, start + CHUNK), clipF, rate, root);
      }
    });
    return norm;
  }

  /** The squared L2 norm of each of chunks from..to of the gradients, summed in float lanes. */
  private void sumSquares(int from, int to) {
    for (int c = from; c < to; c++) {
      Floats g = gradFloats[chunkParam[c]];
      int j = chunkStart[c];
      int end = Math.min(m[chunkParam[c]].length, j + CHUNK);
      FloatVector acc = FloatVector.zero(S);
      for (; j + LANES <= end; j += LANES) {
        FloatVector x = g.vec(j);
        acc = x.fma(x, acc);
      }
      double sum = acc.reduceLanes(VectorOperators.ADD);
      for (; j < end; j++) {
        double x = g.get(j);
        sum += x * x;
      }
      chunkSquares[c] = sum;
    }
  }

  /**
   * One Adam step on elements from..to of a parameter, in float as PyTorch takes it: the moments
   * move towards the clipped gradient, and the parameter by {@code rate * m / (sqrt(s) * root +
   * eps)}.
   */
  private static void step(Floats p, Floats g, float[] m, float[] s, int from, int to, float clip,
      float rate, float root) {
    float b1 = (float) BETA1;
    float b2 = (float) BETA2;
    float a1 = (float) (1 - BETA1);
    float a2 = (float) (1 - BETA2);
    float eps = (float) EPSILON;
    int j = from;
    for (; j + LANES <= to; j += LANES) {
      FloatVector gj = g.vec(j).mul(clip);
      FloatVector mj = FloatVector.fromArray(S, m, j).mul(b1).add(gj.mul(a1));
      FloatVector sj = FloatVector.fromArray(S, s, j).mul(b2).add(gj.mul(gj).mul(a2));
      mj.intoArray(m, j);
      sj.intoArray(s, j);
      FloatVector denominator = sj.sqrt().mul(root).add(eps);
      p.store(p.vec(j).sub(mj.mul(rate).div(denominator)), j);
    }
    for (; j < to; j++) {
      float gj = g.get(j) * clip;
      m[j] = b1 * m[j] + a1 * gj;
      s[j] = b2 * s[j] + a2 * gj * gj;
      p.put(j, p.get(j) - rate * m[j] / ((float) Math.sqrt(s[j]) * root + eps));
    }
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
