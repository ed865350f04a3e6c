package continuo.tempo;

/**
 * Finds a change of tempo for {@link BeatTracker} among the most recent onsets alone: the
 * intervals among the onsets of the last {@link #BEATS} beats (at least {@link #MIN_ONSETS} of
 * them) go into a histogram of their own, cleared at every onset. When its best period within
 * 0.75-1.33 times the oscillator's (a peak inside that range, not cut off at its edge) differs from
 * it by more than {@link #SMALL_FRACTION} and scores {@link #MARGIN} times the
 * oscillator's own period there, for {@link BeatTracker#STEP_ONSETS} onsets in a row that agree
 * with each other and span half a beat, the tempo changed.
 *
 * <p>The tracker's decayed histogram cannot tell this soon: for bars after a change its window
 * still holds intervals from onsets before it to onsets after it, which fit neither tempo (with a
 * dotted rhythm they made a 3:2 relative of the new beat its best).
 *
 * <p>Single-threaded, owned by its {@link BeatTracker}; nothing allocates after construction.
 */
final class TempoStep {
  /** A change of tempo is sought among the onsets of this many recent beats, */
  static final double BEATS = 3.5;
  /** when there are at least this many of them, */
  static final int MIN_ONSETS = 3;
  /** and is taken when their best period scores this many times the oscillator's. */
  static final double MARGIN = 2.0;
  /**
   * A period closer than {@link BeatTracker#STEP_FRACTION} to the oscillator's but further than
   * this is a small change, which the tracker takes only when the onsets drift off its beats.
   */
  static final double SMALL_FRACTION = 0.025;

  private final IoiHistogram recent;
  private int agreeing;
  private double target;
  private long since;
  private int used;

  TempoStep(double decay, double preferredPeriod, double priorOctaves) {
    recent = new IoiHistogram(decay, preferredPeriod, priorOctaves);
  }

  /**
   * Looks at the onset just added at {@code t}: {@code times} and {@code weights} are the
   * tracker's ring of its last onsets ({@code onsets} in all, the newest at {@code (onsets - 1) %
   * length}), {@code pairBins[i][j]} the histogram bin of the interval from onset i back to the
   * earlier onset j (binned once, as each onset came), {@code period} the oscillator's. Returns
   * the new period (ns) when the tempo changed here, else 0.
   */
  double check(long t, long[] times, double[] weights, int[][] pairBins, int onsets,
      double period) {
    int window = times.length;
    int held = Math.min(onsets, window);
    int m = 1;
    while (m < held && t - times[(onsets - 1 - m) % window] <= BEATS * period) {
      m++;
    }
    used = m;
    if (m < MIN_ONSETS) {
      agreeing = 0;
      return 0;
    }
    recent.clear();
    int a = (onsets - 1) % window;
    for (int i = 1; i < m; i++) {
      int[] back = pairBins[a];
      double wa = weights[a];
      int b = a;
      for (int j = i; j < m; j++) {
        b = b == 0 ? window - 1 : b - 1;
        recent.addBin(back[b], wa * weights[b]);
      }
      a = a == 0 ? window - 1 : a - 1;
    }
    recent.prepare();
    double lo = period * 0.75;
    double hi = period * 1.34;
    double p = recent.best(lo, hi);
    boolean peak = p > lo * 1.02 && p < hi / 1.02; // not cut off by the range
    if (!(peak && Math.abs(p / period - 1) > SMALL_FRACTION
        && recent.scoreAt(p) > MARGIN * recent.scoreAt(period))) {
      agreeing = 0;
      return 0;
    }
    if (agreeing > 0 && Math.abs(p / target - 1) > BeatTracker.STEP_FRACTION) {
      agreeing = 0;
    }
    if (agreeing == 0) {
      since = t;
    }
    target = p;
    return ++agreeing >= BeatTracker.STEP_ONSETS && t - since >= 0.5 * period ? p : 0;
  }

  /** How many recent onsets the last {@link #check} looked at: the new beat is phased on them. */
  int recentOnsets() {
    return used;
  }

  /** Forgets the onsets that agreed so far (the oscillator started again). */
  void reset() {
    agreeing = 0;
  }
}
