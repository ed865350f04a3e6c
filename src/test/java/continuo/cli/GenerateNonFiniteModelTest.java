package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.testkit.OverflowingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model of finite but huge weights must not write thousands of notes of pitch 0. */
class GenerateNonFiniteModelTest {
  @TempDir Path dir;

  @Test
  void aModelWhoseScoresWouldOverflowIsRefusedInOneLineBeforeAnythingIsWritten()
      throws Exception {
    Path model = OverflowingModel.write(dir);
    Path primer = dir.resolve("primer.mid");
    MidiFiles.write(List.of(new Note(60, 80, 0, 400_000, 0), new Note(64, 80, 400_000, 800_000, 0)),
        primer);
    Path out = dir.resolve("out.mid");

    Cli r = Cli.run("generate", "--model", model.toString(), "--primer", primer.toString(),
        "--out", out.toString(), "--seconds", "5");

    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("generate: ") && r.err().contains("huge.cmodel")
        && r.err().contains("weights must lie within"), r.err());
    assertFalse(Files.exists(out), "nothing written");
  }
}
