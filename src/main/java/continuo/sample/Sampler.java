package continuo.sample;

import java.util.SplittableRandom;

/**
 * Draws the next token from a model's logits: temperature, optional top-p (nucleus) sampling and
 * an optional mask of tokens that may not be chosen (the live engine uses it for its polyphony
 * limit). Seeded, so the same seed and the same logits give the same sequence of tokens.
 *
 * <p>Scores that are not numbers a choice can be made from (NaN, positive infinity, or nothing
 * above negative infinity: a model whose weights overflow) give {@link #NOT_FINITE} instead of a
 * token, so that no caller mistakes garbage for pitch 0.
 *
 * <p>Allocation free: the probability and index scratch arrays are made once. One thread at a
 * time uses a sampler.
 */
public final class Sampler {
  /** Temperatures at or below this mean "always take the most likely token". */
  public static final float ARGMAX_TEMPERATURE = 1e-6f;
  /** Returned instead of a token when the logits are not finite scores. */
  public static final int NOT_FINITE = -1;

  private final SplittableRandom random;
  private final int vocabSize;
  private final double[] weight;
  private final int[] heap;

  public Sampler(long seed, int vocabSize) {
    if (vocabSize <= 0) {
      throw new IllegalArgumentException("vocabSize must be positive, got " + vocabSize);
    }
    this.random = new SplittableRandom(seed);
    this.vocabSize = vocabSize;
    this.weight = new double[vocabSize];
    this.heap = new int[vocabSize];
  }

  /** Samples from all tokens. */
  public int sample(float[] logits, float temperature, float topP) {
    return sample(logits, temperature, topP, null);
  }

  /**
   * Samples one token.
   *
   * @param logits V raw scores (not modified)
   * @param temperature softmax temperature; {@code <= 1e-6} picks the argmax
   * @param topP keep the smallest set of most likely tokens whose probability reaches topP; {@code
   *     >= 1} (or {@code <= 0}) keeps all
   * @param disallowed tokens that must not be chosen ({@code disallowed[t]} true), or null; if it
   *     excludes every token the mask is ignored
   * @return the token, or {@link #NOT_FINITE} when a logit is NaN or positive infinity or none is
   *     above negative infinity
   */
  public int sample(float[] logits, float temperature, float topP, boolean[] disallowed) {
    if (logits.length < vocabSize) {
      throw new IllegalArgumentException("expected " + vocabSize + " logits, got " + logits.length);
    }
    if (disallowed != null && allDisallowed(disallowed)) {
      disallowed = null;
    }
    int best = -1;
    float max = Float.NEGATIVE_INFINITY;
    for (int t = 0; t < vocabSize; t++) {
      float x = logits[t];
      if (!(x < Float.POSITIVE_INFINITY)) {
        return NOT_FINITE; // NaN or +Inf: the model's arithmetic overflowed
      }
      if (disallowed != null && disallowed[t]) {
        continue;
      }
      if (best < 0 || x > max) {
        max = x;
        best = t;
      }
    }
    if (max == Float.NEGATIVE_INFINITY) {
      return NOT_FINITE;
    }
    if (!(temperature > ARGMAX_TEMPERATURE)) {
      return best;
    }
    double inv = 1.0 / temperature;
    double sum = 0;
    for (int t = 0; t < vocabSize; t++) {
      double w = disallowed != null && disallowed[t] ? 0.0 : Math.exp((logits[t] - max) * inv);
      weight[t] = w;
      sum += w;
    }
    if (topP > 0f && topP < 1f) {
      return nucleus(sum, topP);
    }
    double u = random.nextDouble() * sum;
    int last = best;
    for (int t = 0; t < vocabSize; t++) {
      double w = weight[t];
      if (w > 0) {
        last = t;
        u -= w;
        if (u < 0) {
          return t;
        }
      }
    }
    return last;
  }

  /**
   * Top-p without sorting everything: a max-heap over the tokens by weight is popped until the
   * popped mass reaches topP; the popped tokens land at the end of the heap array in order.
   */
  private int nucleus(double sum, float topP) {
    int n = 0;
    for (int t = 0; t < vocabSize; t++) {
      if (weight[t] > 0) {
        heap[n++] = t;
      }
    }
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(i, n);
    }
    double target = topP * sum;
    double kept = 0;
    int size = n;
    while (size > 0 && kept < target) {
      int top = heap[0];
      kept += weight[top];
      size--;
      heap[0] = heap[size];
      heap[size] = top;
      siftDown(0, size);
    }
    double u = random.nextDouble() * kept;
    for (int i = n - 1; i >= size; i--) {
      u -= weight[heap[i]];
      if (u < 0) {
        return heap[i];
      }
    }
    return heap[size];
  }

  private void siftDown(int i, int n) {
    int[] a = heap;
    int x = a[i];
    double wx = weight[x];
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && weight[a[child + 1]] > weight[a[child]]) {
        child++;
      }
      if (weight[a[child]] <= wx) {
        break;
      }
      a[i] = a[child];
      i = child;
    }
    a[i] = x;
  }

  private boolean allDisallowed(boolean[] disallowed) {
    for (int t = 0; t < vocabSize; t++) {
      if (!disallowed[t]) {
        return false;
      }
    }
    return true;
  }

  /** ln(sum(exp(logits))), computed stably in double precision: the log-softmax's normaliser. */
  public static double logSumExp(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float x : logits) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (float x : logits) {
      sum += Math.exp(x - max);
    }
    return max + Math.log(sum);
  }
}
