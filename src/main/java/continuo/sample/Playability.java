package continuo.sample;

import static continuo.encoding.PerformanceEncoding.NOTE_OFF;
import static continuo.encoding.PerformanceEncoding.NOTE_ON;
import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_MS;

import continuo.encoding.PerformanceEncoding;
import continuo.steer.LogitBias;
import java.util.Arrays;

/**
 * What may be played next, given the notes a generated voice has sounding: the one set of rules
 * that offline generation ({@link Generator}) and the live engine share, so that what the model
 * is fed is exactly what a listener hears and no note outlasts its limit.
 *
 * <ul>
 *   <li>{@link #mask}: no NOTE_ON of a sounding pitch (nor any NOTE_ON at the polyphony limit), no
 *       NOTE_OFF of a silent pitch; then the steering of {@link #bias()} (key, register, density:
 *       {@link LogitBias}), which the owner sets from its preset.
 *   <li>{@link #overdueNoteOff}: the NOTE_OFF of a note that would otherwise outlast the length
 *       limit, to be played instead of sampling.
 *   <li>{@link #shorten}: a time shift cut short where it would carry a sounding note past the limit.
 * </ul>
 *
 * <p>Times are nanoseconds on any clock the caller keeps, advanced only by time shifts (so a note's
 * age is a whole number of 10 ms steps). Allocation free; one thread at a time.
 */
public final class Playability {
  /** No limit on how long a note may sound. */
  public static final long NO_LENGTH_LIMIT = Long.MAX_VALUE;
  private static final long SHIFT_NANOS = TIME_SHIFT_MS * 1_000_000L;

  private final LogitBias bias;
  private final boolean[] sounding = new boolean[128];
  private final long[] onsetNanos = new long[128];
  private int held;
  private int maxPolyphony = 128;
  private long maxNoteNanos = NO_LENGTH_LIMIT;

  /** Rules with no steering until {@link #bias()} is set. */
  public Playability() {
    this(new LogitBias());
  }

  /** Rules that steer with {@code bias}, which its owner sets (on the same thread). */
  public Playability(LogitBias bias) {
    this.bias = bias;
  }

  /** The key, register and density applied after the rules (by default none). */
  public LogitBias bias() {
    return bias;
  }

  /**
   * @param maxPolyphony notes that may sound at once (128: no limit)
   * @param maxNoteNanos how long a note may sound, at least one 10 ms step, or
   *     {@link #NO_LENGTH_LIMIT}
   */
  public void setLimits(int maxPolyphony, long maxNoteNanos) {
    if (maxPolyphony < 1) {
      throw new IllegalArgumentException("polyphony must be at least 1, got " + maxPolyphony);
    }
    if (maxNoteNanos < SHIFT_NANOS) {
      throw new IllegalArgumentException("a note-length limit must be at least " + TIME_SHIFT_MS
          + " ms, got " + maxNoteNanos + " ns");
    }
    this.maxPolyphony = maxPolyphony;
    this.maxNoteNanos = maxNoteNanos;
  }

  /** Nothing sounds any more (a new answer, a new primer). */
  public void clear() {
    Arrays.fill(sounding, false);
    held = 0;
  }

  /** Tracks a token that was played at {@code nanos}: note-ons start sounding, note-offs stop. */
  public void played(int token, long nanos) {
    if (PerformanceEncoding.isNoteOn(token)) {
      int p = PerformanceEncoding.pitch(token);
      if (!sounding[p]) {
        sounding[p] = true;
        held++;
      }
      onsetNanos[p] = nanos;
    } else if (PerformanceEncoding.isNoteOff(token)) {
      int p = PerformanceEncoding.pitch(token);
      if (sounding[p]) {
        sounding[p] = false;
        held--;
      }
    }
  }

  public boolean sounding(int pitch) {
    return sounding[pitch];
  }

  /** Notes sounding now. */
  public int held() {
    return held;
  }

  /**
   * Sets every token that may not come next to negative infinity, then steers what is left with
   * {@link #bias()} (its masks come last, so nothing it removed comes back).
   */
  public void mask(float[] logits) {
    boolean full = held >= maxPolyphony;
    for (int p = 0; p < 128; p++) {
      if (sounding[p]) {
        logits[NOTE_ON + p] = Float.NEGATIVE_INFINITY;
      } else {
        logits[NOTE_OFF + p] = Float.NEGATIVE_INFINITY;
        if (full) {
          logits[NOTE_ON + p] = Float.NEGATIVE_INFINITY;
        }
      }
    }
    bias.apply(logits);
  }

  /**
   * The NOTE_OFF token of a note that must end now, or -1: one more 10 ms step would carry it past
   * the length limit.
   */
  public int overdueNoteOff(long nowNanos) {
    if (held == 0 || maxNoteNanos == NO_LENGTH_LIMIT) {
      return -1;
    }
    for (int p = 0; p < 128; p++) {
      if (sounding[p] && nowNanos - onsetNanos[p] > maxNoteNanos - SHIFT_NANOS) {
        return NOTE_OFF + p;
      }
    }
    return -1;
  }

  /**
   * {@code token} itself, or when it is a time shift that would carry a sounding note past the
   * length limit, a shorter one that ends at the limit (the next step then closes that note).
   */
  public int shorten(int token, long nowNanos) {
    if (!PerformanceEncoding.isTimeShift(token) || held == 0
        || maxNoteNanos == NO_LENGTH_LIMIT) {
      return token;
    }
    long deadline = Long.MAX_VALUE;
    for (int p = 0; p < 128; p++) {
      if (sounding[p]) {
        deadline = Math.min(deadline, onsetNanos[p] + maxNoteNanos);
      }
    }
    long steps = (deadline - nowNanos) / SHIFT_NANOS;
    if (steps >= PerformanceEncoding.shiftMillis(token) / TIME_SHIFT_MS) {
      return token;
    }
    return PerformanceEncoding.timeShift((int) Math.max(1, steps));
  }
}
