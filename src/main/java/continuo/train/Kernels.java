package continuo.train;

import static continuo.train.Floats.LANES;
import static continuo.train.Floats.S;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The row-wise kernels around the LSTM: softmax cross-entropy with its gradient, dropout, and the
 * embedding lookup. Each works on a range of rows and writes only those rows, so threads may run
 * disjoint ranges at once; random numbers are drawn per row, so results never depend on how rows
 * are shared out.
 */
final class Kernels {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Kernels() {}

  /**
   * For rows from..to of the logits: {@code loss[r]} = weight[r] * -ln softmax(row)[target[r]], and
   * the row becomes d(mean loss)/d(logits) = weight * (softmax - onehot) * scale.
   */
  static void softmaxLoss(Floats lg, int v, int[] targets, float[] weight, float scale,
      double[] loss, int from, int to) {
    for (int r = from; r < to; r++) {
      int base = r * v;
      float max = max(lg, base, v);
      float target = lg.get(base + targets[r]);
      FloatVector mx = FloatVector.broadcast(S, max);
      FloatVector acc = FloatVector.zero(S);
      int j = 0;
      for (; j + LANES <= v; j += LANES) {
        FloatVector x = lg.vec(base + j).sub(mx).lanewise(VectorOperators.EXP);
        lg.store(x, base + j);
        acc = acc.add(x);
      }
      double sum = acc.reduceLanes(VectorOperators.ADD);
      for (; j < v; j++) {
        float x = (float) Math.exp(lg.get(base + j) - max);
        lg.put(base + j, x);
        sum += x;
      }
      float wr = weight[r];
      loss[r] = wr == 0f ? 0 : -wr * (target - max - Math.log(sum));
      float perProbability = (float) (wr * scale / sum);
      j = 0;
      for (; j + LANES <= v; j += LANES) {
        lg.store(lg.vec(base + j).mul(perProbability), base + j);
      }
      for (; j < v; j++) {
        lg.put(base + j, perProbability * lg.get(base + j));
      }
      lg.put(base + targets[r], lg.get(base + targets[r]) - wr * scale);
    }
  }

  /** Rows from..to of log-softmax(logits) into {@code out}. */
  static void logSoftmax(Floats lg, int v, float[][] out, int from, int to) {
    for (int r = from; r < to; r++) {
      int base = r * v;
      float max = max(lg, base, v);
      double sum = 0;
      for (int j = 0; j < v; j++) {
        sum += Math.exp(lg.get(base + j) - max);
      }
      float logSum = (float) Math.log(sum);
      for (int j = 0; j < v; j++) {
        out[r][j] = lg.get(base + j) - max - logSum;
      }
    }
  }

  private static float max(Floats lg, int base, int v) {
    FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    int j = 0;
    for (; j + LANES <= v; j += LANES) {
      m = m.max(lg.vec(base + j));
    }
    float max = m.reduceLanes(VectorOperators.MAX);
    for (; j < v; j++) {
      max = Math.max(max, lg.get(base + j));
    }
    return max;
  }

  /**
   * Rows from..to of {@code out} = {@code in} * mask, the mask 0 with probability p and 1/(1-p)
   * otherwise, drawn from a generator seeded by {@code seed} and the row (all ones when p = 0).
   */
  static void dropout(Floats in, Floats out, Floats mask, int cols, double p, long seed,
      int from, int to) {
    float kept = (float) (1.0 / (1.0 - p));
    for (int r = from; r < to; r++) {
      SplittableRandom rnd = p > 0 ? new SplittableRandom(seed + r * GOLDEN) : null;
      for (int j = r * cols, end = j + cols; j < end; j++) {
        float m = p > 0 && rnd.nextDouble() < p ? 0f : p > 0 ? kept : 1f;
        mask.put(j, m);
        out.put(j, in.get(j) * m);
      }
    }
  }

  /** Rows from..to of {@code x}: the embedding row of each row's token. */
  static void embed(Floats embedding, Floats x, int[] tokens, int e, int from, int to) {
    for (int r = from; r < to; r++) {
      int src = tokens[r] * e;
      for (int j = 0; j < e; j++) {
        x.put(r * e + j, embedding.get(src + j));
      }
    }
  }
}
