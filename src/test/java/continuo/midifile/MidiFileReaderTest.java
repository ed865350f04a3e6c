package continuo.midifile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import continuo.fuzz.FuzzSeeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class MidiFileReaderTest {
  @TempDir Path dir;

  @Test
  void keepsEveryChannelMessageOfEveryTrackInTimeOrderWithItsTrack() throws Exception {
    MidiFileWriter w = new MidiFileWriter(480);
    w.track().tempo(0, 250_000).add(480, 0xE0 | 0x40 << 16);
    w.track().add(0, 0xC2 | 7 << 8).add(480, 0xD2 | 33 << 8);
    TimedMessages m = MidiFileReader.parse(w.toBytes(), "x.mid");
    assertEquals(3, m.size());
    assertEquals(0xC2, m.status(0));
    assertEquals(7, m.data1(0));
    assertEquals(0xE0, m.status(1), "at equal ticks the earlier track first");
    assertEquals(0x40, m.data2(1));
    assertEquals(1, m.track(2));
    assertEquals(250_000, m.micros(2), "a quarter at 240 bpm");
    assertEquals(250_000, m.lengthMicros());
  }

  @Test
  void hugeDeltaTimesAreOneClearErrorNotGigabytes() {
    byte[] bomb = FuzzSeeds.deltaTimeBomb(3000);
    assertTrue(bomb.length > 20_000 && bomb.length < 23_000, "about 22 KB: " + bomb.length);
    IOException e = assertThrows(IOException.class, () -> MidiFileReader.parse(bomb, "bomb.mid"));
    assertTrue(e.getMessage().startsWith("bomb.mid: its events span ")
        && e.getMessage().endsWith("longer than the 6-hour limit for a MIDI file"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void aPieceOfJustUnderSixHoursIsRead() throws Exception {
    MidiFileWriter w = new MidiFileWriter(1);
    // One tick per quarter at one second per quarter: 21,599 s.
    w.track().tempo(0, 1_000_000).add(0, 0x90 | 60 << 8 | 1 << 16).add(21_599, 0x80 | 60 << 8);
    assertEquals(21_599_000_000L, MidiFileReader.parse(w.toBytes(), "long.mid").lengthMicros());
  }

  @Test
  void moreMessagesThanTheLimitAreOneClearError() {
    ByteArrayOutputStream t = new ByteArrayOutputStream();
    t.writeBytes(new byte[] {0, (byte) 0xC0, 1});
    for (int i = 0; i < MidiFileReader.MAX_MESSAGES; i++) {
      t.writeBytes(new byte[] {0, 1}); // running status: two bytes a message
    }
    t.writeBytes(new byte[] {0, (byte) 0xFF, 0x2F, 0});
    byte[] track = t.toByteArray();
    int n = track.length;
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96, 'M', 'T', 'r', 'k',
        (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    f.writeBytes(track);
    IOException e = assertThrows(IOException.class,
        () -> MidiFileReader.parse(f.toByteArray(), "many.mid"));
    assertEquals("many.mid: more than 1000000 channel messages, the limit for a MIDI file",
        e.getMessage());
  }

  @Test
  @Timeout(5)
  void aDeviceIsRefusedWithoutReadingIt() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero));
    IOException e = assertThrows(IOException.class, () -> MidiFileReader.read(zero));
    assertEquals("/dev/zero: not a regular file (a device, pipe or socket); expected a Standard"
        + " MIDI File", e.getMessage());
  }

  @Test
  @Timeout(5)
  void aFifoIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("phrase.mid");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is available");
    IOException e = assertThrows(IOException.class, () -> MidiFileReader.read(fifo));
    assertTrue(e.getMessage().startsWith(fifo + ": not a regular file"), e.getMessage());
  }

  @Test
  void aDirectoryOrAMissingFileIsOneClearLine() {
    IOException e = assertThrows(IOException.class, () -> MidiFileReader.read(dir));
    assertEquals(dir + ": is a directory, not a MIDI file", e.getMessage());
    Path missing = dir.resolve("nope.mid");
    e = assertThrows(IOException.class, () -> MidiFileReader.read(missing));
    assertEquals(missing + ": no such MIDI file", e.getMessage());
  }

  @Test
  void anEmptyFileIsNotAMidiFile() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mid"));
    IOException e = assertThrows(IOException.class, () -> MidiFileReader.read(empty));
    assertEquals(empty + ": not a Standard MIDI File (no MThd header)", e.getMessage());
  }
}
