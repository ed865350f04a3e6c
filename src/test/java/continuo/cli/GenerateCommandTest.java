package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import continuo.testkit.Corpora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
  static final Path PRIMER = Corpora.fixture("nottingham/midi/ashover10.mid");

  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws Exception {
    assertTrue(Files.isRegularFile(PRIMER), "corpus file missing: " + PRIMER.toAbsolutePath());
    model = dir.resolve("tiny.cmodel");
    ModelFile.write(RandomModels.create(16, 32, 1, 7), model);
  }

  @Test
  void theOutputHoldsThePrimerFollowedByAContinuation() throws Exception {
    Path out = dir.resolve("out.mid");
    assertEquals(0, run("generate", "--model", model.toString(), "--primer", PRIMER.toString(),
        "--out", out.toString(), "--seconds", "5", "--seed", "3"));
    List<Note> primer = MidiFiles.read(PRIMER);
    List<Note> all = new ArrayList<>(MidiFiles.read(out));
    long primerEnd = primer.stream().mapToLong(Note::endMicros).max().orElseThrow();
    // One tick at 480 ppq and 120 bpm is about 1 ms: times may move by that much.
    long tolerance = 2_000;
    for (Note p : primer) {
      Note match = all.stream()
          .filter(n -> n.pitch() == p.pitch()
              && Math.abs(n.startMicros() - p.startMicros()) <= tolerance
              && Math.abs(n.endMicros() - p.endMicros()) <= tolerance)
          .findFirst()
          .orElseThrow(() -> new AssertionError("primer note " + p + " is missing from the output"));
      all.remove(match);
    }
    assertFalse(all.isEmpty(), "the continuation added no notes");
    for (Note n : all) {
      assertTrue(n.startMicros() >= primerEnd - tolerance,
          "continuation note " + n + " starts before the primer ends at " + primerEnd);
    }
    long lastEnd = all.stream().mapToLong(Note::endMicros).max().orElseThrow();
    assertTrue(lastEnd <= primerEnd + 5_000_000L + 1_100_000L,
        "the continuation runs far past --seconds: ends at " + lastEnd);
  }

  @Test
  void theSameSeedGivesAByteIdenticalFileAndAnotherSeedDoesNot() throws Exception {
    Path a = dir.resolve("a.mid");
    Path b = dir.resolve("b.mid");
    Path c = dir.resolve("c.mid");
    for (Path p : List.of(a, b)) {
      assertEquals(0, run("generate", "--model", model.toString(), "--primer", PRIMER.toString(),
          "--out", p.toString(), "--seconds", "4", "--seed", "42"));
    }
    assertEquals(0, run("generate", "--model", model.toString(), "--primer", PRIMER.toString(),
        "--out", c.toString(), "--seconds", "4", "--seed", "43"));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
  }

  @Test
  void everyNoteInTheOutputIsClosed() throws Exception {
    Path out = dir.resolve("closed.mid");
    assertEquals(0, run("generate", "--model", model.toString(), "--primer", PRIMER.toString(),
        "--out", out.toString(), "--seconds", "3", "--temperature", "1.5"));
    byte[] smf = Files.readAllBytes(out);
    // Count note-ons and note-offs at the byte level, independent of our reader.
    int[] balance = MidiBytes.noteBalance(smf);
    for (int pitch = 0; pitch < 128; pitch++) {
      assertEquals(0, balance[pitch], "pitch " + pitch + " is left sounding");
    }
  }

  @Test
  void wavRenderingProducesAudibleSound() throws Exception {
    Path out = dir.resolve("heard.mid");
    Path wav = dir.resolve("heard.wav");
    assertEquals(0, run("generate", "--model", model.toString(), "--primer", PRIMER.toString(),
        "--out", out.toString(), "--seconds", "2", "--wav", wav.toString()));
    assertTrue(Files.size(wav) > 44_100 * 4, "the WAV is shorter than a second");
  }

  @Test
  void aPresetNameResolvesPresetsTomlAndPlaysItsModelTemperatureAndTopP() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("presets"));
    Files.createDirectories(home.resolve("models"));
    Files.copy(model, home.resolve("models/jig.cmodel"));
    Files.writeString(home.resolve("presets/jig.toml"),
        "model = \"models/jig.cmodel\"\ntemperature = 1.3\ntop_p = 0.8\n");
    Path viaPreset = dir.resolve("preset.mid");
    Path viaOptions = dir.resolve("options.mid");
    Path viaDefaults = dir.resolve("defaults.mid");
    String before = System.getProperty("continuo.home");
    System.setProperty("continuo.home", home.toString());
    try {
      assertEquals(0, run("generate", "--preset", "jig", "--primer", PRIMER.toString(),
          "--out", viaPreset.toString(), "--seconds", "4", "--seed", "9"));
    } finally {
      if (before == null) {
        System.clearProperty("continuo.home");
      } else {
        System.setProperty("continuo.home", before);
      }
    }
    assertEquals(0, run("generate", "--model", model.toString(), "--temperature", "1.3",
        "--top-p", "0.8", "--primer", PRIMER.toString(), "--out", viaOptions.toString(),
        "--seconds", "4", "--seed", "9"));
    assertEquals(0, run("generate", "--model", model.toString(), "--primer", PRIMER.toString(),
        "--out", viaDefaults.toString(), "--seconds", "4", "--seed", "9"));
    assertArrayEquals(Files.readAllBytes(viaOptions), Files.readAllBytes(viaPreset),
        "--preset jig plays models/jig.cmodel at temperature 1.3, top-p 0.8");
    assertFalse(Arrays.equals(Files.readAllBytes(viaDefaults), Files.readAllBytes(viaPreset)),
        "the preset's sampling settings were ignored");
  }

  @Test
  void anUnknownPresetNamesTheAvailableOnes() {
    Cli r = Cli.run("generate", "--preset", "no-such-preset", "--primer", PRIMER.toString(),
        "--out", dir.resolve("z.mid").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no-such-preset") && r.err().contains("folk"), r.err());
  }

  @Test
  void aMissingPrimerIsOneClearLineAndExitCodeTwo() {
    Cli r = Cli.run("generate", "--model", model.toString(),
        "--primer", dir.resolve("nope.mid").toString(), "--out", dir.resolve("x.mid").toString());
    assertEquals(2, r.exit());
    String text = r.err().trim();
    assertFalse(text.contains("\n"), "expected one line, got: " + text);
    assertTrue(text.contains("nope.mid"), text);
    assertFalse(Files.exists(dir.resolve("x.mid")));
  }

  @Test
  void aBadModelFileIsRefusedWithItsName() throws Exception {
    Path bad = dir.resolve("bad.cmodel");
    Files.writeString(bad, "not a zip");
    Cli r = Cli.run("generate", "--model", bad.toString(),
        "--primer", PRIMER.toString(), "--out", dir.resolve("y.mid").toString());
    assertEquals(2, r.exit());
    assertEquals("generate: " + bad + " is not a .cmodel file (not a zip archive).", r.err().strip());
  }

  @Test
  void outOfRangeSamplingSettingsAreRefused() {
    Cli r = Cli.run("generate", "--model", model.toString(), "--primer", PRIMER.toString(),
        "--out", dir.resolve("w.mid").toString(), "--top-p", "1.5");
    assertEquals(2, r.exit());
    assertEquals("generate: --top-p must be greater than 0 and at most 1, got 1.5", r.err().strip());
  }

  static int run(String... args) {
    Cli r = Cli.run(args);
    assertEquals("", r.out(), "generate prints nothing on stdout");
    return r.exit();
  }
}
