package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.midifile.MidiFileReader;
import continuo.midifile.TimedMessages;
import java.nio.file.Path;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecorderTest {
  @TempDir Path dir;

  @Test
  void writesThePlayersAndContinuosNotesOnTwoTracksAtTheirTimes() throws Exception {
    MidiEventRing ring = new MidiEventRing(64, new Counters().newCounter("d"));
    long start = 5_000_000_000L;
    SessionRecorder recorder = new SessionRecorder(ring, start);
    ring.offer(start, MidiMessage.of(MidiMessage.NOTE_ON, 1, 60, 100));
    ring.offer(start + 500_000_000L, MidiMessage.of(MidiMessage.NOTE_OFF, 1, 60, 0));
    assertEquals(2, recorder.drain());
    ring.offer(start + 750_000_000L,
        MidiMessage.of(MidiMessage.NOTE_ON, 2, 67, 80) | LiveEngine.RECORD_CONTINUO);
    ring.offer(start + 1_000_000_000L,
        MidiMessage.of(MidiMessage.NOTE_OFF, 2, 67, 0) | LiveEngine.RECORD_CONTINUO);
    Path jam = dir.resolve("jam.mid");
    recorder.write(jam);
    assertEquals(2, recorder.notes());
    Sequence seq = MidiSystem.getSequence(jam.toFile());
    assertEquals(2, seq.getTracks().length, "player and continuo tracks");
    TimedMessages m = MidiFileReader.read(jam);
    assertEquals(4, m.size());
    long[] want = {0, 500_000, 750_000, 1_000_000};
    for (int i = 0; i < 4; i++) {
      assertEquals(want[i], m.micros(i), 1_100, "message " + i);
      assertEquals(i < 2 ? 0 : 1, m.track(i));
    }
    assertEquals(120.0, m.tempoMap().bpmAt(0), 1e-9);
  }
}
