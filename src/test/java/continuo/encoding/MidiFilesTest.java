package continuo.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.testkit.Corpora;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

class MidiFilesTest {
  static final Path CORPORA = Corpora.FIXTURES;
  @TempDir Path dir;

  @Test
  void everyFixtureTuneAndSongReads() throws Exception {
    assertEquals(16, readEveryTuneAndSong(CORPORA));
  }

  @Test
  @EnabledIfEnvironmentVariable(named = Corpora.ENV, matches = ".+")
  void everyNottinghamTuneAndEveryPop909SongReads() throws Exception {
    int files = readEveryTuneAndSong(Corpora.full());
    assertTrue(files > 1700, files + " files");
  }

  /** Reads every MIDI file of the Nottingham and POP909 folders under {@code corpora}. */
  private static int readEveryTuneAndSong(Path corpora) throws IOException {
    int files = 0;
    for (String corpus : new String[] {"nottingham/midi", "pop909"}) {
      List<Path> list;
      try (Stream<Path> s = Files.list(corpora.resolve(corpus))) {
        list = s.filter(p -> p.toString().endsWith(".mid")).sorted().toList();
      }
      for (Path p : list) {
        assertTrue(MidiFiles.read(p).size() > 10, p.toString());
        files++;
      }
    }
    return files;
  }

  @Test
  void onsetsAgreeWithJavaSoundsReaderOnRealFiles() throws Exception {
    for (Path p : new Path[] {CORPORA.resolve("nottingham/midi/ashover10.mid"),
        CORPORA.resolve("nottingham/midi/reelsa-c5.mid"), CORPORA.resolve("pop909/001.mid")}) {
      Sequence seq = MidiSystem.getSequence(p.toFile());
      List<long[]> tempos = new ArrayList<>();
      List<long[]> onsets = new ArrayList<>();
      for (Track t : seq.getTracks()) {
        for (int i = 0; i < t.size(); i++) {
          MidiEvent e = t.get(i);
          byte[] m = e.getMessage().getMessage();
          if ((m[0] & 0xFF) == 0xFF && m[1] == 0x51) {
            tempos.add(new long[] {e.getTick(), ((m[3] & 0xFF) << 16) | ((m[4] & 0xFF) << 8) | (m[5] & 0xFF)});
          } else if (e.getMessage() instanceof ShortMessage sm && sm.getCommand() == 0x90
              && sm.getData2() > 0 && sm.getChannel() != 9) {
            onsets.add(new long[] {e.getTick(), sm.getData1()});
          }
        }
      }
      tempos.sort((a, b) -> Long.compare(a[0], b[0]));
      List<Note> notes = MidiFiles.read(p);
      assertEquals(onsets.size(), notes.size(), p.toString());
      onsets.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      for (int i = 0; i < onsets.size(); i++) {
        long expected = micros(onsets.get(i)[0], tempos, seq.getResolution());
        assertEquals(expected, notes.get(i).startMicros(), 1, p + " note " + i);
        assertEquals(onsets.get(i)[1], notes.get(i).pitch(), p + " note " + i);
      }
    }
  }

  private static long micros(long tick, List<long[]> tempos, int ppq) {
    double us = 0;
    long at = 0;
    long tempo = 500_000;
    for (long[] t : tempos) {
      if (t[0] >= tick) {
        break;
      }
      us += (t[0] - at) * (double) tempo / ppq;
      at = t[0];
      tempo = t[1];
    }
    return Math.round(us + (tick - at) * (double) tempo / ppq);
  }

