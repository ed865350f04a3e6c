package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.encoding.PerformanceEncoding;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import continuo.testkit.Corpora;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeCommandTest {
  static final Path TUNE = Corpora.fixture("nottingham/midi/ashover10.mid");

  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws Exception {
    assertTrue(Files.isRegularFile(TUNE), "corpus file missing: " + TUNE.toAbsolutePath());
    model = dir.resolve("m.cmodel");
    ModelFile.write(RandomModels.create(0, 8, 1, 1), model);
  }

  @Test
  void printsTheTokenIdsOfARealTuneCommaSeparatedOnOneLine() throws Exception {
    Cli r = Cli.run("encode", "--model", model.toString(), TUNE.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    assertTrue(r.out().endsWith("\n") && r.out().indexOf('\n') == r.out().length() - 1,
        "expected exactly one line");
    int[] tokens = Arrays.stream(r.out().strip().split(",")).mapToInt(Integer::parseInt).toArray();
    assertArrayEquals(EventEncoder.encode(MidiFiles.read(TUNE)), tokens);
    // Checked against the file's bytes, not our reader: one NOTE_ON per note, and each closed.
    byte[] smf = Files.readAllBytes(TUNE);
    long ons = Arrays.stream(tokens).filter(PerformanceEncoding::isNoteOn).count();
    long offs = Arrays.stream(tokens).filter(PerformanceEncoding::isNoteOff).count();
    assertEquals(MidiBytes.noteOnCount(smf), ons);
    assertEquals(ons, offs);
    for (int t : tokens) {
      assertTrue(PerformanceEncoding.isValid(t), "token " + t);
    }
  }

  @Test
  void aModelWithAnotherEncodingIsRefused() throws Exception {
    Path other = dir.resolve("remi.cmodel");
    try (ZipFile in = new ZipFile(model.toFile());
        OutputStream os = Files.newOutputStream(other);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        out.putNextEntry(new ZipEntry(e.getName()));
        try (InputStream is = in.getInputStream(e)) {
          byte[] bytes = is.readAllBytes();
          if (e.getName().equals("model.json")) {
            String json = new String(bytes, StandardCharsets.UTF_8);
            assertTrue(json.contains("\"performance\""));
            bytes = json.replace("\"performance\"", "\"remi\"").getBytes(StandardCharsets.UTF_8);
          }
          out.write(bytes);
        }
        out.closeEntry();
      }
    }
    Cli r = Cli.run("encode", "--model", other.toString(), TUNE.toString());
    assertEquals(2, r.exit());
    assertEquals("encode: " + other + " uses encoding 'remi', but only 'performance' is supported.",
        r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void aFileThatIsNotMidiIsOneClearLine() throws Exception {
    Path junk = dir.resolve("junk.mid");
    Files.writeString(junk, "this is not a MIDI file");
    Cli r = Cli.run("encode", "--model", model.toString(), junk.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().strip().startsWith("encode: ") && r.err().contains("junk.mid"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals("", r.out());
  }
}
