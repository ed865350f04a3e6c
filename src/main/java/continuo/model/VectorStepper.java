package continuo.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM step with Java's Vector API ({@code jdk.incubator.vector}). Every matrix-vector product
 * runs over panels of rows stored column by column (see {@link Panels}): for each input element,
 * one broadcast feeds eight fused multiply-adds into eight vector accumulators that stay in
 * registers for the whole panel, and the weights stream through in one contiguous sweep. No
 * per-row horizontal sums, which is what a dot product per row costs. For layers above the first,
 * the input and recurrent matrices are concatenated so that one pass over {@code [h_below |
 * h_own]} computes all four gates. Layer 0's input projection is a table row.
 *
 * <p>Only loaded when the module is present (see {@link Models}). Allocation free in steady
 * state; scratch lives in the stepper, so one thread at a time uses it.
 */
final class VectorStepper implements LstmStepper {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int N = S.length();

  private final ModelConfig config;
  private final int hidden;
  private final int vocab;
  private final float[][] inputTable;
  private final Panels[] matrix;
  private final float[][] bias;
  private final Panels output;
  private final float[] outputBias;
  private final float[][] x;
  private final float[] gates;

  VectorStepper(LstmWeights w) {
    config = w.config();
    hidden = config.hiddenSize();
    vocab = config.vocabSize();
    int g = 4 * hidden;
    int layers = config.layers();
    inputTable = Prepared.inputTable(w);
    matrix = new Panels[layers];
    bias = new float[layers][];
    x = new float[layers][];
    for (int k = 0; k < layers; k++) {
      if (k == 0) {
        matrix[k] = Panels.of(w.weightHh()[0], g, hidden);
      } else {
        float[] m = new float[g * 2 * hidden];
        for (int r = 0; r < g; r++) {
          System.arraycopy(w.weightIh()[k], r * hidden, m, r * 2 * hidden, hidden);
          System.arraycopy(w.weightHh()[k], r * hidden, m, r * 2 * hidden + hidden, hidden);
        }
        matrix[k] = Panels.of(m, g, 2 * hidden);
        x[k] = new float[2 * hidden];
      }
      bias[k] = k == 0 ? null : Prepared.bias(w, k);
    }
    output = Panels.of(w.outputWeight(), vocab, hidden);
    outputBias = w.outputBias().clone();
    gates = new float[g];
  }

  /** A sibling of {@code other}: its weights, new scratch. */
  private VectorStepper(VectorStepper other) {
    config = other.config;
    hidden = other.hidden;
    vocab = other.vocab;
    inputTable = other.inputTable;
    matrix = other.matrix;
    bias = other.bias;
    output = other.output;
    outputBias = other.outputBias;
    x = new float[other.x.length][];
    for (int k = 0; k < x.length; k++) {
      x[k] = other.x[k] == null ? null : new float[other.x[k].length];
    }
    gates = new float[other.gates.length];
  }

