package continuo.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class TempoSelectorTest {
  private static final long MS = 1_000_000L;
  private final MidiClockFollower clock = new MidiClockFollower();
  private final TapTempo tap = new TapTempo();
  private final BeatTracker tracker = new BeatTracker();
  private final FixedHost host = new FixedHost();

  /** A host transport whose answers the test sets. */
  private static final class FixedHost implements HostTime {
    boolean on;
    double bpm = 100;

    @Override
    public boolean available(long nowNanos) {
      return on;
    }

    @Override
    public double bpm() {
      return bpm;
    }

    @Override
    public double beatAt(long nowNanos) {
      return nowNanos * bpm / 60e9;
    }
  }

  private long clockTicks(long start, double bpm, int n) {
    long period = Math.round(60e9 / (bpm * 24));
    for (int i = 0; i < n; i++) {
      clock.onMessage(0xF8, 0, 0, start + i * period);
    }
    return start + (n - 1) * period;
  }

  private String status(TempoSelector s) {
    return s.appendStatus(new StringBuilder()).toString();
  }

  @Test
  void withNothingElseThePresetTempoIsUsed() {
    TempoSelector s = new TempoSelector(0, 110, clock, host, tap, tracker);
    assertFalse(s.update(1_000 * MS), "the first choice is not a change");
    assertEquals(TempoSource.PRESET, s.source());
    assertEquals("110.0 bpm preset", status(s));
    assertEquals(1.0, s.beatAt(1_000 * MS + 545_454_545L), 1e-6);
  }

  @Test
  void aFixedBpmOverridesEvenARunningClock() {
    TempoSelector s = new TempoSelector(96, 110, clock, host, tap, tracker);
    long t = clockTicks(1_000 * MS, 140, 48);
    s.update(t);
    assertEquals(TempoSource.FIXED, s.source());
    assertEquals("96.0 bpm fixed", status(s));
  }

  @Test
  void theClockWinsOverHostTapAndTrackerAndItsLossIsAChangeBackToTheNext() {
    TempoSelector s = new TempoSelector(0, 110, clock, host, tap, tracker);
    host.on = true;
    tap.tap(0);
    tap.tap(500 * MS);
    tap.tap(1_000 * MS);
    long t = clockTicks(1_100 * MS, 96, 48);
    s.update(t);
    assertEquals(TempoSource.CLOCK, s.source());
    assertEquals("96.0 bpm clock", status(s));
    // No tick for more than three periods: the clock is gone, the host takes over.
    assertTrue(s.update(t + 100 * MS));
    assertEquals(TempoSource.HOST, s.source());
    assertEquals(TempoSource.CLOCK, s.previous());
    host.on = false;
    assertTrue(s.update(t + 200 * MS));
    assertEquals(TempoSource.TAP, s.source());
    assertEquals("120.0 bpm tap", status(s));
    assertTrue(s.update(1_000 * MS + TapTempo.HOLD_NANOS + 1));
    assertEquals(TempoSource.PRESET, s.source());
    assertEquals(TempoSource.TAP, s.previous());
    assertEquals(4, s.changes());
  }

  @Test
  void theTrackerIsUsedOnlyOnceSettled() {
    TempoSelector s = new TempoSelector(0, 110, null, null, null, tracker);
    long beat = 600 * MS;
    long t = 1_000 * MS;
    tracker.noteOn(t, 48, 100);
    s.update(t);
    assertEquals(TempoSource.PRESET, s.source());
    for (int i = 1; i <= 32; i++) {
      t += beat / 2;
      tracker.noteOn(t, i % 2 == 0 ? 48 : 72, i % 2 == 0 ? 110 : 70);
    }
    tracker.update(t + 100 * MS);
    assertTrue(tracker.settled());
    assertTrue(s.update(t));
    assertEquals(TempoSource.TRACKER, s.source());
    assertEquals(100, s.bpm(), 1.0);
  }

  @Test
  void updatingAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    TempoSelector s = new TempoSelector(0, 110, clock, host, tap, tracker);
    long t = clockTicks(1_000 * MS, 120, 48);
    for (int i = 0; i < 20_000; i++) {
      s.update(t + (i % 4) * 40 * MS); // the clock comes and goes
    }
    // Windows until one allocates nothing (at most 20): allocation on the path would recur in
    // every window, a late JIT recompilation shows in one only.
    long[] windows = new long[20];
    for (int w = 0; w < windows.length; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      double sink = 0;
      for (int i = 0; i < 10_000; i++) {
        s.update(t + (i % 4) * 40 * MS);
        sink += s.bpm() + s.beatAt(t) + s.source().ordinal();
      }
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      assertTrue(sink > 0);
      if (windows[w] == 0) {
        return;
      }
    }
    throw new AssertionError("every window allocated: " + java.util.Arrays.toString(windows));
  }

  @Test
  void aTempoOutsideTwentyToFourHundredIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new TempoSelector(1000, 110, null, null, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> new TempoSelector(0, 0, null, null, null, null));
  }

  @Test
  void beforeTheFirstUpdateThereIsNoSource() {
    TempoSelector s = new TempoSelector(0, 110, null, null, null, null);
    assertNull(s.source());
    assertEquals("-- bpm", status(s));
  }
}
