package continuo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.midi.MidiMessage;
import org.junit.jupiter.api.Test;

class HandOverRingTest {
  @Test
  void notesTheFirstNoteOnHandedOverSinceItWasToldToExpectOne() {
    EngineHarness.HandOverRing ring =
        new EngineHarness.HandOverRing(64, new Counters().newCounter("dropped"));
    ring.expectNoteOn();
    ring.offer(1, MidiMessage.of(MidiMessage.NOTE_OFF, 1, 60, 0));
    assertEquals(0, ring.firstNoteOnNanos(), "a note-off is not an answer");

    long before = System.nanoTime();
    ring.offer(2, MidiMessage.of(MidiMessage.NOTE_ON, 1, 62, 80));
    long first = ring.firstNoteOnNanos();
    assertTrue(first >= before && first <= System.nanoTime(), "stamped when offered");
    ring.offer(3, MidiMessage.of(MidiMessage.NOTE_ON, 1, 64, 80));
    assertEquals(first, ring.firstNoteOnNanos(), "later note-ons do not move it");

    ring.expectNoteOn();
    assertEquals(0, ring.firstNoteOnNanos());
    int[] drained = new int[1];
    ring.drain((t, m) -> drained[0]++);
    assertEquals(3, drained[0], "the ring still carries every message");
  }
}