  @Override
  public LstmStepper sibling() {
    return new VectorStepper(this);
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public void step(LstmState state, int token, float[] logits) {
    advance(state, token);
    output.multiply(state.h(config.layers() - 1), outputBias, logits);
  }

  @Override
  public void advance(LstmState state, int token) {
    if (token < 0 || token >= vocab) {
      throw new IllegalArgumentException("token " + token + " is outside 0.." + (vocab - 1));
    }
    for (int k = 0; k < matrix.length; k++) {
      float[] in;
      if (k == 0) {
        in = state.h(0);
      } else {
        in = x[k];
        System.arraycopy(state.h(k - 1), 0, in, 0, hidden);
        System.arraycopy(state.h(k), 0, in, hidden, hidden);
      }
      matrix[k].multiply(in, k == 0 ? inputTable[token] : bias[k], gates);
      cell(gates, state.h(k), state.c(k), hidden);
    }
  }

  /**
   * A row-major [rows, cols] matrix repacked for products with a vector: panels of {@code 8N}
   * rows (N = SIMD lanes), then panels of N rows, each stored column by column, so that column j
   * of a panel is 8 (or 1) contiguous vectors; the last {@code rows % N} rows stay row by row.
   */
  private record Panels(float[][] wide, float[][] narrow, float[][] tail, int cols) {
    static final int WIDE = 8 * N;

    static Panels of(float[] m, int rows, int cols) {
      int wide = rows / WIDE;
      int narrow = (rows - wide * WIDE) / N;
      int tailStart = wide * WIDE + narrow * N;
      float[][] w = new float[wide][];
      for (int b = 0; b < wide; b++) {
        w[b] = columns(m, cols, b * WIDE, WIDE);
      }
      float[][] n = new float[narrow][];
      for (int b = 0; b < narrow; b++) {
        n[b] = columns(m, cols, wide * WIDE + b * N, N);
      }
      float[][] t = new float[rows - tailStart][cols];
      for (int r = 0; r < t.length; r++) {
        System.arraycopy(m, (tailStart + r) * cols, t[r], 0, cols);
      }
      return new Panels(w, n, t, cols);
    }

    private static float[] columns(float[] m, int cols, int firstRow, int height) {
      float[] p = new float[height * cols];
      for (int j = 0; j < cols; j++) {
        for (int r = 0; r < height; r++) {
          p[j * height + r] = m[(firstRow + r) * cols + j];
        }
      }
      return p;
    }

    /** out[r] = add[r] + row r · x, for every row. */
    void multiply(float[] x, float[] add, float[] out) {
      int cols = this.cols;
      for (int b = 0; b < wide.length; b++) {
        float[] p = wide[b];
        int r0 = b * WIDE;
        FloatVector a0 = FloatVector.fromArray(S, add, r0);
        FloatVector a1 = FloatVector.fromArray(S, add, r0 + N);
        FloatVector a2 = FloatVector.fromArray(S, add, r0 + 2 * N);
        FloatVector a3 = FloatVector.fromArray(S, add, r0 + 3 * N);
        FloatVector a4 = FloatVector.fromArray(S, add, r0 + 4 * N);
        FloatVector a5 = FloatVector.fromArray(S, add, r0 + 5 * N);
        FloatVector a6 = FloatVector.fromArray(S, add, r0 + 6 * N);
        FloatVector a7 = FloatVector.fromArray(S, add, r0 + 7 * N);
        for (int j = 0, o = 0; j < cols; j++, o += WIDE) {
          FloatVector xj = FloatVector.broadcast(S, x[j]);
          a0 = FloatVector.fromArray(S, p, o).fma(xj, a0);
          a1 = FloatVector.fromArray(S, p, o + N).fma(xj, a1);
          a2 = FloatVector.fromArray(S, p, o + 2 * N).fma(xj, a2);
          a3 = FloatVector.fromArray(S, p, o + 3 * N).fma(xj, a3);
          a4 = FloatVector.fromArray(S, p, o + 4 * N).fma(xj, a4);
          a5 = FloatVector.fromArray(S, p, o + 5 * N).fma(xj, a5);
          a6 = FloatVector.fromArray(S, p, o + 6 * N).fma(xj, a6);
          a7 = FloatVector.fromArray(S, p, o + 7 * N).fma(xj, a7);
        }
        a0.intoArray(out, r0);
        a1.intoArray(out, r0 + N);
        a2.intoArray(out, r0 + 2 * N);
        a3.intoArray(out, r0 + 3 * N);
        a4.intoArray(out, r0 + 4 * N);
        a5.intoArray(out, r0 + 5 * N);
        a6.intoArray(out, r0 + 6 * N);
        a7.intoArray(out, r0 + 7 * N);
      }
      int r0 = wide.length * WIDE;
      for (float[] p : narrow) {
        FloatVector a = FloatVector.fromArray(S, add, r0);
        for (int j = 0, o = 0; j < cols; j++, o += N) {
          a = FloatVector.fromArray(S, p, o).fma(FloatVector.broadcast(S, x[j]), a);
        }
        a.intoArray(out, r0);
        r0 += N;
      }
      for (float[] row : tail) {
        float s = add[r0];
        for (int j = 0; j < cols; j++) {
          s += row[j] * x[j];
        }
        out[r0++] = s;
      }
    }
  }

  /**
   * The element-wise cell update, SIMD-wide: the Vector API's EXP and TANH are compiled to the
   * JDK's SVML-derived stubs (about 15 times faster than scalar {@link Math#exp} here, within a
   * few float ulps of it). The scalar tail handles H not a multiple of the vector length.
   */
  private static void cell(float[] g, float[] h, float[] c, int hidden) {
    int j = 0;
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (; j + N <= hidden; j += N) {
      FloatVector i = sigmoid(FloatVector.fromArray(S, g, j), one);
      FloatVector f = sigmoid(FloatVector.fromArray(S, g, hidden + j), one);
      FloatVector cand = FloatVector.fromArray(S, g, 2 * hidden + j).lanewise(VectorOperators.TANH);
      FloatVector o = sigmoid(FloatVector.fromArray(S, g, 3 * hidden + j), one);
      FloatVector cj = f.mul(FloatVector.fromArray(S, c, j)).add(i.mul(cand));
      cj.intoArray(c, j);
      o.mul(cj.lanewise(VectorOperators.TANH)).intoArray(h, j);
    }
    for (; j < hidden; j++) {
      float i = Gates.sigmoid(g[j]);
      float f = Gates.sigmoid(g[hidden + j]);
      float cand = Gates.tanh(g[2 * hidden + j]);
      float o = Gates.sigmoid(g[3 * hidden + j]);
      float cj = f * c[j] + i * cand;
      c[j] = cj;
      h[j] = o * Gates.tanh(cj);
    }
  }

  private static FloatVector sigmoid(FloatVector x, FloatVector one) {
    return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
  }
}
