package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.midifile.MidiFileReader;
import continuo.testkit.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.sound.midi.MidiSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run --record}: checked and claimed before the jam starts. */
class RecordTargetTest {
  @TempDir Path dir;

  private Path recordOf(String... args) throws Exception {
    RunCommand cmd = new RunCommand();
    String[] all = new String[args.length + 2];
    all[0] = "--model";
    all[1] = dir.resolve("m.cmodel").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    new CommandLine(cmd).parseArgs(all);
    return cmd.config().record();
  }

  @Test
  void aMissingDirectoryIsCreatedAndHoldsAReadableEmptyJamBeforeTheJamStarts() throws Exception {
    Path jam = dir.resolve("takes/today/jam.mid");
    assertEquals(jam, recordOf("--record", jam.toString()));
    assertEquals(0, MidiFileReader.read(jam).size());
    assertEquals(2, MidiSystem.getSequence(jam.toFile()).getTracks().length);
  }

  @Test
  void anExistingJamIsNeverReplacedTheNextFreeNumberIsUsed() throws Exception {
    Path jam = dir.resolve("jam.mid");
    Files.writeString(jam, "yesterday's jam");
    assertEquals(dir.resolve("jam-2.mid"), recordOf("--record", jam.toString()));
    assertEquals(dir.resolve("jam-3.mid"), recordOf("--record", jam.toString()));
    assertEquals("yesterday's jam", Files.readString(jam));
    assertEquals(dir.resolve("take-2"), RecordTarget.numbered(dir.resolve("take"), 2));
    assertEquals(dir.resolve("a.b-9999.mid"), RecordTarget.numbered(dir.resolve("a.b.mid"), 9999));
  }

  @Test
  void forceReplacesTheJamButOnlyOnceTheNewOneIsWritten() throws Exception {
    Path jam = dir.resolve("jam.mid");
    Files.writeString(jam, "yesterday's jam");
    assertEquals(jam, recordOf("--record", jam.toString(), "--force"));
    assertEquals("yesterday's jam", Files.readString(jam), "untouched until the jam writes");
    assertTrue(Files.list(dir).allMatch(jam::equals), "no probe file left");
  }

  @Test
  void aPathUnderAFileIsOneLineAndExitTwoBeforeTheModelIsEvenLoaded() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "x");
    Cli r = Cli.run("run", "--model", dir.resolve("missing.cmodel").toString(), "--record",
        file.resolve("jam.mid").toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals("run: --record " + file.resolve("jam.mid") + ": " + file
        + " is not a directory", r.err().strip());
  }

  @Test
  void aDirectoryAsTheRecordingIsOneLine() {
    Cli r = Cli.run("run", "--model", dir.resolve("missing.cmodel").toString(), "--record",
        dir.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().strip().endsWith("is a directory; expected a file such as "
        + dir.resolve("jam.mid")), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void aReadOnlyDirectoryIsOneLineAndExitTwoBeforeAnythingOpens() throws Exception {
    Path ro = dir.resolve("read-only");
    boolean mounted = SmallDisk.available(dir);
    SmallDisk disk = mounted ? new SmallDisk(ro, 16, true) : null;
    if (!mounted) { // without root a directory without write permission is read-only enough
      Files.createDirectory(ro, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("r-xr-xr-x")));
    }
    try {
      Cli r = Cli.run("run", "--model", dir.resolve("missing.cmodel").toString(), "--record",
          ro.resolve("jam.mid").toString());
      assertEquals(2, r.exit(), r.err());
      assertEquals("run: --record " + ro.resolve("jam.mid") + ": cannot write in " + ro + " ("
          + (mounted ? "Read-only file system" : "permission denied") + ")", r.err().strip());
    } finally {
      if (disk != null) {
        disk.close();
      }
    }
  }

  @Test
  void aJamThatNeverStartsLeavesNoEmptyFileBehind() {
    Path jam = dir.resolve("jam.mid");
    Cli r = Cli.run("run", "--model", dir.resolve("missing.cmodel").toString(), "--record",
        jam.toString(), "--backend", "javasound");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("no such model file"), r.err());
    assertFalse(Files.exists(jam));
  }
}
