package continuo.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The LSTM step with ND4J: one preallocated BLAS gemv per layer ({@code [4H, in] x [in, 1]} into a
 * preallocated gates array) and one for the output layer, with the element-wise cell update in Java
 * on views of the native buffers. A benchmark candidate only: the real-time path never uses it (a
 * call into native code per layer, and ND4J builds an op descriptor per call). ND4J stays the
 * library for batched numerics.
 */
final class Nd4jStepper implements LstmStepper {
  private final ModelConfig config;
  private final int hidden;
  private final int vocab;
  private final float[][] inputTable;
  private final float[][] bias;
  private final INDArray[] matrix;
  private final INDArray[] x;
  private final FloatBuffer[] xBuf;
  private final INDArray gates;
  private final FloatBuffer gatesBuf;
  private final INDArray output;
  private final INDArray outX;
  private final FloatBuffer outXBuf;
  private final INDArray logitsArr;
  private final FloatBuffer logitsBuf;
  private final float[] outputBias;
  private final float[] g;

  /**
   * The BLAS ND4J runs on: the vendor it reports and the native BLAS libraries loaded for it, so
   * that a comparison says what it compared with. Any thread; initialises ND4J.
   */
  static String blasDescription() {
    String vendor = String.valueOf(Nd4j.factory().blas().getBlasVendor());
    java.util.StringJoiner libs = new java.util.StringJoiner(", ");
    for (java.util.Map.Entry<String, String> e :
        org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet()) {
      if (e.getKey().toLowerCase(java.util.Locale.ROOT).contains("blas")) {
        libs.add(e.getValue());
      }
    }
    return vendor + " (" + (libs.length() == 0 ? "no BLAS library loaded" : libs) + ")";
  }

  Nd4jStepper(LstmWeights w) {
    config = w.config();
    hidden = config.hiddenSize();
    vocab = config.vocabSize();
    int gh = 4 * hidden;
    int layers = config.layers();
    inputTable = Prepared.inputTable(w);
    bias = new float[layers][];
    matrix = new INDArray[layers];
    x = new INDArray[layers];
    xBuf = new FloatBuffer[layers];
    for (int k = 0; k < layers; k++) {
      int width = k == 0 ? hidden : 2 * hidden;
      float[] m = new float[gh * width];
      for (int r = 0; r < gh; r++) {
        if (k == 0) {
          System.arraycopy(w.weightHh()[0], r * hidden, m, r * width, hidden);
        } else {
          System.arraycopy(w.weightIh()[k], r * hidden, m, r * width, hidden);
          System.arraycopy(w.weightHh()[k], r * hidden, m, r * width + hidden, hidden);
        }
      }
      matrix[k] = Nd4j.create(m, new long[] {gh, width}, 'c');
      x[k] = Nd4j.create(DataType.FLOAT, width, 1);
      xBuf[k] = x[k].data().asNioFloat();
      bias[k] = k == 0 ? null : Prepared.bias(w, k);
    }
    gates = Nd4j.create(DataType.FLOAT, gh, 1);
    gatesBuf = gates.data().asNioFloat();
    output = Nd4j.create(w.outputWeight().clone(), new long[] {vocab, hidden}, 'c');
    outX = Nd4j.create(DataType.FLOAT, hidden, 1);
    outXBuf = outX.data().asNioFloat();
    logitsArr = Nd4j.create(DataType.FLOAT, vocab, 1);
    logitsBuf = logitsArr.data().asNioFloat();
    outputBias = w.outputBias().clone();
    g = new float[gh];
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public void step(LstmState state, int token, float[] logits) {
    advance(state, token);
    outXBuf.put(0, state.h(config.layers() - 1), 0, hidden);
    Nd4j.gemm(output, outX, logitsArr, false, false, 1.0, 0.0);
    logitsBuf.get(0, logits, 0, vocab);
    for (int r = 0; r < vocab; r++) {
      logits[r] += outputBias[r];
    }
  }

  @Override
  public void advance(LstmState state, int token) {
    if (token < 0 || token >= vocab) {
      throw new IllegalArgumentException("token " + token + " is outside 0.." + (vocab - 1));
    }
    int gh = 4 * hidden;
    for (int k = 0; k < matrix.length; k++) {
      if (k == 0) {
        xBuf[0].put(0, state.h(0), 0, hidden);
      } else {
        xBuf[k].put(0, state.h(k - 1), 0, hidden);
        xBuf[k].put(hidden, state.h(k), 0, hidden);
      }
      Nd4j.gemm(matrix[k], x[k], gates, false, false, 1.0, 0.0);
      gatesBuf.get(0, g, 0, gh);
      float[] add = k == 0 ? inputTable[token] : bias[k];
      for (int r = 0; r < gh; r++) {
        g[r] += add[r];
      }
      Gates.apply(g, state.h(k), state.c(k), hidden);
    }
  }
}
