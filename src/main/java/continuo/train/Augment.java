package continuo.train;

import continuo.encoding.PerformanceEncoding;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Training-time variations of a piece, so the model hears each tune in other keys and tempi:
 * transposition by whole semitones that keeps every pitch in 0..127, and time stretch that scales
 * every time shift by one factor, rounded on the 10 ms grid against the stretched clock (no drift).
 * Any thread.
 */
final class Augment {
  private static final int STEP_MS = PerformanceEncoding.TIME_SHIFT_MS;

  private Augment() {}

  /** A random transposition in [-limit, limit] that keeps the piece's pitches in 0..127. */
  static int shift(int[] tokens, int limit, SplittableRandom rnd) {
    int low = 127;
    int high = 0;
    for (int t : tokens) {
      if (t < PerformanceEncoding.TIME_SHIFT) {
        int pitch = t < PerformanceEncoding.NOTE_OFF ? t : t - PerformanceEncoding.NOTE_OFF;
        low = Math.min(low, pitch);
        high = Math.max(high, pitch);
      }
    }
    if (low > high) {
      return 0;
    }
    int down = Math.min(limit, low);
    int up = Math.min(limit, 127 - high);
    return rnd.nextInt(down + up + 1) - down;
  }

  static int[] transposed(int[] tokens, int shift) {
    if (shift == 0) {
      return tokens;
    }
    int[] out = tokens.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] < PerformanceEncoding.TIME_SHIFT) {
        out[i] += shift;
      }
    }
    return out;
  }

  /** The piece with every time interval multiplied by {@code factor} (1 = unchanged). */
  static int[] stretched(int[] tokens, double factor) {
    if (factor == 1.0) {
      return tokens;
    }
    int[] out = new int[tokens.length * 2 + 16];
    int n = 0;
    long clock = 0;
    long emitted = 0;
    for (int t : tokens) {
      if (PerformanceEncoding.isTimeShift(t)) {
        clock += PerformanceEncoding.shiftMillis(t) / STEP_MS;
        continue;
      }
      long target = Math.round(clock * factor);
      for (; emitted < target; n++) {
        int step = (int) Math.min(PerformanceEncoding.TIME_SHIFT_STEPS, target - emitted);
        out = room(out, n);
        out[n] = PerformanceEncoding.TIME_SHIFT + step - 1;
        emitted += step;
      }
      out = room(out, n);
      out[n++] = t;
    }
    long target = Math.round(clock * factor);
    for (; emitted < target; n++) {
      int step = (int) Math.min(PerformanceEncoding.TIME_SHIFT_STEPS, target - emitted);
      out = room(out, n);
      out[n] = PerformanceEncoding.TIME_SHIFT + step - 1;
      emitted += step;
    }
    return Arrays.copyOf(out, n);
  }

  private static int[] room(int[] a, int n) {
    return n < a.length ? a : Arrays.copyOf(a, a.length * 2);
  }
}
