package continuo.testkit;

import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import java.nio.file.Path;

/** Copies of model files that say which tempo they speak at ({@code reference_bpm}). */
public final class ReferenceModels {
  private ReferenceModels() {}

  /** Writes {@code model} with reference tempo {@code bpm} to {@code copy}; returns the copy. */
  public static Path withReferenceBpm(Path model, double bpm, Path copy) throws Exception {
    LstmWeights w = ModelFile.read(model);
    ModelFile.write(new LstmWeights(w.config().withReferenceBpm(bpm), w.embedding(),
        w.weightIh(), w.weightHh(), w.biasIh(), w.biasHh(), w.outputWeight(), w.outputBias()),
        copy);
    return copy;
  }
}
