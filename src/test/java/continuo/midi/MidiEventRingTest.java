package continuo.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;

class MidiEventRingTest {
  @Test
  void deliversEventsInOrderWithTheirTimes() {
    MidiEventRing ring = new MidiEventRing(64, new Counters().newCounter("dropped"));
    ring.offer(5, MidiMessage.pack(0x90, 60, 100));
    ring.offer(7, MidiMessage.pack(0x80, 60, 0));
    List<String> got = new ArrayList<>();
    assertEquals(2, ring.drain((t, m) -> got.add(t + ":" + MidiMessage.toString(m))));
    assertEquals(List.of("5:90 60 100", "7:80 60 0"), got);
  }

  @Test
  void aFullRingRefusesAndCountsInsteadOfBlocking() {
    Counters counters = new Counters();
    AtomicCounter dropped = counters.newCounter("dropped");
    MidiEventRing ring = new MidiEventRing(4, dropped);
    int accepted = 0;
    for (int i = 0; i < 1000; i++) {
      if (ring.offer(i, 0x90)) {
        accepted++;
      }
    }
    assertEquals(1000 - accepted, dropped.get());
    assertFalse(ring.isEmpty());
    assertEquals("dropped=" + dropped.get(), counters.summary());
  }

  @Test
  void underOverloadNoteOnsAreShedFirstSoThatNoteOffsStillGetThrough() {
    AtomicCounter dropped = new Counters().newCounter("dropped");
    MidiEventRing ring = new MidiEventRing(1000, dropped);
    int ons = 0;
    while (ring.offer(0, MidiMessage.pack(0x90, 60, 100))) {
      ons++;
    }
    assertEquals(1, dropped.get());
    int offs = 0;
    while (ring.offer(0, MidiMessage.pack(0x80, 60, 0))) {
      offs++;
    }
    assertTrue(ons > 900 && offs > ons / 20, ons + " note-ons, then " + offs + " note-offs");
    assertFalse(ring.offer(0, MidiMessage.pack(0x90, 61, 100)), "still full");
    int[] drained = new int[2];
    ring.drain((t, m) -> drained[MidiMessage.isNoteOn(m) ? 0 : 1]++);
    assertEquals(ons, drained[0]);
    assertEquals(offs, drained[1]);
  }
}
