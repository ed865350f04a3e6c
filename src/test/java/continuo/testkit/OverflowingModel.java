package continuo.testkit;

import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A real model file whose weights are all finite but huge (3e38): it loads, and its arithmetic
 * overflows, so every score it gives is NaN (issue 20).
 */
public final class OverflowingModel {
  private OverflowingModel() {}

  /** Writes the model to {@code dir/huge.cmodel} and returns that path. */
  public static Path write(Path dir) throws IOException {
    LstmWeights w = RandomModels.create(16, 32, 1, 5);
    for (float[][] layers : new float[][][] {w.weightIh(), w.weightHh(), w.biasIh(), w.biasHh()}) {
      for (float[] a : layers) {
        Arrays.fill(a, 3e38f);
      }
    }
    Arrays.fill(w.embedding(), 3e38f);
    Arrays.fill(w.outputWeight(), 3e38f);
    Arrays.fill(w.outputBias(), 3e38f);
    Path file = dir.resolve("huge.cmodel");
    ModelFile.write(w, file);
    return file;
  }
}
