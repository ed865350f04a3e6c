package continuo.model;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Randomly initialised models for tests and benchmarks, drawn like PyTorch's default init: every
 * LSTM and output parameter uniform in (-1/sqrt(H), 1/sqrt(H)), embeddings standard normal. The
 * same arguments give the same weights.
 */
public final class RandomModels {
  private RandomModels() {}

  /** A performance-encoding model (V = 388) with embedding size E (0 = one-hot), H hidden, L layers. */
  public static LstmWeights create(int embeddingSize, int hiddenSize, int layers, long seed) {
    ModelConfig config = ModelConfig.performance(
        "random-e" + embeddingSize + "-h" + hiddenSize + "-l" + layers,
        "Random weights (seed " + seed + ") for tests and benchmarks; it plays noise.",
        embeddingSize, hiddenSize, layers, Map.of("corpus", "none", "seed", seed));
    SplittableRandom rnd = new SplittableRandom(seed);
    int v = config.vocabSize();
    int h = hiddenSize;
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
