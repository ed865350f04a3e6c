package continuo.train;

import continuo.model.LstmWeights;
import continuo.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code Embedding -> LSTM(L) -> Linear} model in training form: a batched forward pass over a
 * window of B streams by T steps and its exact gradient (truncated back-propagation through time).
 * Everything runs on {@code threads} threads, each over its own streams or rows: the matrix
 * products ({@link Blas}, single-threaded OpenBLAS calls on blocks of rows), and the element-wise
 * work between them ({@link Cell}, {@link Kernels}) SIMD-wide; through the {@link Recurrence} the
 * threads share out hidden units (or, for small layers, streams). The thread count
 * changes the result by float rounding only (OpenBLAS may round a block of rows differently).
 * Parameters use PyTorch's layout and gate order (i, f, g, o), so {@link #weights} is a {@code
 * .cmodel} without conversion. The recurrent state is carried from window to window and reset per
 * stream where a new piece starts. Called by one training thread; {@link #close} ends the kernel
 * threads.
 */
final class Network implements AutoCloseable {

  private final ModelConfig config;
  private final int v;
  private final int e;
  private final int h;
  private final int layers;
  private final Parallel parallel;
  private final Recurrence recurrence;

  private final INDArray embedding;
  private final INDArray[] wih;
  private final INDArray[] whh;
  private final INDArray[] bih;
  private final INDArray[] bhh;
  private final INDArray wout;
  private final INDArray bout;
  private final INDArray gEmbedding;
  private final INDArray[] gWih;
  private final INDArray[] gWhh;
  private final INDArray[] gBih;
  private final INDArray[] gBhh;
  private final INDArray gWout;
  private final INDArray gBout;
  /** Per layer, b_ih + b_hh as of the last forward pass: what the cell adds to the gates. */
  private final INDArray[] gateBias;
  private final List<INDArray> params = new ArrayList<>();
  private final List<INDArray> grads = new ArrayList<>();

  private Workspace ws;
  private double[] rowLoss = new double[0];

  /** A network on the calling thread only. */
  Network(LstmWeights w) {
    this(w, 1);
  }

  Network(LstmWeights w, int threads) {
    this(w, threads, Recurrence.SHARE_UNITS_FROM);
  }

  /**
   * A network on {@code threads} threads that shares out hidden units through the recurrence
   * when it has at least {@code shareUnitsFrom} of them, else streams (tests force either).
   */
  Network(LstmWeights w, int threads, int shareUnitsFrom) {
    config = w.config();
    v = config.vocabSize();
    e = config.embeddingSize();
    h = config.hiddenSize();
    layers = config.layers();
    if (e <= 0) {
      throw new IllegalArgumentException("training needs an embedding (E >= 1), got E=" + e);
    }
    embedding = param(w.embedding(), v, e);
    gEmbedding = grad(v, e);
    wih = new INDArray[layers];
    whh = new INDArray[layers];
    bih = new INDArray[layers];
    bhh = new INDArray[layers];
    gWih = new INDArray[layers];
    gWhh = new INDArray[layers];
    gBih = new INDArray[layers];
    gBhh = new INDArray[layers];
    gateBias = new INDArray[layers];
    for (int k = 0; k < layers; k++) {
      gateBias[k] = Nd4j.create(DataType.FLOAT, 1, 4 * h);
      int in = k == 0 ? e : h;
      wih[k] = param(w.weightIh()[k], 4 * h, in);
      gWih[k] = grad(4 * h, in);
      whh[k] = param(w.weightHh()[k], 4 * h, h);
      gWhh[k] = grad(4 * h, h);
      bih[k] = param(w.biasIh()[k], 1, 4 * h);
      gBih[k] = grad(1, 4 * h);
      bhh[k] = param(w.biasHh()[k], 1, 4 * h);
      gBhh[k] = grad(1, 4 * h);
    }
    wout = param(w.outputWeight(), v, h);
    gWout = grad(v, h);
    bout = param(w.outputBias(), 1, v);
    gBout = grad(1, v);
    parallel = new Parallel(threads);
    recurrence = new Recurrence(parallel, h, shareUnitsFrom);
    Blas.singleThreaded();
  }

  private INDArray param(float[] data, int rows, int cols) {
    INDArray a = Nd4j.create(data.clone(), new long[] {rows, cols}, 'c');
    params.add(a);
    return a;
  }

  private INDArray grad(int rows, int cols) {
    INDArray a = Nd4j.create(DataType.FLOAT, rows, cols);
    grads.add(a);
    return a;
  }

  ModelConfig config() {
    return config;
  }

  /** Parameter arrays, in a fixed order matching {@link #gradients}. */
  List<INDArray> parameters() {
    return params;
  }

  List<INDArray> gradients() {
    return grads;
  }

  long parameterCount() {
    long n = 0;
    for (INDArray p : params) {
      n += p.length();
    }
    return n;
  }

  /** A copy of the current parameters as model weights with the given config (name, provenance). */
  LstmWeights weights(ModelConfig withConfig) {
    float[][] wi = new float[layers][];
    float[][] wh = new float[layers][];
    float[][] bi = new float[layers][];
    float[][] bh = new float[layers][];
    for (int k = 0; k < layers; k++) {
      wi[k] = wih[k].data().asFloat();
      wh[k] = whh[k].data().asFloat();
      bi[k] = bih[k].data().asFloat();
      bh[k] = bhh[k].data().asFloat();
    }
    return new LstmWeights(withConfig, embedding.data().asFloat(), wi, wh, bi, bh,
        wout.data().asFloat(), bout.data().asFloat());
  }

  /** Sets the carried recurrent state of every stream to zero. */
  void resetState() {
    if (ws != null) {
      for (int k = 0; k < layers; k++) {
        ws.h0[k].assign(0);
        ws.c0[k].assign(0);
      }
    }
  }

  /**
   * Runs one window forward. {@code inputs[t][b]} is the token stream b consumes at step t, {@code
   * targets[t][b]} the token it should predict next, {@code keep[t][b]} 0 where stream b starts a
   * new piece at step t (its state is reset first), else 1, and {@code weight[t][b]} 1 for targets
   * that count, 0 for padding and for a piece's first token. With {@code dropout > 0} the layer
   * outputs are dropped out (training); {@link #backward} then computes the gradient of the mean
   * loss over the counted targets.
   *
   * @return the summed negative log-likelihood (nats) of the counted targets
   */
  double forward(int[][] inputs, int[][] targets, float[][] keep, float[][] weight,
      double dropout, SplittableRandom rnd) {
    int steps = inputs.length;
    int batch = inputs[0].length;
    if (ws == null || ws.steps != steps || ws.batch != batch) {
      ws = new Workspace(steps, batch, e, h, v, layers);
    }
    Workspace w = ws;
    int n = steps * batch;
    double counted = 0;
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        w.targets[t * batch + b] = targets[t][b];
        w.weight[t * batch + b] = weight[t][b];
        counted += weight[t][b];
      }
    }
    run(inputs, keep, dropout, rnd);
    if (rowLoss.length < n) {
      rowLoss = new double[n];
    }
    Floats lg = new Floats(w.logits);
    float scale = counted > 0 ? (float) (1.0 / counted) : 0f;
    double[] loss = rowLoss;
    parallel.forRows(n, (from, to) -> Kernels.softmaxLoss(lg, v, w.targets, w.weight, scale,
        loss, from, to));
    double sum = 0;
    for (int r = 0; r < n; r++) {
      sum += loss[r];
    }
    return sum;
  }

  /** Embeds the inputs and runs every layer and the output layer into {@code ws.logits}. */
  private void run(int[][] inputs, float[][] keep, double dropout, SplittableRandom rnd) {
    Workspace w = ws;
    int batch = w.batch;
    for (int t = 0; t < w.steps; t++) {
      for (int b = 0; b < batch; b++) {
        int tok = inputs[t][b];
        if (tok < 0 || tok >= v) {
          throw new IllegalArgumentException("token " + tok + " outside the vocabulary 0.." + (v - 1));
        }
        w.tokens[t * batch + b] = tok;
        w.keep[t * batch + b] = keep[t][b];
      }
    }
    Floats emb = new Floats(embedding);
    Floats x0 = new Floats(w.x[0]);
    int n = w.steps * batch;
    parallel.forRows(n, (from, to) -> Kernels.embed(emb, x0, w.tokens, e, from, to));
    for (int k = 0; k < layers; k++) {
      layerForward(k, w);
      Floats in = new Floats(w.hs[k]);
      Floats out = new Floats(k + 1 < layers ? w.x[k + 1] : w.top);
      Floats mask = new Floats(w.masks[k]);
      long seed = dropout > 0 ? rnd.nextLong() : 0;
      parallel.forRows(n, (from, to) -> Kernels.dropout(in, out, mask, h, dropout, seed, from, to));
    }
    Floats logits = new Floats(w.logits);
    Floats bias = new Floats(bout);
    parallel.forRows(n, (from, to) -> {
      Blas.gemm(false, true, to - from, v, h, 1f, w.top, (long) from * h, h, wout, 0, h, 0f,
          w.logits, (long) from * v, v);
      Kernels.addRow(logits, bias, null, v, from, to);
    });
  }

  /**
   * Layer k over the window: the input products of every row at once, rows shared out between
   * the threads; then the {@link Recurrence} step by step, the cell adding the biases as it
   * activates the gates (a pass over them saved).
   */
  private void layerForward(int k, Workspace w) {
    int in = k == 0 ? e : h;
    int g4 = 4 * h;
    INDArray gates = w.gates[k];
    parallel.forRows(w.steps * w.batch, (from, to) -> Blas.gemm(false, true, to - from, g4, in, 1f,
        w.x[k], (long) from * in, in, wih[k], 0, in, 0f, gates, (long) from * g4, g4));
    Floats bias = new Floats(gateBias[k]);
    Floats bi = new Floats(bih[k]);
    Floats bh = new Floats(bhh[k]);
    for (int j = 0; j < g4; j++) {
      bias.put(j, bi.get(j) + bh.get(j));
    }
    recurrence.forward(w, k, whh[k], new Cell(w, k, h, bias));
  }

  /** The kernel threads, for the optimiser's step. */
  Parallel parallel() {
    return parallel;
  }

  /** Zeroes the gradients; call before the {@link #backward} of each batch. */
  void zeroGradients() {
    for (INDArray g : grads) {
      Floats f = new Floats(g);
      parallel.forRows((int) g.length(), (from, to) -> Kernels.zero(f, from, to));
    }
  }

  /** Adds the gradient of the last {@link #forward}'s mean loss to the gradient arrays. */
  void backward() {
    Workspace w = ws;
    int n = w.steps * w.batch;
    Floats logits = new Floats(w.logits);
    Floats gb = new Floats(gBout);
    parallel.forRows(v, (from, to) -> {
      Blas.gemm(true, false, to - from, h, n, 1f, w.logits, from, v, w.top, 0, h, 1f, gWout,
          (long) from * h, h);
      Kernels.addColumnSums(logits, n, v, gb, null, from, to);
    });
    parallel.forRows(n, (from, to) -> Blas.gemm(false, false, to - from, h, v, 1f, w.logits,
        (long) from * v, v, wout, 0, h, 0f, w.dh, (long) from * h, h));
    for (int k = layers - 1; k >= 0; k--) {
      layerBackward(k, w);
      INDArray dx = k == 0 ? w.dx0 : w.dh;
      int in = k == 0 ? e : h;
      int layer = k;
      parallel.forRows(n, (from, to) -> Blas.gemm(false, false, to - from, in, 4 * h, 1f,
          w.dgates, (long) from * 4 * h, 4 * h, wih[layer], 0, in, 0f, dx, (long) from * in, in));
    }
    Floats dx = new Floats(w.dx0);
    Floats ge = new Floats(gEmbedding);
    parallel.forRows(v, (from, to) -> Kernels.addToTokenRows(dx, ge, w.tokens, n, e, from, to));
  }

  /**
   * Layer k backward: the {@link Recurrence} back through the window, then the weight gradients,
   * their rows shared out between the threads.
   */
  private void layerBackward(int k, Workspace w) {
    recurrence.backward(w, whh[k], new Cell(w, k, h, new Floats(gateBias[k])));
    int batch = w.batch;
    int g4 = 4 * h;
    int n = w.steps * batch;
    int in = k == 0 ? e : h;
    Floats dg = new Floats(w.dgates);
    Floats gbi = new Floats(gBih[k]);
    Floats gbh = new Floats(gBhh[k]);
    parallel.forRows(g4, (from, to) -> {
      Blas.gemm(true, false, to - from, h, n, 1f, w.dgates, from, g4, w.hprev[k], 0, h, 1f,
          gWhh[k], (long) from * h, h);
      Blas.gemm(true, false, to - from, in, n, 1f, w.dgates, from, g4, w.x[k], 0, in, 1f,
          gWih[k], (long) from * in, in);
      Kernels.addColumnSums(dg, n, g4, gbi, gbh, from, to);
    });
  }

  /**
   * Log-probabilities of the next token after each of {@code tokens}, from the zero state, without
   * dropout: row i is log-softmax of the output after consuming tokens 0..i (what {@code score}
   * prints). Resets the carried state.
   */
  float[][] logProbs(int[] tokens) {
    int steps = tokens.length;
    int[][] in = new int[steps][1];
    float[][] keep = new float[steps][1];
    for (int t = 0; t < steps; t++) {
      in[t][0] = tokens[t];
      keep[t][0] = t == 0 ? 0f : 1f;
    }
    ws = new Workspace(steps, 1, e, h, v, layers);
    run(in, keep, 0, null);
    float[][] out = new float[steps][v];
    Kernels.logSoftmax(new Floats(ws.logits), v, out, 0, steps);
    ws = null;
    return out;
  }

  @Override
  public void close() {
    parallel.close();
  }
}
