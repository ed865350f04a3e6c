package continuo.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockOutTest {
  private static final long T0 = 5_000_000_000L;
  private static final double TICK_120 = 60e9 / (120 * 24); // 20.833 ms

  private final Counters counters = new Counters();
  private final MidiEventRing ring = new MidiEventRing(1024, counters.newCounter("dropped"));
  private final ClockOut clock = new ClockOut();
  private final List<long[]> sent = new ArrayList<>();

  private void drain() {
    ring.drain((t, m) -> sent.add(new long[] {t, MidiMessage.status(m)}));
  }

  @Test
  void ticksTwentyFourPerQuarterAfterStartAndStopAfterTheLastTick() {
    clock.start(T0, 120);
    assertEquals(1, clock.offerDue(T0 - 1, ring) + 1, "nothing before the start");
    clock.offerDue(T0 + 1_000_000_000L, ring); // one second: ticks 0..47
    clock.stop(clock.nextDueNanos());
    clock.offerDue(T0 + 5_000_000_000L, ring);
    drain();
    assertEquals(1 + 48 + 1, sent.size());
    assertEquals(MidiMessage.START, sent.get(0)[1], "Start first");
    assertEquals(T0, sent.get(0)[0]);
    for (int k = 0; k < 48; k++) {
      assertEquals(MidiMessage.CLOCK, sent.get(k + 1)[1]);
      assertEquals(T0 + Math.round(k * TICK_120), sent.get(k + 1)[0], "tick " + k);
    }
    assertEquals(MidiMessage.STOP, sent.get(49)[1], "Stop last");
    assertEquals(T0 + Math.round(48 * TICK_120), sent.get(49)[0]);
    assertFalse(clock.running());
    assertEquals(0, clock.offerDue(Long.MAX_VALUE, ring), "no tick after Stop");
  }

  @Test
  void anHourOfTicksDoesNotDrift() {
    clock.start(T0, 140);
    long hour = 3_600_000_000_000L;
    while (clock.nextDueNanos() < T0 + hour) {
      clock.offerDue(clock.nextDueNanos() + 1, ring);
      ring.drain((t, m) -> { });
    }
    assertEquals(140 * 24 * 60, clock.ticks(), "ticks in an hour at 140 bpm");
    assertEquals(T0 + hour, clock.nextDueNanos(), "the next tick is on the hour, to the ns");
  }

  @Test
  void aNewTempoTakesEffectFromTheNextTick() {
    clock.start(T0, 120);
    clock.offerDue(T0 + 1, ring); // Start and tick 0
    clock.tempo(60);
    clock.offerDue(T0 + 100_000_000L, ring);
    drain();
    assertEquals(T0 + Math.round(TICK_120), sent.get(2)[0], "the tick already due keeps its time");
    assertEquals(T0 + Math.round(TICK_120) + Math.round(2 * TICK_120), sent.get(3)[0],
        "then a tick every 41.7 ms");
    assertEquals(60, clock.bpm(), 1e-9);
  }

  @Test
  void resumeSendsContinueAndTheTicksGoOnFromTheSongPosition() {
    clock.start(T0, 120);
    clock.offerDue(T0 + 100_000_000L, ring);
    long ticks = clock.ticks();
    clock.stop(T0 + 100_000_000L);
    clock.offerDue(T0 + 200_000_000L, ring);
    long again = T0 + 2_000_000_000L;
    clock.resume(again, 90);
    clock.offerDue(again + 1, ring);
    drain();
    assertEquals(MidiMessage.STOP, sent.get(sent.size() - 3)[1]);
    assertEquals(MidiMessage.CONTINUE, sent.get(sent.size() - 2)[1], "Continue, not Start");
    assertEquals(again, sent.get(sent.size() - 1)[0], "the first tick after Continue");
    assertEquals(ticks + 1, clock.ticks(), "the song position goes on");
  }

  @Test
  void aFullRingKeepsTheTickForTheNextCallSoNoneIsLost() {
    MidiEventRing small = new MidiEventRing(4, counters.newCounter("small.dropped"));
    clock.start(T0, 120);
    long horizon = T0 + 2_000_000_000L; // 96 ticks due, far more than the ring holds
    List<Long> times = new ArrayList<>();
    int offered = 0;
    while (clock.ticks() < 96) {
      offered += clock.offerDue(horizon, small);
      small.drain((t, m) -> times.add(t));
    }
    small.drain((t, m) -> times.add(t));
    assertEquals(97, offered);
    assertEquals(97, times.size(), "Start and every tick, in order");
    for (int k = 0; k < 96; k++) {
      assertEquals(T0 + Math.round(k * TICK_120), times.get(k + 1), "tick " + k);
    }
  }

  @Test
  void tempoIsHeldToWhatFollowersAccept() {
    clock.start(T0, 1_000);
    assertEquals(ClockOut.MAX_BPM, clock.bpm(), 1e-9);
    clock.tempo(1);
    assertEquals(ClockOut.MIN_BPM, clock.bpm(), 1e-9);
  }

  @Test
  void clockingAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    MidiHandler discard = (t, m) -> { };
    clock.start(T0, 120);
    long now = T0;
    for (int i = 0; i < 20_000; i++) { // warm-up: JIT compiles the path
      now += 1_000_000;
      clock.offerDue(now, ring);
      ring.drain(discard);
    }
    // Windows until one allocates nothing: allocation on the path would recur in every window.
    long[] windows = new long[20];
    for (int w = 0; w < windows.length; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10_000; i++) {
        now += 1_000_000;
        clock.offerDue(now, ring);
        if (i % 500 == 0) {
          clock.tempo(100 + i % 40);
        }
        ring.drain(discard);
      }
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      if (windows[w] == 0) {
        assertTrue(clock.ticks() > 0);
        return;
      }
    }
    throw new AssertionError("every window allocated: " + java.util.Arrays.toString(windows));
  }
}
