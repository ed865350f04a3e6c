package continuo.midi.jack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameClockTest {
  private static final int RATE = 48_000;
  private static final int PERIOD = 256;
  private static final long PERIOD_NANOS = PERIOD * 1_000_000_000L / RATE;

  @Test
  void framesAndClockTimeMapBothWaysFromTheFirstCycle() {
    FrameClock c = new FrameClock(RATE);
    c.cycle(1_000, PERIOD, 5_000_000_000L);
    assertEquals(5_000_000_000L, c.nanosOfFrame(1_000));
    assertEquals(5_001_000_000L, c.nanosOfFrame(1_048), "48 frames are a millisecond");
    assertEquals(1_048, c.frameOfNanos(5_001_000_000L));
    assertEquals(999, c.frameOfNanos(4_999_999_999L), "earlier times round down");
    assertFalse(c.cycleLate(), "the first cycle is never late");
  }

  @Test
  void aCycleOnTimeKeepsTheAnchorAndALateOrSkippingOneIsLate() {
    FrameClock c = new FrameClock(RATE);
    long t = 1_000_000_000L;
    c.cycle(0, PERIOD, t);
    c.cycleEnded(0, PERIOD);
    c.cycle(PERIOD, PERIOD, t + PERIOD_NANOS + 100_000);
    assertFalse(c.cycleLate());
    assertEquals(t, c.nanosOfFrame(0), "100 us of jitter does not move the anchor");
    c.cycleEnded(PERIOD, PERIOD);

    c.cycle(3 * PERIOD, PERIOD, t + 3 * PERIOD_NANOS); // one period skipped: an xrun
    assertTrue(c.cycleLate());
    c.cycleEnded(3 * PERIOD, PERIOD);
    c.cycle(4 * PERIOD, PERIOD, t + 6 * PERIOD_NANOS); // two periods behind the clock
    assertTrue(c.cycleLate());
    assertEquals(t + 6 * PERIOD_NANOS, c.nanosOfFrame(4 * PERIOD), "re-anchored past 2 ms");
  }

  /**
   * The process thread is woken late by a varying amount; frames keep time. A cycle a few
   * milliseconds late must not move the frames' times, or a clock follower would see a jump.
   */
  @Test
  void aCycleWokenLateByLessThanOneAndAHalfPeriodsKeepsTheAnchor() {
    FrameClock c = new FrameClock(RATE);
    long t = 1_000_000_000L;
    run(c, 0, 4, t, 0);
    c.cycle(4 * PERIOD, PERIOD, t + 4 * PERIOD_NANOS + 6_000_000);
    assertTrue(c.cycleLate(), "more than a period behind counts as late");
    c.cycleEnded(4 * PERIOD, PERIOD);
    run(c, 5, 4, t, 0);
    assertEquals(t + 2_000_000_000L, c.nanosOfFrame(2 * RATE), "frames still keep the clock");
    assertEquals(1, c.anchorings());
  }

  @Test
  void aCycleRunningEarlierThanTheAnchorMovesItBackToThatCycle() {
    FrameClock c = new FrameClock(RATE);
    long t = 1_000_000_000L;
    c.cycle(0, PERIOD, t + 1_000_000); // the first cycle was woken a millisecond late
    c.cycleEnded(0, PERIOD);
    run(c, 1, 3, t, 0);
    assertTrue(Math.abs(t + 1_000_000_000L - c.nanosOfFrame(RATE)) <= 1,
        "anchored on the earliest cycle: " + c.nanosOfFrame(RATE));
    assertEquals(2, c.anchorings());
    run(c, 4, 3, t, 200_000);
    assertEquals(2, c.anchorings(), "cycles a little late leave it");
  }

  @Test
  void cyclesAllLateForAWholeSecondMoveTheAnchorOnByTheLeastOfThem() {
    FrameClock c = new FrameClock(RATE);
    long t = 1_000_000_000L;
    run(c, 0, 2, t, 0);
    // The driver lost 3 ms (a dummy driver that overran resets its schedule): from now on every
    // cycle runs 3 to 4 ms behind the anchor.
    int cycles = (int) (2_100_000_000L / PERIOD_NANOS); // the first window began on time
    for (int i = 2; i < cycles; i++) {
      long frame0 = (long) i * PERIOD;
      c.cycle(frame0, PERIOD, t + frame0 * 1_000_000_000L / RATE + 3_000_000 + (i % 3) * 400_000);
      c.cycleEnded(frame0, PERIOD);
    }
    assertEquals(t + 3_000_000 + 2_000_000_000L, c.nanosOfFrame(2 * RATE));
    long[] anchor = c.anchor();
    assertEquals(2, anchor[2], "anchored twice");
    assertEquals(c.nanosOfFrame(anchor[0]), anchor[1], "the published anchor is the one in use");
    assertEquals(2 * RATE, FrameClock.frameOfNanos(anchor, RATE, c.nanosOfFrame(2 * RATE)));
  }

  /** Cycles {@code first..first+count-1}, each {@code late} nanoseconds after its frames' time. */
  private static void run(FrameClock c, int first, int count, long t, long late) {
    for (int i = first; i < first + count; i++) {
      long frame0 = (long) i * PERIOD;
      c.cycle(frame0, PERIOD, t + frame0 * 1_000_000_000L / RATE + late);
      c.cycleEnded(frame0, PERIOD);
    }
  }
}
