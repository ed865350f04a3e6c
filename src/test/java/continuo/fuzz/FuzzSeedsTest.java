package continuo.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.model.ModelFile;
import continuo.preset.Presets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed seed inputs are valid files, so fuzzing starts from the accepted side of each check. */
class FuzzSeedsTest {
  @TempDir Path dir;

  @Test
  void theMidiSeedsReadAsNotes() throws Exception {
    List<Path> seeds = FuzzSeeds.seeds("MidiFilesFuzzTest", "anyBytesGiveNotesOrOneClearError");
    assertEquals(2, seeds.size());
    for (Path p : seeds) {
      assertFalse(MidiFiles.read(p).isEmpty(), p.toString());
    }
    List<Note> notes = MidiFiles.parse(FuzzSeeds.format0(), "format0");
    // The pedal holds 60 past its note-off (0.5 s) until it lifts one quarter after the change to
    // 60 bpm: 1 s at 120 bpm + 1 s at 60 bpm. The drum note is skipped.
    assertEquals(List.of(new Note(60, 100, 0, 2_000_000, 0), new Note(64, 90, 0, 2_000_000, 0)), notes);
  }

  @Test
  void theModelSeedsLoad() throws Exception {
    for (Path p : FuzzSeeds.seeds("ModelFileFuzzTest", "anyBytesLoadAsAModelOrGiveOneClearError")) {
      assertEquals(1, ModelFile.read(p).config().hiddenSize(), p.toString());
    }
    List<Path> structured =
        FuzzSeeds.seeds("ModelFileFuzzTest", "anyEntriesLoadAsAModelOrGiveOneClearError");
    assertEquals(3, structured.size());
    for (Path p : structured) {
      Path zip = Files.write(dir.resolve(p.getFileName() + ".cmodel"),
          ModelFileFuzzTest.zipOf(Files.readAllBytes(p)));
      assertTrue(ModelFile.read(zip).parameterCount() > 0, p.toString());
    }
  }

  @Test
  void thePresetSeedsLoad() throws Exception {
    List<Path> seeds = FuzzSeeds.seeds("PresetsFuzzTest", "anyFileGivesAValidPresetOrOneClearError");
    assertEquals(3, seeds.size());
    for (Path p : seeds) {
      assertFalse(Presets.load(p).model().toString().isEmpty(), p.toString());
    }
  }
}
