package continuo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.EventEncoder;
import continuo.encoding.PerformanceEncoding;
import continuo.testkit.TinyTunes;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentTest {
  private final int[] tune = EventEncoder.encode(TinyTunes.tune(4, 30));

  @Test
  void aStretchScalesTheLengthOfThePieceAndKeepsEveryNoteInOrder() {
    int[] slower = Augment.stretched(tune, 1.1);
    int[] faster = Augment.stretched(tune, 0.9);
    assertEquals(millis(tune) * 1.1, millis(slower), 10);
    assertEquals(millis(tune) * 0.9, millis(faster), 10);
    assertArrayEquals(notes(tune), notes(slower));
    assertArrayEquals(notes(tune), notes(faster));
    for (int t : slower) {
      assertTrue(PerformanceEncoding.isValid(t), "token " + t);
    }
    assertSame(tune, Augment.stretched(tune, 1.0));
  }

  @Test
  void aStretchedOnsetIsWithinOneGridStepOfItsExactTime() {
    int[] slower = Augment.stretched(tune, 1.07);
    long[] exact = onsets(tune);
    long[] stretched = onsets(slower);
    for (int i = 0; i < exact.length; i++) {
      assertEquals(exact[i] * 1.07, stretched[i], PerformanceEncoding.TIME_SHIFT_MS / 2.0 + 1e-9);
    }
  }

  @Test
  void aTranspositionKeepsEveryPitchInRange() {
    int[] high = {127, 127 + 128, 256};
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < 50; i++) {
      int shift = Augment.shift(high, 5, rnd);
      assertTrue(shift >= -5 && shift <= 0, "shift " + shift);
    }
    assertArrayEquals(new int[] {125, 125 + 128, 256}, Augment.transposed(high, -2));
  }

  private static long millis(int[] tokens) {
    return Arrays.stream(tokens).filter(PerformanceEncoding::isTimeShift)
        .mapToLong(PerformanceEncoding::shiftMillis).sum();
  }

  private static int[] notes(int[] tokens) {
    return Arrays.stream(tokens).filter(t -> !PerformanceEncoding.isTimeShift(t)).toArray();
  }

  private static long[] onsets(int[] tokens) {
    long clock = 0;
    long[] out = new long[tokens.length];
    int n = 0;
    for (int t : tokens) {
      if (PerformanceEncoding.isTimeShift(t)) {
        clock += PerformanceEncoding.shiftMillis(t);
      } else if (PerformanceEncoding.isNoteOn(t)) {
        out[n++] = clock;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
