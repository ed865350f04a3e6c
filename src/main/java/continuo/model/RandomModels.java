package continuo.model;

import java.util.Map;

/**
 * Randomly initialised models for tests and benchmarks, drawn by {@link PytorchInit}. The same
 * arguments give the same weights.
 */
public final class RandomModels {
  private RandomModels() {}

  /** A performance-encoding model (V = 388) with embedding size E (0 = one-hot), H hidden, L layers. */
  public static LstmWeights create(int embeddingSize, int hiddenSize, int layers, long seed) {
    ModelConfig config = ModelConfig.performance(
        "random-e" + embeddingSize + "-h" + hiddenSize + "-l" + layers,
        "Random weights (seed " + seed + ") for tests and benchmarks; it plays noise.",
        embeddingSize, hiddenSize, layers, Map.of("corpus", "none", "seed", seed));
    return PytorchInit.draw(config, seed);
  }
}
