package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20: a model of finite but huge weights must not write thousands of notes of pitch 0. */
class GenerateNonFiniteModelTest {
  @TempDir Path dir;

  @Test
  void aModelWhoseScoresOverflowStopsGenerateWithOneLineNamingIt() throws Exception {
    LstmWeights w = RandomModels.create(16, 32, 1, 5);
    for (float[][] layers : new float[][][] {w.weightIh(), w.weightHh(), w.biasIh(), w.biasHh()}) {
      for (float[] a : layers) {
        Arrays.fill(a, 3e38f);
      }
    }
    Arrays.fill(w.embedding(), 3e38f);
    Arrays.fill(w.outputWeight(), 3e38f);
    Arrays.fill(w.outputBias(), 3e38f);
    Path model = dir.resolve("huge.cmodel");
    ModelFile.write(w, model);
    Path primer = dir.resolve("primer.mid");
    MidiFiles.write(List.of(new Note(60, 80, 0, 400_000, 0), new Note(64, 80, 400_000, 800_000, 0)),
        primer);
    Path out = dir.resolve("out.mid");

    Cli r = Cli.run("generate", "--model", model.toString(), "--primer", primer.toString(),
        "--out", out.toString(), "--seconds", "5");

    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("generate: huge.cmodel gives scores that are not finite"),
        r.err());
    assertFalse(Files.exists(out), "nothing written");
  }
}
