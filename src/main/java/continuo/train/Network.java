package continuo.train;

import continuo.model.LstmWeights;
import continuo.model.ModelConfig;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@code Embedding -> LSTM(L) -> Linear} model in training form: a batched forward pass over a
 * window of B streams by T steps and its exact gradient (truncated back-propagation through time),
 * with the matrix products on ND4J (BLAS) and the element-wise gate arithmetic in Java loops over
 * the same native buffers. Parameters use PyTorch's layout and gate order (i, f, g, o), so {@link
 * #weights} is a {@code .cmodel} without conversion. The recurrent state is carried from window to
 * window and reset per stream where a new piece starts. Single-threaded.
 */
final class Network {
  private final ModelConfig config;
  private final int v;
  private final int e;
  private final int h;
  private final int layers;

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
  private final List<INDArray> params = new ArrayList<>();
  private final List<INDArray> grads = new ArrayList<>();

  private Workspace ws;

  Network(LstmWeights w) {
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
    for (int k = 0; k < layers; k++) {
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
      ws = new Workspace(steps, batch);
    }
    Workspace w = ws;
    int n = steps * batch;
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        w.targets[t * batch + b] = targets[t][b];
        w.weight[t * batch + b] = weight[t][b];
      }
    }
    run(inputs, keep, dropout, rnd);
    double counted = 0;
    for (int r = 0; r < n; r++) {
      counted += w.weight[r];
    }
    FloatBuffer lg = buffer(w.logits);
    double loss = 0;
    float scale = counted > 0 ? (float) (1.0 / counted) : 0f;
    for (int r = 0; r < n; r++) {
      int base = r * v;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < v; j++) {
        max = Math.max(max, lg.get(base + j));
      }
      float target = lg.get(base + w.targets[r]);
      double sum = 0;
      for (int j = 0; j < v; j++) {
        float x = (float) Math.exp(lg.get(base + j) - max);
        lg.put(base + j, x);
        sum += x;
      }
      float wr = w.weight[r];
      if (wr != 0f) {
        loss -= wr * (target - max - Math.log(sum));
      }
      // The logits buffer becomes d(mean loss)/d(logits) = weight * (softmax - onehot) / counted.
      float perProbability = (float) (wr * scale / sum);
      for (int j = 0; j < v; j++) {
        lg.put(base + j, perProbability * lg.get(base + j));
      }
      lg.put(base + w.targets[r], lg.get(base + w.targets[r]) - wr * scale);
    }
    return loss;
  }

  private void layerForward(int k, Workspace w) {
    int steps = w.steps;
    int batch = w.batch;
    INDArray gates = w.gates[k];
    Nd4j.gemm(w.x[k], wih[k], gates, false, true, 1.0, 0.0);
    gates.addiRowVector(bih[k]);
    gates.addiRowVector(bhh[k]);
    FloatBuffer g = buffer(gates);
    FloatBuffer hp = buffer(w.hprev[k]);
    FloatBuffer cp = buffer(w.cprev[k]);
    FloatBuffer hs = buffer(w.hs[k]);
    FloatBuffer cs = buffer(w.cs[k]);
    FloatBuffer tc = buffer(w.tanhC[k]);
    FloatBuffer h0 = buffer(w.h0[k]);
    FloatBuffer c0 = buffer(w.c0[k]);
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        float keep = w.keep[t * batch + b];
        int dst = (t * batch + b) * h;
        int src = ((t - 1) * batch + b) * h;
        for (int j = 0; j < h; j++) {
          float hv = t == 0 ? h0.get(b * h + j) : hs.get(src + j);
          float cv = t == 0 ? c0.get(b * h + j) : cs.get(src + j);
          hp.put(dst + j, keep * hv);
          cp.put(dst + j, keep * cv);
        }
      }
      Nd4j.gemm(w.hprevRows[k][t], whh[k], w.gateRows[k][t], false, true, 1.0, 1.0);
      for (int b = 0; b < batch; b++) {
        int row = t * batch + b;
        int gb = row * 4 * h;
        int hb = row * h;
        for (int j = 0; j < h; j++) {
          float i = sigmoid(g.get(gb + j));
          float f = sigmoid(g.get(gb + h + j));
          float gg = (float) Math.tanh(g.get(gb + 2 * h + j));
          float o = sigmoid(g.get(gb + 3 * h + j));
          g.put(gb + j, i);
          g.put(gb + h + j, f);
          g.put(gb + 2 * h + j, gg);
          g.put(gb + 3 * h + j, o);
          float c = f * cp.get(hb + j) + i * gg;
          float th = (float) Math.tanh(c);
          cs.put(hb + j, c);
          tc.put(hb + j, th);
          hs.put(hb + j, o * th);
        }
      }
    }
    int last = (steps - 1) * batch * h;
    for (int r = 0; r < batch * h; r++) {
      h0.put(r, hs.get(last + r));
      c0.put(r, cs.get(last + r));
    }
  }

  private void dropOut(INDArray in, INDArray out, INDArray mask, double p, SplittableRandom rnd) {
    FloatBuffer src = buffer(in);
    FloatBuffer dst = buffer(out);
    FloatBuffer m = buffer(mask);
    int n = (int) in.length();
    if (p <= 0) {
      for (int i = 0; i < n; i++) {
        dst.put(i, src.get(i));
        m.put(i, 1f);
      }
      return;
    }
    float kept = (float) (1.0 / (1.0 - p));
    for (int i = 0; i < n; i++) {
      float mi = rnd.nextDouble() < p ? 0f : kept;
      m.put(i, mi);
      dst.put(i, src.get(i) * mi);
    }
  }

  /** Zeroes the gradients; call before the {@link #backward} of each batch. */
  void zeroGradients() {
    for (INDArray g : grads) {
      g.assign(0);
    }
  }

  /** Adds the gradient of the last {@link #forward}'s mean loss to the gradient arrays. */
  void backward() {
    Workspace w = ws;
    int steps = w.steps;
    int batch = w.batch;
    int n = steps * batch;
    Nd4j.gemm(w.logits, w.top, gWout, true, false, 1.0, 1.0);
    gBout.addi(w.logits.sum(0).reshape(1, v));
    Nd4j.gemm(w.logits, wout, w.dh, false, false, 1.0, 0.0);
    for (int k = layers - 1; k >= 0; k--) {
      FloatBuffer dh = buffer(w.dh);
      FloatBuffer mask = buffer(w.masks[k]);
      for (int i = 0; i < n * h; i++) {
        dh.put(i, dh.get(i) * mask.get(i));
      }
      layerBackward(k, w);
      INDArray dx = k == 0 ? w.dx0 : w.dh;
      Nd4j.gemm(w.dgates, wih[k], dx, false, false, 1.0, 0.0);
    }
    FloatBuffer dx = buffer(w.dx0);
    FloatBuffer ge = buffer(gEmbedding);
    for (int r = 0; r < n; r++) {
      int dst = w.tokens[r] * e;
      int src = r * e;
      for (int j = 0; j < e; j++) {
        ge.put(dst + j, ge.get(dst + j) + dx.get(src + j));
      }
    }
  }

  private void layerBackward(int k, Workspace w) {
    int steps = w.steps;
    int batch = w.batch;
    FloatBuffer dh = buffer(w.dh);
    FloatBuffer a = buffer(w.gates[k]);
    FloatBuffer cp = buffer(w.cprev[k]);
    FloatBuffer tc = buffer(w.tanhC[k]);
    FloatBuffer dg = buffer(w.dgates);
    FloatBuffer dhNext = buffer(w.dhNext);
    FloatBuffer dcNext = w.dcNext;
    w.dhNext.assign(0);
    for (int i = 0; i < batch * h; i++) {
      dcNext.put(i, 0f);
    }
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int row = t * batch + b;
        int gb = row * 4 * h;
        int hb = row * h;
        float keep = w.keep[row];
        for (int j = 0; j < h; j++) {
          float i = a.get(gb + j);
          float f = a.get(gb + h + j);
          float gg = a.get(gb + 2 * h + j);
          float o = a.get(gb + 3 * h + j);
          float th = tc.get(hb + j);
          float dhv = dh.get(hb + j) + dhNext.get(b * h + j);
          float dc = dcNext.get(b * h + j) + dhv * o * (1 - th * th);
          dg.put(gb + j, dc * gg * i * (1 - i));
          dg.put(gb + h + j, dc * cp.get(hb + j) * f * (1 - f));
          dg.put(gb + 2 * h + j, dc * i * (1 - gg * gg));
          dg.put(gb + 3 * h + j, dhv * th * o * (1 - o));
          dcNext.put(b * h + j, keep * dc * f);
        }
      }
      Nd4j.gemm(w.dgateRows[t], whh[k], w.dhNext, false, false, 1.0, 0.0);
      for (int b = 0; b < batch; b++) {
        float keep = w.keep[t * batch + b];
        if (keep != 1f) {
          for (int j = 0; j < h; j++) {
            dhNext.put(b * h + j, keep * dhNext.get(b * h + j));
          }
        }
      }
    }
    Nd4j.gemm(w.dgates, w.hprev[k], gWhh[k], true, false, 1.0, 1.0);
    Nd4j.gemm(w.dgates, w.x[k], gWih[k], true, false, 1.0, 1.0);
    INDArray db = w.dgates.sum(0).reshape(1, 4 * h);
    gBih[k].addi(db);
    gBhh[k].addi(db);
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
    ws = new Workspace(steps, 1);
    run(in, keep, 0, null);
    FloatBuffer lg = buffer(ws.logits);
    float[][] out = new float[steps][v];
    for (int t = 0; t < steps; t++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < v; j++) {
        max = Math.max(max, lg.get(t * v + j));
      }
      double sum = 0;
      for (int j = 0; j < v; j++) {
        sum += Math.exp(lg.get(t * v + j) - max);
      }
      float logSum = (float) Math.log(sum);
      for (int j = 0; j < v; j++) {
        out[t][j] = lg.get(t * v + j) - max - logSum;
      }
    }
    ws = null;
    return out;
  }

  /** Embeds the inputs and runs every layer and the output layer into {@code ws.logits}. */
  private void run(int[][] inputs, float[][] keep, double dropout, SplittableRandom rnd) {
    Workspace w = ws;
    int batch = w.batch;
    FloatBuffer emb = buffer(embedding);
    FloatBuffer x0 = buffer(w.x[0]);
    for (int t = 0; t < w.steps; t++) {
      for (int b = 0; b < batch; b++) {
        int tok = inputs[t][b];
        if (tok < 0 || tok >= v) {
          throw new IllegalArgumentException("token " + tok + " outside the vocabulary 0.." + (v - 1));
        }
        int row = t * batch + b;
        w.tokens[row] = tok;
        w.keep[row] = keep[t][b];
        for (int j = 0; j < e; j++) {
          x0.put(row * e + j, emb.get(tok * e + j));
        }
      }
    }
    for (int k = 0; k < layers; k++) {
      layerForward(k, w);
      dropOut(w.hs[k], k + 1 < layers ? w.x[k + 1] : w.top, w.masks[k], dropout, rnd);
    }
    Nd4j.gemm(w.top, wout, w.logits, false, true, 1.0, 0.0);
    w.logits.addiRowVector(bout);
  }

  private static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  private static FloatBuffer buffer(INDArray a) {
    return a.data().asNioFloat();
  }

  /** Every per-window array, sized for one (steps, batch) shape and reused across windows. */
  private final class Workspace {
    final int steps;
    final int batch;
    final int[] tokens;
    final int[] targets;
    final float[] keep;
    final float[] weight;
    final INDArray[] x;
    final INDArray[] gates;
    final INDArray[][] gateRows;
    final INDArray[] hprev;
    final INDArray[][] hprevRows;
    final INDArray[] cprev;
    final INDArray[] hs;
    final INDArray[] cs;
    final INDArray[] tanhC;
    final INDArray[] masks;
    final INDArray[] h0;
    final INDArray[] c0;
    final INDArray top;
    final INDArray logits;
    final INDArray dh;
    final INDArray dx0;
    final INDArray dgates;
    final INDArray[] dgateRows;
    final INDArray dhNext;
    final FloatBuffer dcNext;

    Workspace(int steps, int batch) {
      this.steps = steps;
      this.batch = batch;
      int n = steps * batch;
      tokens = new int[n];
      targets = new int[n];
      keep = new float[n];
      weight = new float[n];
      x = new INDArray[layers];
      gates = new INDArray[layers];
      gateRows = new INDArray[layers][];
      hprev = new INDArray[layers];
      hprevRows = new INDArray[layers][];
      cprev = new INDArray[layers];
      hs = new INDArray[layers];
      cs = new INDArray[layers];
      tanhC = new INDArray[layers];
      masks = new INDArray[layers];
      h0 = new INDArray[layers];
      c0 = new INDArray[layers];
      for (int k = 0; k < layers; k++) {
        x[k] = Nd4j.create(DataType.FLOAT, n, k == 0 ? e : h);
        gates[k] = Nd4j.create(DataType.FLOAT, n, 4 * h);
        gateRows[k] = rows(gates[k], steps, batch);
        hprev[k] = Nd4j.create(DataType.FLOAT, n, h);
        hprevRows[k] = rows(hprev[k], steps, batch);
        cprev[k] = Nd4j.create(DataType.FLOAT, n, h);
        hs[k] = Nd4j.create(DataType.FLOAT, n, h);
        cs[k] = Nd4j.create(DataType.FLOAT, n, h);
        tanhC[k] = Nd4j.create(DataType.FLOAT, n, h);
        masks[k] = Nd4j.create(DataType.FLOAT, n, h);
        h0[k] = Nd4j.create(DataType.FLOAT, batch, h);
        c0[k] = Nd4j.create(DataType.FLOAT, batch, h);
      }
      top = Nd4j.create(DataType.FLOAT, n, h);
      logits = Nd4j.create(DataType.FLOAT, n, v);
      dh = Nd4j.create(DataType.FLOAT, n, h);
      dx0 = Nd4j.create(DataType.FLOAT, n, e);
      dgates = Nd4j.create(DataType.FLOAT, n, 4 * h);
      dgateRows = rows(dgates, steps, batch);
      dhNext = Nd4j.create(DataType.FLOAT, batch, h);
      dcNext = FloatBuffer.allocate(batch * h);
    }

    private INDArray[] rows(INDArray a, int steps, int batch) {
      INDArray[] r = new INDArray[steps];
      for (int t = 0; t < steps; t++) {
        r[t] = a.get(NDArrayIndex.interval(t * batch, (t + 1) * batch), NDArrayIndex.all());
      }
      return r;
    }
  }
}
