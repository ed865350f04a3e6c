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
}
