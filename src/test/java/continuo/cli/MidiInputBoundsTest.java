package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import continuo.fuzz.FuzzSeeds;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every MIDI file a command reads costs what its length allows, or is one clear line. */
class MidiInputBoundsTest {
  @TempDir static Path dir;
  static Path model;
  static Path bomb;

  @BeforeAll
  static void write() throws Exception {
    model = dir.resolve("m.cmodel");
    ModelFile.write(RandomModels.create(16, 32, 1, 7), model);
    bomb = Files.write(dir.resolve("bomb.mid"), FuzzSeeds.deltaTimeBomb(3000));
  }

  private static void assertOneClearLine(Cli r, String command, Path file, String problem) {
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().startsWith(command + ": " + file + ": " + problem), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  @Timeout(20)
  void encodeRefusesTheDeltaTimeBombInOneLine() {
    Cli r = Cli.run("encode", "--model", model.toString(), bomb.toString());
    assertOneClearLine(r, "encode", bomb, "its events span");
    assertEquals("", r.out());
  }

  @Test
  @Timeout(20)
  void generateRefusesTheDeltaTimeBombInOneLine() {
    Cli r = Cli.run("generate", "--model", model.toString(), "--primer", bomb.toString(),
        "--out", dir.resolve("out.mid").toString());
    assertOneClearLine(r, "generate", bomb, "its events span");
    assertTrue(r.err().contains("6-hour limit"), r.err());
  }

  @Test
  @Timeout(20)
  void aDevicePrimerIsRefusedAtOnce() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero));
    Cli r = Cli.run("generate", "--model", model.toString(), "--primer", zero.toString(),
        "--out", dir.resolve("out.mid").toString());
    assertOneClearLine(r, "generate", zero, "not a regular file");
  }

  @Test
  @Timeout(20)
  void aFifoOrADirectoryAsPrimerOrInputIsRefusedAtOnce() throws Exception {
    Path fifo = dir.resolve("fifo.mid");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is available");
    Cli r = Cli.run("generate", "--model", model.toString(), "--primer", fifo.toString(),
        "--out", dir.resolve("out.mid").toString());
    assertOneClearLine(r, "generate", fifo, "not a regular file");
    r = Cli.run("encode", "--model", model.toString(), fifo.toString());
    assertOneClearLine(r, "encode", fifo, "not a regular file");
    Path sub = Files.createDirectories(dir.resolve("phrases"));
    r = Cli.run("encode", "--model", model.toString(), sub.toString());
    assertOneClearLine(r, "encode", sub, "is a directory");
  }

  @Test
  @Timeout(60)
  void runWithAnEmptyInputFileSaysWhatIsWrongInOneLine() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mid"));
    Cli r = Cli.run("run", "--model", model.toString(), "--backend", "javasound", "--in",
        "file:" + empty, "--seconds", "1");
    assertOneClearLine(r, "run", empty, "not a Standard MIDI File (no MThd header)");
    r = Cli.run("run", "--model", model.toString(), "--in", "file:" + bomb, "--seconds", "1");
    assertOneClearLine(r, "run", bomb, "its events span");
  }
}
