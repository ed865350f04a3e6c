package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
  static final Path PRIMER = Path.of("../shared/corpora/nottingham/midi/ashover10.mid");

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
    List<Note> all = MidiFiles.read(out);
    long primerEnd = primer.stream().mapToLong(Note::endMicros).max().orElseThrow();
    List<Note> added = all.stream().filter(n -> n.startMicros() >= primerEnd - 1000).toList();
    assertTrue(all.size() > primer.size(), "the continuation added no notes");
    long primerNotesKept = all.stream().filter(n -> n.startMicros() < primerEnd - 1000).count();
    assertTrue(primerNotesKept >= primer.size() - added.size(),
        "primer notes are missing from the output");
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
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
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
  void aMissingPrimerIsOneClearLineAndExitCodeTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = runCapturingErr(err, "generate", "--model", model.toString(),
        "--primer", dir.resolve("nope.mid").toString(), "--out", dir.resolve("x.mid").toString());
    assertEquals(2, code);
    String text = err.toString().trim();
    assertFalse(text.contains("\n"), "expected one line, got: " + text);
    assertTrue(text.contains("nope.mid"), text);
  }

  @Test
  void aBadModelFileIsRefusedWithItsName() throws Exception {
    Path bad = dir.resolve("bad.cmodel");
    Files.writeString(bad, "not a zip");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = runCapturingErr(err, "generate", "--model", bad.toString(),
        "--primer", PRIMER.toString(), "--out", dir.resolve("y.mid").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("bad.cmodel"), err.toString());
    assertNotEquals("", err.toString().trim());
  }

  static int run(String... args) {
    return Main.newCommandLine().execute(args);
  }

  static int runCapturingErr(ByteArrayOutputStream err, String... args) {
    var cli = Main.newCommandLine();
    cli.setErr(new java.io.PrintWriter(new PrintStream(err), true));
    return cli.execute(args);
  }
}
