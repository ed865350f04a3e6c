package continuo.train;

import continuo.model.LstmWeights;
import continuo.model.ModelConfig;
import continuo.model.PytorchInit;

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
    return PytorchInit.draw(arch, seed);
  }
}
