package continuo.tempo;

import java.util.Arrays;

/**
 * Tap tempo: a controller pressed on the beat gives the tempo as the median of the last
 * {@link #INTERVALS} intervals between presses.
 *
 * <p>A pause longer than {@link #RESET_NANOS} starts a new count (the first press after it only
 * marks time). An interval more than {@link #OUTLIER_FRACTION} away from the median so far is
 * ignored (a double press, a missed beat); two such intervals in a row that agree with each other
 * mean the player changed tempo, and the count restarts from them. The tempo is offered from the
 * third press on and stays available for {@link #HOLD_NANOS} after the last press, so a tapped
 * tempo is not forgotten while the player starts playing; taps are the beats of its phase.
 *
 * <p>Single-threaded: the thread that reads controller input calls {@link #tap}; queries are for
 * that same thread. Nothing allocates after construction.
 */
public final class TapTempo implements TempoEstimate {
  /** Intervals the median is taken over. */
  public static final int INTERVALS = 6;
  /** A pause after which the next press starts a new count. */
  public static final long RESET_NANOS = 2_000_000_000L;
  /** How long a tapped tempo stays in use after the last press. */
  public static final long HOLD_NANOS = 30_000_000_000L;
  /** Relative distance from the median beyond which an interval is an outlier. */
  public static final double OUTLIER_FRACTION = 0.3;

  private static final long MIN_INTERVAL = 150_000_000L; // 400 bpm: faster is a bounce

  private final long[] intervals = new long[INTERVALS];
  private final long[] sorted = new long[INTERVALS];
  private int count;
  private int next;
  private long lastTap = Long.MIN_VALUE;
  private long pendingOutlier;
  private double median;
  private long rejected;

  /** A press of the tap controller at {@code nanos}. */
  public void tap(long nanos) {
    if (lastTap == Long.MIN_VALUE || nanos - lastTap > RESET_NANOS) {
      count = 0;
      next = 0;
      pendingOutlier = 0;
      lastTap = nanos;
      return;
    }
    long interval = nanos - lastTap;
    if (interval < MIN_INTERVAL) {
      rejected++;
      return; // a bounce: not a beat, and not the new reference either
    }
    lastTap = nanos;
    if (count >= 2 && Math.abs(interval - median) > OUTLIER_FRACTION * median) {
      rejected++;
      if (pendingOutlier != 0
          && Math.abs(interval - pendingOutlier) <= OUTLIER_FRACTION * 0.5 * interval) {
        count = 0;
        next = 0;
        add(pendingOutlier);
        add(interval);
        pendingOutlier = 0;
      } else {
        pendingOutlier = interval;
      }
      return;
    }
    pendingOutlier = 0;
    add(interval);
  }

  private void add(long interval) {
    intervals[next] = interval;
    next = (next + 1) % INTERVALS;
    count = Math.min(count + 1, INTERVALS);
    System.arraycopy(intervals, 0, sorted, 0, count);
    Arrays.sort(sorted, 0, count);
    median = (count & 1) == 1
        ? sorted[count / 2]
        : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2]);
  }

  /** Whether there is a tapped tempo (three presses) no older than {@link #HOLD_NANOS}. */
  @Override
  public boolean available(long nowNanos) {
    return count >= 2 && nowNanos - lastTap <= HOLD_NANOS;
  }

  /** The tapped tempo; 0 before the third press. */
  @Override
  public double bpm() {
    return count >= 1 ? 60e9 / median : 0;
  }

  /** Beats since the last accepted press, counted on from it at the tapped tempo. */
  @Override
  public double beatAt(long nowNanos) {
    return count >= 1 ? (nowNanos - lastTap) / median : 0;
  }

  /** Presses ignored as bounces or outliers. */
  public long rejected() {
    return rejected;
  }

  /** Forgets every press. */
  public void reset() {
    count = 0;
    next = 0;
    pendingOutlier = 0;
    lastTap = Long.MIN_VALUE;
  }
}
