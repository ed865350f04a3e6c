package continuo.train;

import continuo.model.LstmWeights;
import continuo.model.ModelConfig;
import java.util.SplittableRandom;

/**
 * The weights training starts from, drawn as PyTorch initialises the same layers (so both trainers
 * start alike): every LSTM and output parameter uniform in (-1/sqrt(H), 1/sqrt(H)), the embedding
 * standard normal. The same architecture and seed give the same weights. Any thread.
 */
final class Initialisation {
  private Initialisation() {}

  static LstmWeights pytorchDefault(ModelConfig arch, long seed) {
    if (arch.embeddingSize() <= 0) {
      throw new IllegalArgumentException("training needs an embedding (E >= 1), got E="
          + arch.embeddingSize());
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    int v = arch.vocabSize();
    int e = arch.embeddingSize();
    int h = arch.hiddenSize();
    int layers = arch.layers();
    float bound = (float) (1.0 / Math.sqrt(h));
    float[] embedding = new float[v * e];
    for (int i = 0; i < embedding.length; i++) {
      embedding[i] = (float) gaussian(rnd);
    }
    float[][] wih = new float[layers][];
    float[][] whh = new float[layers][];
    float[][] bih = new float[layers][];
    float[][] bhh = new float[layers][];
    for (int k = 0; k < layers; k++) {
      wih[k] = uniform(rnd, 4 * h * (k == 0 ? e : h), bound);
      whh[k] = uniform(rnd, 4 * h * h, bound);
      bih[k] = uniform(rnd, 4 * h, bound);
      bhh[k] = uniform(rnd, 4 * h, bound);
    }
    return new LstmWeights(arch, embedding, wih, whh, bih, bhh, uniform(rnd, v * h, bound),
        uniform(rnd, v, bound));
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
