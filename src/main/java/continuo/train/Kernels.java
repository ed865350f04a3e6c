package continuo.train;

import static continuo.train.Floats.LANES;
import static continuo.train.Floats.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The row-wise kernels around the LSTM: softmax cross-entropy with its gradient, dropout, and the
 * embedding lookup. Each works on a range of rows and writes only those rows, so threads may run
 * disjoint ranges at once; random numbers are drawn per row, so results never depend on how rows
 * are shared out.
 */
final class Kernels {
  /** The golden ratio in 32 bits: the step of the dropout draws' Weyl sequence. */
  private static final int WEYL = 0x9E3779B9;

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
   * otherwise (all ones when p = 0). Each element's draw is a hash of its index and {@code seed}
   * (two rounds of MurmurHash3's finaliser over a Weyl sequence): no generator per row, a mask
   * never depends on how rows are shared out, and neighbouring rows' masks are unrelated rather
   * than one sequence shifted (as generators seeded {@code seed + r} would give). Element by
   * element: SIMD-wide it took 1.9 ms rather than 12 for a folk layer's window, but the JIT then
   * took seconds to compile it, longer than a short training run saves.
   */
  static void dropout(Floats in, Floats out, Floats mask, int cols, double p, long seed,
      int from, int to) {
    float kept = p > 0 ? (float) (1.0 / (1.0 - p)) : 1f;
    int threshold = (int) Math.round(p * (1 << 24));
    int lo = (int) seed;
    int hi = (int) (seed >>> 32);
    for (int r = from; r < to; r++) {
      for (int i = r * cols, end = i + cols; i < end; i++) {
        float m = (fmix(fmix(i * WEYL + lo) ^ hi) >>> 8) >= threshold ? kept : 0f;
        mask.put(i, m);
        out.put(i, in.get(i) * m);
      }
    }
  }


  private static int fmix(int x) {
    x = (x ^ (x >>> 16)) * 0x85EBCA6B;
    x = (x ^ (x >>> 13)) * 0xC2B2AE35;
    return x ^ (x >>> 16);
  }

  /** Rows from..to of the {@code cols}-wide {@code a} plus the row vector b1 (and b2 unless null). */
  static void addRow(Floats a, Floats b1, Floats b2, int cols, int from, int to) {
    for (int r = from; r < to; r++) {
      int base = r * cols;
      int j = 0;
      for (; j + LANES <= cols; j += LANES) {
        FloatVector x = a.vec(base + j).add(b1.vec(j));
        a.store(b2 == null ? x : x.add(b2.vec(j)), base + j);
      }
      for (; j < cols; j++) {
        a.put(base + j, a.get(base + j) + b1.get(j) + (b2 == null ? 0f : b2.get(j)));
      }
    }
  }

  /**
   * Adds the sums over all {@code rows} rows of columns from..to of the {@code cols}-wide {@code a}
   * to those entries of out1 (and out2 unless null); each column is summed in row order.
   */
  static void addColumnSums(Floats a, int rows, int cols, Floats out1, Floats out2, int from,
      int to) {
    float[] acc = new float[to - from];
    int width = to - from;
    for (int r = 0; r < rows; r++) {
      int base = r * cols + from;
      int j = 0;
      for (; j + LANES <= width; j += LANES) {
        FloatVector.fromArray(S, acc, j).add(a.vec(base + j)).intoArray(acc, j);
      }
      for (; j < width; j++) {
        acc[j] += a.get(base + j);
      }
    }
    for (int j = 0; j < width; j++) {
      out1.put(from + j, out1.get(from + j) + acc[j]);
      if (out2 != null) {
        out2.put(from + j, out2.get(from + j) + acc[j]);
      }
    }
  }

  /** Elements from..to of {@code a} set to zero. */
  static void zero(Floats a, int from, int to) {
    FloatVector z = FloatVector.zero(S);
    int i = from;
    for (; i + LANES <= to; i += LANES) {
      a.store(z, i);
    }
    for (; i < to; i++) {
      a.put(i, 0f);
    }
  }

  /**
   * The embedding's gradient for tokens from..to: adds each of the {@code rows} rows of {@code dx}
   * ({@code cols} wide) whose token is in that range to the token's row of {@code out}, in row
   * order (so that threads over disjoint token ranges never write the same row).
   */
  static void addToTokenRows(Floats dx, Floats out, int[] tokens, int rows, int cols, int from,
      int to) {
    for (int r = 0; r < rows; r++) {
      int tok = tokens[r];
      if (tok < from || tok >= to) {
        continue;
      }
      int dst = tok * cols;
      int src = r * cols;
      int j = 0;
      for (; j + LANES <= cols; j += LANES) {
        out.store(out.vec(dst + j).add(dx.vec(src + j)), dst + j);
      }
      for (; j < cols; j++) {
        out.put(dst + j, out.get(dst + j) + dx.get(src + j));
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
