package continuo.model;

import java.util.SplittableRandom;

/**
 * Weights drawn as PyTorch initialises the same layers: every LSTM and output parameter uniform in
 * (-1/sqrt(H), 1/sqrt(H)), the embedding standard normal. Training starts from them (so both
 * trainers start alike), and tests and benchmarks use them as random models. The same config and
 * seed give the same weights. Any thread.
 */
public final class PytorchInit {
  private PytorchInit() {}

  /** Draws every tensor of {@code config}'s architecture from {@code seed}. */
  public static LstmWeights draw(ModelConfig config, long seed) {
    int embeddingSize = config.embeddingSize();
    int layers = config.layers();
    SplittableRandom rnd = new SplittableRandom(seed);
    int v = config.vocabSize();
    int h = config.hiddenSize();
    float bound = (float) (1.0 / Math.sqrt(h));
    float[] embedding = null;
    if (embeddingSize > 0) {
      embedding = new float[v * embeddingSize];
      for (int i = 0; i < embedding.length; i++) {
        embedding[i] = (float) gaussian(rnd);
      }
    }
    float[][] wih = new float[layers][];
    float[][] whh = new float[layers][];
    float[][] bih = new float[layers][];
    float[][] bhh = new float[layers][];
    for (int k = 0; k < layers; k++) {
      int in = k == 0 ? config.inputSize() : h;
      wih[k] = uniform(rnd, 4 * h * in, bound);
      whh[k] = uniform(rnd, 4 * h * h, bound);
      bih[k] = uniform(rnd, 4 * h, bound);
      bhh[k] = uniform(rnd, 4 * h, bound);
    }
    return new LstmWeights(config, embedding, wih, whh, bih, bhh,
        uniform(rnd, v * h, bound), uniform(rnd, v, bound));
  }

  private static float[] uniform(SplittableRandom rnd, int n, float bound) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    return a;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u1 = 1.0 - rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
