package continuo.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TapTempoTest {
  private static final long MS = 1_000_000L;
  private final TapTempo tap = new TapTempo();

  private long taps(long start, long intervalMs, int count) {
    long t = start;
    for (int i = 0; i < count; i++) {
      tap.tap(t);
      t += intervalMs * MS;
    }
    return t - intervalMs * MS;
  }

  @Test
  void threeTapsGiveTheTempo() {
    long last = taps(1_000 * MS, 500, 2);
    assertFalse(tap.available(last), "two taps are one interval: not yet a tempo");
    tap.tap(last + 500 * MS);
    assertTrue(tap.available(last + 500 * MS));
    assertEquals(120, tap.bpm(), 1e-9);
  }

  @Test
  void theMedianIgnoresOneUnevenTap() {
    long t = taps(1_000 * MS, 600, 5);
    tap.tap(t + 680 * MS);
    tap.tap(t + 1_200 * MS);
    assertEquals(100, tap.bpm(), 0.5);
  }

  @Test
  void anOutlierIntervalIsRejected() {
    long t = taps(1_000 * MS, 500, 5);
    tap.tap(t + 1_000 * MS); // a missed beat: twice the interval
    assertEquals(120, tap.bpm(), 1e-9);
    assertEquals(1, tap.rejected());
  }

  @Test
  void twoAgreeingOutliersMeanANewTempo() {
    long t = taps(1_000 * MS, 500, 5);
    tap.tap(t + 750 * MS);
    tap.tap(t + 1_500 * MS);
    assertEquals(80, tap.bpm(), 1e-9);
  }

  @Test
  void aLongPauseStartsANewCount() {
    long t = taps(1_000 * MS, 500, 5);
    long again = t + 5_000 * MS;
    taps(again, 400, 3);
    assertEquals(150, tap.bpm(), 1e-9);
  }

  @Test
  void aBounceFasterThan400BpmIsNotATap() {
    long t = taps(1_000 * MS, 500, 4);
    tap.tap(t + 20 * MS);
    tap.tap(t + 500 * MS);
    assertEquals(120, tap.bpm(), 1e-9);
    assertEquals(1, tap.rejected());
  }

  @Test
  void theTappedTempoIsHeldForThirtySecondsAndItsBeatsAreTheTaps() {
    long last = taps(1_000 * MS, 500, 4);
    assertEquals(2.0, tap.beatAt(last + 1_000 * MS), 1e-9);
    assertTrue(tap.available(last + TapTempo.HOLD_NANOS));
    assertFalse(tap.available(last + TapTempo.HOLD_NANOS + 1));
  }
}
