package continuo.model;

/**
 * Load-time transformations every stepper shares. The first layer's input projection depends only
 * on the token, so {@code W_ih0 · x(token) + b_ih0 + b_hh0} is precomputed for all V tokens (in
 * double precision, then rounded once): at run time it is a row lookup, for embedding and one-hot
 * input alike. Deeper layers fold their two bias vectors into one.
 */
final class Prepared {
  private Prepared() {}

  /** [V][4H]: layer 0's input contribution plus both biases, per token. */
  static float[][] inputTable(LstmWeights w) {
    ModelConfig c = w.config();
    int v = c.vocabSize();
    int g = 4 * c.hiddenSize();
    int in = c.inputSize();
    float[] wih = w.weightIh()[0];
    float[] bih = w.biasIh()[0];
    float[] bhh = w.biasHh()[0];
    float[][] table = new float[v][g];
    double[] x = new double[in];
    for (int t = 0; t < v; t++) {
      if (w.embedding() == null) {
        for (int r = 0; r < g; r++) {
          table[t][r] = (float) ((double) wih[r * in + t] + bih[r] + bhh[r]);
        }
        continue;
      }
      for (int j = 0; j < in; j++) {
        x[j] = w.embedding()[t * in + j];
      }
      for (int r = 0; r < g; r++) {
        double s = (double) bih[r] + bhh[r];
        int base = r * in;
        for (int j = 0; j < in; j++) {
          s += wih[base + j] * x[j];
        }
        table[t][r] = (float) s;
      }
    }
    return table;
  }

  /** b_ih + b_hh of layer k. */
  static float[] bias(LstmWeights w, int k) {
    float[] a = w.biasIh()[k];
    float[] b = w.biasHh()[k];
    float[] s = new float[a.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = a[i] + b[i];
    }
    return s;
  }

  /** Bytes of weights a step reads: layer 0's table row and recurrent matrix, deeper layers' two matrices, the output layer. */
  static long bytesPerStep(ModelConfig c, boolean withOutput) {
    long h = c.hiddenSize();
    long floats = 4 * h + 4 * h * h;
    for (int k = 1; k < c.layers(); k++) {
      floats += 4 * h * (2 * h) + 4 * h;
    }
    if (withOutput) {
      floats += c.vocabSize() * h + c.vocabSize();
    }
    return floats * 4;
  }
}
