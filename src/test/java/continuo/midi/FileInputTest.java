package continuo.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.testkit.Corpora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileInputTest {
  private static final Path CORPUS = Corpora.NOTTINGHAM;

  @TempDir Path dir;

  @Test
  void readsARealTuneWithBalancedNotesInTimeOrder() throws Exception {
    Path tune = CORPUS.resolve("jigs107.mid");
    List<long[]> events = FileInput.read(tune);
    assertTrue(events.size() > 50, "events: " + events.size());
    long last = 0;
    int on = 0;
    for (long[] e : events) {
      assertTrue(e[0] >= last);
      last = e[0];
      int m = (int) e[1];
      if (MidiMessage.isNoteOn(m)) {
        on++;
      } else if (MidiMessage.isNoteOff(m)) {
        on--;
      }
    }
    assertEquals(0, on, "every note of the tune ends");
    assertTrue(last > 10_000_000L && last < 600_000_000L, "length " + last / 1e6 + " s");
  }

  @Test
  void honoursTempoChanges() throws Exception {
    Sequence seq = new Sequence(Sequence.PPQ, 480);
    Track t = seq.createTrack();
    t.add(new MidiEvent(new ShortMessage(0x90, 60, 100), 0));
    t.add(new MidiEvent(new ShortMessage(0x80, 60, 0), 480)); // 0.5 s at 120 bpm
    byte[] sixtyBpm = {0x0F, 0x42, 0x40}; // 1,000,000 us per quarter
    t.add(new MidiEvent(new MetaMessage(0x51, sixtyBpm, 3), 480));
    t.add(new MidiEvent(new ShortMessage(0x90, 62, 100), 960)); // + 1 s at 60 bpm
    Path f = dir.resolve("tempo.mid");
    MidiSystem.write(seq, 1, f.toFile());
    List<long[]> events = FileInput.read(f);
    assertEquals(List.of(0L, 500_000L, 1_500_000L), events.stream().map(e -> e[0]).toList());
  }

  @Test
  void playsTheFileIntoTheRingInRealTime() throws Exception {
    Sequence seq = new Sequence(Sequence.PPQ, 480);
    Track t = seq.createTrack();
    t.add(new MidiEvent(new ShortMessage(0x90, 60, 100), 0));
    t.add(new MidiEvent(new ShortMessage(0x80, 60, 0), 96)); // 100 ms
    Path f = dir.resolve("short.mid");
    MidiSystem.write(seq, 1, f.toFile());
    MidiEventRing ring = new MidiEventRing(16, new Counters().newCounter("d"));
    try (FileInput in = new FileInput(f, ring, SystemNanoClock.INSTANCE)) {
      long started = System.nanoTime();
      in.start(0);
      long end = started + 5_000_000_000L;
      while (!in.isFinished() && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      // A lower bound only, which a loaded machine cannot break: the note-off waited its 100 ms.
      assertTrue(System.nanoTime() - started >= 100_000_000L, "played in real time, not at once");
      List<long[]> got = new ArrayList<>();
      ring.drain((time, m) -> got.add(new long[] {time, m}));
      assertEquals(2, got.size());
      assertEquals(100_000_000L, got.get(1)[0] - got.get(0)[0], "stamped at their intended times");
    }
  }

  @Test
  void aFileThatIsNotMidiIsOneClearError() throws Exception {
    Path f = dir.resolve("notes.txt");
    Files.writeString(f, "not a midi file");
    IOException e = assertThrows(IOException.class, () -> FileInput.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }
}
