package continuo.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM step with Java's Vector API ({@code jdk.incubator.vector}): matrices stay row-major
 * (PyTorch's layout, one array per row, padded with zeros to a multiple of two SIMD vectors;
 * separate row arrays let C2 drop the bounds checks that a flat array with row offsets keeps) and every
 * matrix-vector product is a set of dot products, four rows at a time with two accumulators
 * each, so one load of the input vector feeds eight independent fused multiply-adds. For
 * layers above the first, the input and recurrent matrices are concatenated so that one pass over
 * {@code [h_below | h_own]} computes all four gates. Layer 0's input projection is a table row.
 *
 * <p>Only loaded when the module is present (see {@link Models}). Allocation free in steady
 * state; scratch lives in the stepper, so one thread at a time uses it.
 */
final class VectorStepper implements LstmStepper {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int STEP = 2 * S.length();

  private final ModelConfig config;
  private final int hidden;
  private final int vocab;
  private final float[][] inputTable;
  private final float[][][] matrix;
  private final int[] stride;
  private final float[][] bias;
  private final float[][] output;
  private final int outStride;
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
    matrix = new float[layers][][];
    stride = new int[layers];
    bias = new float[layers][];
    x = new float[layers][];
    for (int k = 0; k < layers; k++) {
      int width = k == 0 ? hidden : 2 * hidden;
      int s = roundUp(width);
      stride[k] = s;
      float[][] m = new float[g][s];
      for (int r = 0; r < g; r++) {
        if (k == 0) {
          System.arraycopy(w.weightHh()[0], r * hidden, m[r], 0, hidden);
        } else {
          System.arraycopy(w.weightIh()[k], r * hidden, m[r], 0, hidden);
          System.arraycopy(w.weightHh()[k], r * hidden, m[r], hidden, hidden);
        }
      }
      matrix[k] = m;
      bias[k] = k == 0 ? null : Prepared.bias(w, k);
      x[k] = new float[s];
    }
    outStride = roundUp(hidden);
    output = new float[vocab][outStride];
    for (int r = 0; r < vocab; r++) {
      System.arraycopy(w.outputWeight(), r * hidden, output[r], 0, hidden);
    }
    outputBias = w.outputBias().clone();
    gates = new float[g];
  }

  private static int roundUp(int n) {
    return (n + STEP - 1) / STEP * STEP;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public void step(LstmState state, int token, float[] logits) {
    advance(state, token);
    float[] xo = x[config.layers() - 1];
    // The top layer's buffer starts with h_below; reuse its padding-aware length for h_top.
    float[] in = xo;
    float[] h = state.h(config.layers() - 1);
    System.arraycopy(h, 0, in, 0, hidden);
    java.util.Arrays.fill(in, hidden, outStride, 0f);
    matVec(output, outStride, vocab, in, outputBias, logits);
  }

  @Override
  public void advance(LstmState state, int token) {
    if (token < 0 || token >= vocab) {
      throw new IllegalArgumentException("token " + token + " is outside 0.." + (vocab - 1));
    }
    int g = 4 * hidden;
    for (int k = 0; k < matrix.length; k++) {
      float[] xk = x[k];
      if (k == 0) {
        System.arraycopy(state.h(0), 0, xk, 0, hidden);
      } else {
        System.arraycopy(state.h(k - 1), 0, xk, 0, hidden);
        System.arraycopy(state.h(k), 0, xk, hidden, hidden);
      }
      matVec(matrix[k], stride[k], g, xk, k == 0 ? inputTable[token] : bias[k], gates);
      cell(gates, state.h(k), state.c(k), hidden);
    }
  }

  /**
   * The element-wise cell update, SIMD-wide: the Vector API's EXP and TANH are compiled to the
   * JDK's SVML-derived stubs (about 15 times faster than scalar {@link Math#exp} here, within a
   * few float ulps of it). The scalar tail handles H not a multiple of the vector length.
   */
  private static void cell(float[] g, float[] h, float[] c, int hidden) {
    int n = S.length();
    int j = 0;
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (; j + n <= hidden; j += n) {
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

  /** out[r] = add[r] + m[r,:] · x, rows padded to {@code s}; {@code rows} is a multiple of 4. */
  private static void matVec(float[][] m, int s, int rows, float[] x, float[] add, float[] out) {
    for (int r = 0; r < rows; r += 4) {
      float[] m0 = m[r];
      float[] m1 = m[r + 1];
      float[] m2 = m[r + 2];
      float[] m3 = m[r + 3];
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = FloatVector.zero(S);
      FloatVector a2 = FloatVector.zero(S);
      FloatVector a3 = FloatVector.zero(S);
      FloatVector c0 = FloatVector.zero(S);
      FloatVector c1 = FloatVector.zero(S);
      FloatVector c2 = FloatVector.zero(S);
      FloatVector c3 = FloatVector.zero(S);
      int n = S.length();
      for (int j = 0; j < s; j += 2 * n) {
        FloatVector xa = FloatVector.fromArray(S, x, j);
        FloatVector xb = FloatVector.fromArray(S, x, j + n);
        a0 = FloatVector.fromArray(S, m0, j).fma(xa, a0);
        a1 = FloatVector.fromArray(S, m1, j).fma(xa, a1);
        a2 = FloatVector.fromArray(S, m2, j).fma(xa, a2);
        a3 = FloatVector.fromArray(S, m3, j).fma(xa, a3);
        c0 = FloatVector.fromArray(S, m0, j + n).fma(xb, c0);
        c1 = FloatVector.fromArray(S, m1, j + n).fma(xb, c1);
        c2 = FloatVector.fromArray(S, m2, j + n).fma(xb, c2);
        c3 = FloatVector.fromArray(S, m3, j + n).fma(xb, c3);
      }
      out[r] = add[r] + a0.add(c0).reduceLanes(VectorOperators.ADD);
      out[r + 1] = add[r + 1] + a1.add(c1).reduceLanes(VectorOperators.ADD);
      out[r + 2] = add[r + 2] + a2.add(c2).reduceLanes(VectorOperators.ADD);
      out[r + 3] = add[r + 3] + a3.add(c3).reduceLanes(VectorOperators.ADD);
    }
  }
}
