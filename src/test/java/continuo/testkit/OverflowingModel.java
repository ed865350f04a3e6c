package continuo.testkit;

import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A model whose weights are all finite but huge (3e38): its arithmetic overflows, so every score it
 * gives is NaN (issue 20). The loader refuses such a file ({@link #write}); {@link #weights} builds
 * it in memory, to prove that the sampler's own check stops what would reach it another way.
 */
public final class OverflowingModel {
  private OverflowingModel() {}

  /** Writes the model to {@code dir/huge.cmodel} and returns that path. */
  public static Path write(Path dir) throws IOException {
    Path file = dir.resolve("huge.cmodel");
    ModelFile.write(weights(), file);
    return file;
  }

  /** The huge weights themselves, never checked by a loader. */
  public static LstmWeights weights() {
    LstmWeights w = RandomModels.create(16, 32, 1, 5);
    for (float[][] layers : new float[][][] {w.weightIh(), w.weightHh(), w.biasIh(), w.biasHh()}) {
      for (float[] a : layers) {
        Arrays.fill(a, 3e38f);
      }
    }
    Arrays.fill(w.embedding(), 3e38f);
    Arrays.fill(w.outputWeight(), 3e38f);
    Arrays.fill(w.outputBias(), 3e38f);
    return w;
  }
}