  /** A tiny SMF builder: tracks of raw event bytes (delta times included). */
  static byte[] smf(int format, int ppq, byte[]... tracks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, (byte) format, 0,
        (byte) tracks.length, (byte) (ppq >> 8), (byte) ppq});
    for (byte[] t : tracks) {
      out.writeBytes(new byte[] {'M', 'T', 'r', 'k', 0, 0, (byte) (t.length >> 8), (byte) t.length});
      out.writeBytes(t);
    }
    return out.toByteArray();
  }

  static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  static final byte[] END = bytes(0, 0xFF, 0x2F, 0);

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void runningStatusAndVelocityZeroNoteOffsAreUnderstood() throws IOException {
    // 480 ppq at the default 120 bpm: 480 ticks = 500 ms. 0x83 0x60 = 480.
    byte[] track = cat(bytes(0, 0x90, 60, 100, 0, 64, 90, 0x83, 0x60, 60, 0, 0, 64, 0), END);
    List<Note> notes = MidiFiles.parse(smf(0, 480, track), "t.mid");
    assertEquals(List.of(new Note(60, 100, 0, 500_000, 0), new Note(64, 90, 0, 500_000, 0)), notes);
  }

  @Test
  void formatZeroAndFormatOneGiveTheSameNotes() throws IOException {
    byte[] tempo = bytes(0, 0xFF, 0x51, 3, 0x0F, 0x42, 0x40); // 1,000,000 us per quarter
    byte[] a = bytes(0, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 0);
    byte[] b = bytes(0, 0x91, 67, 80, 0x87, 0x40, 0x81, 67, 0);
    List<Note> one = MidiFiles.parse(smf(1, 480, cat(tempo, END), cat(a, END), cat(b, END)), "1.mid");
    byte[] merged = cat(tempo, bytes(0, 0x90, 60, 100, 0, 0x91, 67, 80, 0x83, 0x60, 0x80, 60, 0,
        0x83, 0x60, 0x81, 67, 0), END);
    List<Note> zero = MidiFiles.parse(smf(0, 480, merged), "0.mid");
    assertEquals(one, zero);
    assertEquals(List.of(new Note(60, 100, 0, 1_000_000, 0), new Note(67, 80, 0, 2_000_000, 1)), one);
  }

  @Test
  void aTempoChangeInTheMiddleChangesLaterTimesOnly() throws IOException {
    byte[] conductor = cat(bytes(0x83, 0x60, 0xFF, 0x51, 3, 0x0F, 0x42, 0x40), END);
    byte[] notes = cat(bytes(0, 0x90, 60, 100, 0x87, 0x40, 0x80, 60, 0), END);
    // Quarter 1 at 500 ms, quarter 2 at 1,000 ms: the note lasts 1.5 s.
    assertEquals(List.of(new Note(60, 100, 0, 1_500_000, 0)),
        MidiFiles.parse(smf(1, 480, conductor, notes), "tempo.mid"));
  }

  @Test
  void theSustainPedalHoldsReleasedNotesUntilItLifts() throws IOException {
    byte[] t = cat(bytes(0, 0xB0, 64, 127, 0, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 0,
        0x83, 0x60, 0xB0, 64, 0), END);
    assertEquals(List.of(new Note(60, 100, 0, 1_000_000, 0)), MidiFiles.parse(smf(0, 480, t), "s.mid"));
  }

  @Test
  void aReStruckPitchEndsTheEarlierNoteAndDrumsAreLeftOut() throws IOException {
    byte[] t = cat(bytes(0, 0x90, 60, 100, 0, 0x99, 36, 100, 0x83, 0x60, 0x90, 60, 50,
        0x83, 0x60, 0x80, 60, 0, 0, 0x80, 60, 0, 0, 0x89, 36, 0), END);
    assertEquals(List.of(new Note(60, 100, 0, 500_000, 0), new Note(60, 50, 500_000, 1_000_000, 0)),
        MidiFiles.parse(smf(0, 480, t), "r.mid"));
  }

  @Test
  void aTruncatedFileNamesItselfAndTheProblem() throws IOException {
    byte[] good = smf(0, 480, cat(bytes(0, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 0), END));
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 6);
    Path file = dir.resolve("cut.mid");
    Files.write(file, cut);
    IOException e = assertThrows(IOException.class, () -> MidiFiles.read(file));
    assertTrue(e.getMessage().startsWith(file + ": chunk at byte 14 declares"), e.getMessage());
    Files.writeString(file, "RIFF....");
    e = assertThrows(IOException.class, () -> MidiFiles.read(file));
    assertEquals(file + ": not a Standard MIDI File (no MThd header)", e.getMessage());
    byte[] inside = smf(0, 480, bytes(0, 0x90, 60));
    e = assertThrows(IOException.class, () -> MidiFiles.parse(inside, "x.mid"));
    assertEquals("x.mid: track 1 ends inside an event at byte 24", e.getMessage());
  }

  @Test
  void writingIsDeterministicAndReadsBack() throws Exception {
    List<Note> notes = List.of(new Note(60, 100, 0, 500_000, 0), new Note(64, 80, 250_000, 750_000, 0),
        new Note(43, 70, 0, 1_000_000, 3));
    Path a = dir.resolve("a.mid");
    Path b = dir.resolve("b.mid");
    MidiFiles.write(notes, a);
    MidiFiles.write(new ArrayList<>(notes), b);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    List<Note> back = MidiFiles.read(a);
    assertEquals(3, back.size());
    for (int i = 0; i < 3; i++) {
      Note want = List.of(notes.get(2), notes.get(0), notes.get(1)).get(i);
      assertEquals(want.pitch(), back.get(i).pitch());
      assertEquals(want.channel(), back.get(i).channel());
      assertEquals(want.startMicros(), back.get(i).startMicros(), 600);
      assertEquals(want.endMicros(), back.get(i).endMicros(), 600);
    }
    // Java Sound reads what we write.
    assertEquals(3, MidiSystem.getSequence(a.toFile()).getTracks().length);
  }
}
