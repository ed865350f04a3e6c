package continuo.model;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The same model as a DL4J {@link MultiLayerNetwork} ({@code LSTM} layers and an identity {@code
 * RnnOutputLayer}) stepped with {@code rnnTimeStep}, DL4J's own one-step inference: the peer a
 * Java developer would reach for first. The embedding lookup happens here (a row copy) and the
 * row goes in as a one-step input. A benchmark peer only, never on the live path.
 *
 * <p>DL4J keeps the recurrent state inside the network, so this stepper serves a single {@link
 * LstmState}: the one passed in is ignored and the network's own state carries on from step to
 * step. {@link #reset} starts it from zero again.
 */
public final class Dl4jStepper implements LstmStepper {
  private final ModelConfig config;
  private final float[] embedding;
  private final MultiLayerNetwork net;
  private final INDArray input;
  private final FloatBuffer inputBuf;

  public Dl4jStepper(LstmWeights w) {
    config = w.config();
    int h = config.hiddenSize();
    int v = config.vocabSize();
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
    for (int k = 0; k < config.layers(); k++) {
      list.layer(new LSTM.Builder()
          .nIn(k == 0 ? config.inputSize() : h)
          .nOut(h)
          .activation(Activation.TANH)
          .gateActivationFunction(Activation.SIGMOID)
          .build());
    }
    list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
        .nIn(h)
        .nOut(v)
        .activation(Activation.IDENTITY)
        .build());
    net = new MultiLayerNetwork(list.build());
    net.init();
    for (int k = 0; k < config.layers(); k++) {
      int in = k == 0 ? config.inputSize() : h;
      net.getLayer(k).setParam("W", gateColumns(w.weightIh()[k], in, h));
      net.getLayer(k).setParam("RW", gateColumns(w.weightHh()[k], h, h));
      float[] b = Prepared.bias(w, k);
      net.getLayer(k).setParam("b", gateColumns(b, 1, h));
    }
    net.getLayer(config.layers()).setParam("W", transpose(w.outputWeight(), v, h));
    net.getLayer(config.layers())
        .setParam("b", Nd4j.create(w.outputBias().clone(), new long[] {1, v}, 'c'));
    embedding = w.embedding();
    input = Nd4j.create(DataType.FLOAT, 1, config.inputSize());
    inputBuf = input.data().asNioFloat();
  }

  /**
   * PyTorch's [4H, in] (rows in gate order i, f, g, o) as DL4J's [in, 4H], whose column blocks are
   * the block input (g), forget, output and input gates, in that order.
   */
  private static INDArray gateColumns(float[] torch, int in, int h) {
    int[] torchBlockOf = {2, 1, 3, 0};
    float[] out = new float[in * 4 * h];
    for (int block = 0; block < 4; block++) {
      for (int r = 0; r < h; r++) {
        int torchRow = torchBlockOf[block] * h + r;
        int col = block * h + r;
        for (int j = 0; j < in; j++) {
          out[j * 4 * h + col] = torch[torchRow * in + j];
        }
      }
    }
    return Nd4j.create(out, new long[] {in, 4L * h}, 'c');
  }

  private static INDArray transpose(float[] m, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return Nd4j.create(t, new long[] {cols, rows}, 'c');
  }

  /**
   * A DL4J stepper for {@code w}, checked against continuo's plain stepper on the first 64 of
   * {@code tokens} (DL4J must be stepping the same model, or its figure means nothing) and reset.
   */
  public static Dl4jStepper checkedAgainstPlain(LstmWeights w, int[] tokens) {
    Dl4jStepper dl4j = new Dl4jStepper(w);
    LstmStepper plain = Models.candidate("plain", w);
    LstmState s = plain.newState();
    int v = w.config().vocabSize();
    float[] expected = new float[v];
    float[] actual = new float[v];
    for (int i = 0; i < 64; i++) {
      plain.step(s, tokens[i], expected);
      dl4j.step(null, tokens[i], actual);
      for (int r = 0; r < v; r++) {
        if (Math.abs(expected[r] - actual[r]) > 1e-3f * (1 + Math.abs(expected[r]))) {
          throw new IllegalStateException("DL4J differs from continuo at step " + i + ", logit "
              + r + ": " + actual[r] + " vs " + expected[r]);
        }
      }
    }
    dl4j.reset();
    return dl4j;
  }

  /** Clears the network's recurrent state. */
  public void reset() {
    net.rnnClearPreviousState();
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public void step(LstmState state, int token, float[] logits) {
    float[] out = timeStep(token).toFloatVector();
    System.arraycopy(out, 0, logits, 0, config.vocabSize());
  }

  @Override
  public void advance(LstmState state, int token) {
    timeStep(token);
  }

  private INDArray timeStep(int token) {
    int v = config.vocabSize();
    if (token < 0 || token >= v) {
      throw new IllegalArgumentException("token " + token + " is outside 0.." + (v - 1));
    }
    int in = config.inputSize();
    if (embedding == null) {
      for (int j = 0; j < in; j++) {
        inputBuf.put(j, j == token ? 1f : 0f);
      }
    } else {
      inputBuf.put(0, embedding, token * in, in);
    }
    return net.rnnTimeStep(input);
  }
}
