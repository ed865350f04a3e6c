package continuo.model;

/**
 * A deliberately plain double-precision LSTM, written straight from PyTorch's documented equations
 * and sharing no code with the steppers, as the reference they are checked against.
 */
final class ReferenceLstm {
  private final LstmWeights w;
  private final int v;
  private final int e;
  private final int hs;
  private final double[][] h;
  private final double[][] c;

  ReferenceLstm(LstmWeights w) {
    this.w = w;
    this.v = w.config().vocabSize();
    this.e = w.config().embeddingSize();
    this.hs = w.config().hiddenSize();
    this.h = new double[w.config().layers()][hs];
    this.c = new double[w.config().layers()][hs];
  }

  /** Consumes one token and returns log-softmax of the output. */
  double[] step(int token) {
    double[] x;
    if (e == 0) {
      x = new double[v];
      x[token] = 1.0;
    } else {
      x = new double[e];
      for (int j = 0; j < e; j++) {
        x[j] = w.embedding()[token * e + j];
      }
    }
    for (int k = 0; k < h.length; k++) {
      double[] hPrev = h[k].clone();
      double[] cPrev = c[k].clone();
      double[][] gate = new double[4][hs];
      for (int q = 0; q < 4; q++) {
        for (int j = 0; j < hs; j++) {
          int row = q * hs + j;
          double s = w.biasIh()[k][row] + w.biasHh()[k][row];
          for (int m = 0; m < x.length; m++) {
            s += w.weightIh()[k][row * x.length + m] * x[m];
          }
          for (int m = 0; m < hs; m++) {
            s += w.weightHh()[k][row * hs + m] * hPrev[m];
          }
          gate[q][j] = s;
        }
      }
      for (int j = 0; j < hs; j++) {
        double i = 1 / (1 + Math.exp(-gate[0][j]));
        double f = 1 / (1 + Math.exp(-gate[1][j]));
        double g = Math.tanh(gate[2][j]);
        double o = 1 / (1 + Math.exp(-gate[3][j]));
        c[k][j] = f * cPrev[j] + i * g;
        h[k][j] = o * Math.tanh(c[k][j]);
      }
      x = h[k];
    }
    double[] logits = new double[v];
    double max = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < v; r++) {
      double s = w.outputBias()[r];
      for (int m = 0; m < hs; m++) {
        s += w.outputWeight()[r * hs + m] * x[m];
      }
      logits[r] = s;
      max = Math.max(max, s);
    }
    double z = 0;
    for (double l : logits) {
      z += Math.exp(l - max);
    }
    double log = max + Math.log(z);
    for (int r = 0; r < v; r++) {
      logits[r] -= log;
    }
    return logits;
  }

  static double[] logSoftmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) max = Math.max(max, l);
    double z = 0;
    for (float l : logits) z += Math.exp(l - max);
    double log = max + Math.log(z);
    double[] out = new double[logits.length];
    for (int i = 0; i < out.length; i++) out[i] = logits[i] - log;
    return out;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    return d;
  }
}
