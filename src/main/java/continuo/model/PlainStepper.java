package continuo.model;

/**
 * The LSTM step in plain Java. Weights are stored transposed (input-major), so every matrix-vector
 * product is a sequence of axpy loops {@code gates[r] += W[j][r] * x[j]} over contiguous memory,
 * which C2 compiles to SIMD code; a dot-product layout would not vectorize, because the JIT must
 * keep the order of a float sum. The four gates are fused into one 4H-wide pass, and layer 0's
 * input projection is a row of a precomputed per-token table.
 *
 * <p>Allocation free in {@link #step} and {@link #advance}; scratch lives in the stepper, so one
 * thread at a time uses it (the states it steps are the caller's).
 */
public final class PlainStepper implements LstmStepper {
  private final ModelConfig config;
  private final int hidden;
  private final int vocab;
  private final float[][] inputTable;
  /** Per layer, [in_k][4H] row-major: k = 0 holds W_hh0^T; k > 0 holds [W_ih^T ; W_hh^T]. */
  private final float[][] transposed;
  private final float[][] bias;
  /** [H][V]. */
  private final float[] outputT;
  private final float[] outputBias;
  private final float[] gates;

  public PlainStepper(LstmWeights w) {
    config = w.config();
    hidden = config.hiddenSize();
    vocab = config.vocabSize();
    int g = 4 * hidden;
    inputTable = Prepared.inputTable(w);
    int layers = config.layers();
    transposed = new float[layers][];
    bias = new float[layers][];
    for (int k = 0; k < layers; k++) {
      if (k == 0) {
        transposed[k] = transpose(w.weightHh()[0], g, hidden, null, 0);
      } else {
        float[] t = new float[2 * hidden * g];
        transpose(w.weightIh()[k], g, hidden, t, 0);
        transpose(w.weightHh()[k], g, hidden, t, hidden * g);
        transposed[k] = t;
        bias[k] = Prepared.bias(w, k);
      }
    }
    outputT = transpose(w.outputWeight(), vocab, hidden, null, 0);
    outputBias = w.outputBias().clone();
    gates = new float[g];
  }

  /** Writes the [cols][rows] transpose of a row-major [rows][cols] matrix into {@code out} at {@code offset}. */
  private static float[] transpose(float[] m, int rows, int cols, float[] out, int offset) {
    float[] t = out == null ? new float[rows * cols] : out;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        t[offset + j * rows + r] = m[r * cols + j];
      }
    }
    return t;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public void step(LstmState state, int token, float[] logits) {
    advance(state, token);
    float[] out = logits;
    float[] h = state.h(config.layers() - 1);
    System.arraycopy(outputBias, 0, out, 0, vocab);
    float[] wt = outputT;
    int v = vocab;
    for (int j = 0; j < hidden; j++) {
      float x = h[j];
      int base = j * v;
      for (int r = 0; r < v; r++) {
        out[r] += wt[base + r] * x;
      }
    }
  }

  @Override
  public void advance(LstmState state, int token) {
    if (token < 0 || token >= vocab) {
      throw new IllegalArgumentException("token " + token + " is outside 0.." + (vocab - 1));
    }
    int g = 4 * hidden;
    float[] gs = gates;
    for (int k = 0; k < transposed.length; k++) {
      System.arraycopy(k == 0 ? inputTable[token] : bias[k], 0, gs, 0, g);
      float[] wt = transposed[k];
      int base = 0;
      if (k > 0) {
        base = axpyAll(wt, base, state.h(k - 1), gs, g);
      }
      axpyAll(wt, base, state.h(k), gs, g);
      Gates.apply(gs, state.h(k), state.c(k), hidden);
    }
  }

  /** gates += W^T x for the H rows of {@code wt} starting at {@code base}; returns the next base. */
  private int axpyAll(float[] wt, int base, float[] x, float[] gs, int g) {
    for (int j = 0; j < hidden; j++) {
      float xj = x[j];
      int row = base + j * g;
      for (int r = 0; r < g; r++) {
        gs[r] += wt[row + r] * xj;
      }
    }
    return base + hidden * g;
  }
}
