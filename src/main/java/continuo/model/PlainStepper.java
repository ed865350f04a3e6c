package continuo.model;

/**
 * The LSTM step in plain Java. Weights are stored transposed (input-major, one array per input
 * dimension), so every matrix-vector product is a run of axpy loops {@code gates[r] += W[j][r] *
 * x[j]}, four input dimensions per pass, which C2 compiles to SIMD code. A dot-product layout
 * would not vectorize (the JIT must keep the order of a float sum), and one flat array indexed with
 * a per-row offset vectorizes several times worse than separate row arrays. The four gates are
 * fused into one 4H-wide pass, and layer 0's input projection is a row of a per-token table.
 *
 * <p>Needs nothing beyond the JDK: it is the real-time path when the Vector API module is absent.
 * Allocation free in {@link #step} and {@link #advance}; scratch lives in the stepper, so one
 * thread at a time uses it (the states it steps are the caller's).
 */
public final class PlainStepper implements LstmStepper {
  private final ModelConfig config;
  private final int hidden;
  private final int vocab;
  private final float[][] inputTable;
  /** Per layer, in_k rows of 4H: k = 0 holds W_hh0^T; k > 0 holds W_ih^T then W_hh^T. */
  private final float[][][] transposed;
  private final float[][] bias;
  /** H rows of V. */
  private final float[][] outputT;
  private final float[] outputBias;
  private final float[] gates;

  public PlainStepper(LstmWeights w) {
    config = w.config();
    hidden = config.hiddenSize();
    vocab = config.vocabSize();
    int g = 4 * hidden;
    inputTable = Prepared.inputTable(w);
    int layers = config.layers();
    transposed = new float[layers][][];
    bias = new float[layers][];
    for (int k = 0; k < layers; k++) {
      if (k == 0) {
        transposed[k] = transpose(w.weightHh()[0], g, hidden);
      } else {
        float[][] ih = transpose(w.weightIh()[k], g, hidden);
        float[][] hh = transpose(w.weightHh()[k], g, hidden);
        float[][] t = new float[2 * hidden][];
        System.arraycopy(ih, 0, t, 0, hidden);
        System.arraycopy(hh, 0, t, hidden, hidden);
        transposed[k] = t;
        bias[k] = Prepared.bias(w, k);
      }
    }
    outputT = transpose(w.outputWeight(), vocab, hidden);
    outputBias = w.outputBias().clone();
    gates = new float[g];
  }

  /** A sibling of {@code other}: its weights, new scratch. */
  private PlainStepper(PlainStepper other) {
    config = other.config;
    hidden = other.hidden;
    vocab = other.vocab;
    inputTable = other.inputTable;
    transposed = other.transposed;
    bias = other.bias;
    outputT = other.outputT;
    outputBias = other.outputBias;
    gates = new float[other.gates.length];
  }

  @Override
  public LstmStepper sibling() {
    return new PlainStepper(this);
  }

  /** The [cols][rows] transpose of a row-major [rows][cols] matrix. */
  private static float[][] transpose(float[] m, int rows, int cols) {
    float[][] t = new float[cols][rows];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        t[j][r] = m[r * cols + j];
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
    System.arraycopy(outputBias, 0, logits, 0, vocab);
    axpyAll(outputT, 0, state.h(config.layers() - 1), logits, vocab);
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
      float[][] wt = transposed[k];
      if (k > 0) {
        axpyAll(wt, 0, state.h(k - 1), gs, g);
        axpyAll(wt, hidden, state.h(k), gs, g);
      } else {
        axpyAll(wt, 0, state.h(0), gs, g);
      }
      Gates.apply(gs, state.h(k), state.c(k), hidden);
    }
  }

  /** out += sum over j of rows[first + j] * x[j], for the H entries of x. */
  private void axpyAll(float[][] rows, int first, float[] x, float[] out, int width) {
    int j = 0;
    for (; j + 3 < hidden; j += 4) {
      axpy4(out, rows[first + j], rows[first + j + 1], rows[first + j + 2], rows[first + j + 3],
          x[j], x[j + 1], x[j + 2], x[j + 3], width);
    }
    for (; j < hidden; j++) {
      float[] w = rows[first + j];
      float xj = x[j];
      for (int r = 0; r < width; r++) {
        out[r] += w[r] * xj;
      }
    }
  }

  private static void axpy4(float[] out, float[] w0, float[] w1, float[] w2, float[] w3,
      float x0, float x1, float x2, float x3, int width) {
    for (int r = 0; r < width; r++) {
      out[r] += w0[r] * x0 + w1[r] * x1 + w2[r] * x2 + w3[r] * x3;
    }
  }
}
