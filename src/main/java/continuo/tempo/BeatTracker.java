package continuo.tempo;

/**
 * An online beat tracker for the player's note-ons: tempo, beat phase, a confidence and whether
 * it has settled.
 *
 * <p>Note-ons closer than {@link #CHORD_NANOS} are one onset whose weight grows with each note (and
 * with velocity, and more for low notes, which carry the beat in most accompaniments). Tempo
 * induction is an {@link IoiHistogram}: the intervals between each onset and the
 * {@link #WINDOW} before it, decayed per onset, scored by a comb over their multiples (Dixon's IOI
 * clustering). Once {@link #SEED_ONSETS} onsets are in, the best period seeds an adaptive
 * oscillator (after Large and Kolen), or its two-thirds when the best is a beat divided in three
 * whose two-thirds, divided in two, scores {@link #LEVEL_TIE} of it (a 3-3-2 syncopation's dotted
 * quarter). Its phase is set at whichever onset since the last pause lines up the most onset
 * weight on the beats (a pickup before a pause need not be on the beat that follows), and every
 * onset near a predicted beat pulls the phase by
 * {@link #PHASE_GAIN} and the period by {@link #PERIOD_GAIN} of its error, scaled down the further
 * it is from the beat. Onsets between beats (eighths, syncopation) pull nothing.
 *
 * <p>The oscillator keeps the metrical level it seeded at. It moves when the intervals among the
 * onsets of the last few beats alone agree on another period ({@link TempoStep}: a change of
 * tempo; it starts again there, phased on those onsets; one under {@link #STEP_FRACTION} only once
 * {@link #DRIFT_ONSETS} onsets in a row landed off its beats to that side) unless those onsets still line up on its
 * beats at least as well as on that period (a run of notes off the grid), and every
 * {@link #LEVEL_CHECK_BEATS} beats when a 3:2 or 4:3 relative scores {@link #LEVEL_MARGIN} times
 * higher in two checks running, or when a beat divided in three has a two-thirds divided in two
 * that scores {@link #LEVEL_TIE} of it (a 3-3-2 syncopation had taken the beat); an oscillator that
 * has not settled after {@link #RESEED_BEATS} beats starts again, at the octave it followed before
 * if it had settled. Confidence is the share of recent beats that had an onset on them; the
 * tracker has settled once it has run {@link #SETTLE_BEATS} beats with a confidence of at least
 * {@link #SETTLED_CONFIDENCE}, and stays so down to {@link #UNSETTLED_CONFIDENCE}.
 * docs/tempo.md gives the figures on real tunes.
 *
 * <p>Single-threaded: the thread that reads the player's input calls {@link #noteOn} (and
 * {@link #update} when idle, which closes a chord once its window has passed); queries are for that
 * same thread. Nothing allocates after construction.
 */
public final class BeatTracker implements TempoEstimate {
  public static final long CHORD_NANOS = 35_000_000L;
  public static final int WINDOW = 24;
  public static final int SEED_ONSETS = 6;
  public static final double PHASE_GAIN = 0.4;
  public static final double PERIOD_GAIN = 0.15;
  public static final double STEP_FRACTION = 0.06;
  public static final int STEP_ONSETS = 3;
  /**
   * A change of tempo smaller than {@link #STEP_FRACTION} is taken only after this many onsets in
   * a row landed off the beat to its side (late for a slower tempo), each by more than
   * {@link #DRIFT_ERROR} of a beat.
   */
  public static final int DRIFT_ONSETS = 3;
  public static final double DRIFT_ERROR = 0.05;
  public static final int SETTLE_BEATS = 1;
  /** Beats between checks that the oscillator runs at the best period or an octave of it. */
  public static final int LEVEL_CHECK_BEATS = 8;
  /** How much better another period must score for a check to move the oscillator there. */
  public static final double LEVEL_MARGIN = 1.3;
  /**
   * A beat divided in three is seeded at its two-thirds, divided in two, when that scores this
   * share of it, and moves there when it does in two checks running.
   */
  public static final double LEVEL_TIE = 0.8;
  /** Beats after which an oscillator that has not settled is started again. */
  public static final int RESEED_BEATS = 6;
  public static final double SETTLED_CONFIDENCE = 0.6;
  /** Once settled, the tracker stays so until its confidence falls below this. */
  public static final double UNSETTLED_CONFIDENCE = 0.35;
  /** Onsets this far (in beats) from a predicted beat still pull it; the pull is Gaussian. */
  private static final double PULL_WINDOW = 0.25;
  private static final double PULL_WIDTH = 0.1;
  /** Memory of the confidence, per beat. */
  private static final double CONFIDENCE_RATE = 0.25;
  /** A silence of more than this many beats is a pause, not missed beats. */
  private static final int PAUSE_BEATS = 2;

  private final IoiHistogram histogram;
  private final TempoStep step;
  private final long[] times = new long[WINDOW];
  private final double[] weights = new double[WINDOW];
  /** The histogram bin of the interval from onset [i] back to onset [j] (ring indices). */
  private final int[][] pairBins = new int[WINDOW][WINDOW];
  private int onsets; // total onsets since reset (ring index = onsets % WINDOW)

  private boolean pending;
  private long pendingTime;
  private double pendingWeight;

  private boolean seeded;
  private boolean settled;
  private boolean everSettled;
  private double period;
  private long beatTime; // a predicted beat at or before the last onset
  private double beatOffset; // fraction of a nanosecond kept between adjustments
  private long beatNumber;
  private boolean beatHit;
  private boolean nextHit;
  private double confidence;
  private int beatsSinceSeed;
  private int nextLevelCheck;
  private double levelCandidate;
  private long seeds;
  /**
   * Onsets in a row near a beat and more than {@link #DRIFT_ERROR} to the same side of it: positive
   * late, negative early (0 after one closer than that).
   */
  private int drift;

  /** A tracker with the default parameters (a lean towards 110 bpm of one octave). */
  public BeatTracker() {
    this(0.9, 60e9 / 110, 1.0);
  }

  /**
   * @param decay histogram decay per onset (its memory is about 1 / (1 - decay) onsets)
   * @param preferredPeriodNanos beat period the induction leans towards when in doubt
   * @param priorOctaves width of that lean (standard deviation in octaves)
   */
  public BeatTracker(double decay, double preferredPeriodNanos, double priorOctaves) {
    histogram = new IoiHistogram(decay, preferredPeriodNanos, priorOctaves);
    step = new TempoStep(decay, preferredPeriodNanos, priorOctaves);
  }

  /** A note-on from the player at {@code nanos} (nondecreasing), with pitch and velocity. */
  public void noteOn(long nanos, int pitch, int velocity) {
    if (pending && nanos - pendingTime > CHORD_NANOS) {
      process(pendingTime, pendingWeight);
      pending = false;
    }
    double salience = (0.5 + Math.max(0, Math.min(127, velocity)) / 127.0) * (pitch < 60 ? 1.5 : 1);
    if (pending) {
      pendingWeight = Math.min(4.0, pendingWeight + salience);
    } else {
      pending = true;
      pendingTime = nanos;
      pendingWeight = salience;
    }
  }

  /** Closes the pending chord once its window has passed; call when idle. */
  public void update(long nowNanos) {
    if (pending && nowNanos - pendingTime > CHORD_NANOS) {
      process(pendingTime, pendingWeight);
      pending = false;
    }
  }

  private void process(long t, double w) {
    histogram.age();
    int n = Math.min(onsets, WINDOW);
    for (int i = 1; i <= n; i++) {
      int j = (onsets - i) % WINDOW;
      int b = IoiHistogram.binOf(t - times[j]);
      pairBins[onsets % WINDOW][j] = b;
      histogram.addBin(b, w * weights[j]);
    }
    times[onsets % WINDOW] = t;
    weights[onsets % WINDOW] = w;
    onsets++;
    if (onsets >= 1 << 30) {
      // Keep the count (and so the ring index) positive forever, and the window full.
      onsets -= ((1 << 30) / WINDOW - 1) * WINDOW;
    }
    if (!seeded) {
      if (onsets >= SEED_ONSETS) {
        histogram.prepare();
        double p = histogram.best();
        if (p > 0) {
          seed(binaryTwoThirds(p), t);
        }
      }
      return;
    }
    follow(t, w);
  }

  private void follow(long t, double w) {
    long passed = (long) Math.floor((t - beatTime - beatOffset) / period);
    if (passed > 0) {
      if (passed <= PAUSE_BEATS) {
        for (long k = 0; k < passed; k++) {
          confidence += CONFIDENCE_RATE * ((beatHit ? 1 : 0) - confidence);
          beatHit = k == 0 && nextHit;
          beatsSinceSeed++;
        }
      } else {
        beatHit = false;
      }
      nextHit = false;
      advance(passed * period);
      beatNumber += passed;
    }
    double e = (t - beatTime - beatOffset) / period; // 0 <= e < 1
    boolean next = e > 0.5;
    if (next) {
      e -= 1;
    }
    if (Math.abs(e) < PULL_WINDOW) {
      if (Math.abs(e) < DRIFT_ERROR) {
        drift = 0;
      } else if (e > 0) {
        drift = drift > 0 ? drift + 1 : 1;
      } else {
        drift = drift < 0 ? drift - 1 : -1;
      }
      double pull = Math.exp(-0.5 * e * e / (PULL_WIDTH * PULL_WIDTH)) * Math.min(1, w);
      advance(PHASE_GAIN * pull * e * period);
      period *= 1 + PERIOD_GAIN * pull * e;
      if (Math.abs(e) < PULL_WIDTH) {
        if (next) {
          nextHit = true;
        } else {
          beatHit = true;
        }
      }
    }
    double stepped = step.check(t, times, weights, pairBins, onsets, period);
    if (stepped > 0 && Math.abs(stepped / period - 1) <= STEP_FRACTION
        && (stepped > period ? drift : -drift) < DRIFT_ONSETS) {
      stepped = 0;
    }
    if (stepped > 0 && stillOnTheBeat(stepped, step.recentOnsets())) {
      stepped = 0;
    }
    if (stepped > 0) {
      seed(stepped, t, step.recentOnsets());
    }
    if (beatsSinceSeed >= nextLevelCheck) {
      nextLevelCheck += LEVEL_CHECK_BEATS;
      checkLevel(t);
    }
    updateSettled();
    if (beatsSinceSeed >= RESEED_BEATS && !settled) {
      // Not settled here: the seed was wrong, or the tempo moved; start again from the whole
      // histogram, at the octave nearest the current beat if the tracker had settled before, so
      // the metrical level the player has been followed at does not change under them.
      histogram.prepare();
      double p = histogram.best();
      if (p > 0 && everSettled) {
        p *= Math.pow(2, Math.rint(Math.log(period / p) / Math.log(2)));
        // Not from a beat divided in two to a neighbour divided in three: a 3-3-2 syncopation
        // makes its dotted eighth (3:4 of the beat) the best period whenever the phase slips.
        if (Math.abs(p / period - 1) > STEP_FRACTION && binary(period) && !binary(p)) {
          p = period;
        }
      }
      seed(p > 0 ? p : period, t);
      updateSettled();
    }
  }

  /**
   * Every few beats: if the best period overall is less than an octave from the current one (but
   * not within 10 %) and scores clearly higher, the oscillator seeded on the wrong relative (a 3:2 or 4:3 of the beat,
   * which syncopation suggests early on) and starts again there.
   */
  private void checkLevel(long t) {
    histogram.prepare();
    double best = histogram.best();
    if (best <= 0) {
      return;
    }
    // Only a neighbour less than an octave away: a bar of three beats is the waltz's own level.
    double r = best / period;
    boolean neighbour = (r > 0.55 && r < 0.9) || (r > 1.1 && r < 1.8);
    double target = 0;
    if (neighbour && histogram.scoreAt(best) > LEVEL_MARGIN * histogram.scoreAt(period)) {
      target = best;
    } else {
      // A beat divided in three whose two-thirds, divided in two, scores nearly as well: the
      // onsets' grid is binary and the beat took a 3-3-2 syncopation's accents.
      double c = binaryTwoThirds(period);
      target = c != period ? c : 0;
    }
    if (target > 0) {
      // Two checks in a row must agree: just after a change of tempo the histogram still holds
      // the old intervals, which look like a neighbour of the new beat.
      if (levelCandidate > 0 && Math.abs(target / levelCandidate - 1) < STEP_FRACTION) {
        seed(target, t);
      } else {
        levelCandidate = target;
      }
    } else {
      levelCandidate = 0;
    }
  }

  /**
   * The two-thirds of period {@code p} when {@code p} is divided in three and that two-thirds,
   * divided in two, scores at least {@link #LEVEL_TIE} of it (after {@link IoiHistogram#prepare});
   * else {@code p}. The scores leave out the lean towards the preferred tempo: which of the two
   * the grid has is a question of the intervals alone (at 170 bpm the lean alone cost the beat a
   * fifth of its score against the dotted quarter at 113).
   */
  private double binaryTwoThirds(double p) {
    if (binary(p)) {
      return p;
    }
    double c = histogram.best(p * 2 / 3 * 0.95, p * 2 / 3 * 1.05);
    boolean tie = c > 0 && histogram.evidenceAt(c) >= LEVEL_TIE * histogram.evidenceAt(p);
    return tie && binary(c) ? c : p;
  }

  /** Whether the intervals at half of period {@code p} outweigh those at a third of it. */
  private boolean binary(double p) {
    return histogram.countAt(p / 2) > histogram.countAt(p / 3);
  }


  /** Starts the oscillator at period {@code p}, its beat on the recent onset that fits best. */
  private void seed(double p, long now) {
    seed(p, now, Math.min(onsets, WINDOW));
  }

  /** As {@link #seed(double, long)}, from the last {@code n} onsets only. */
  private void seed(double p, long now, int n) {
    seeds++;
    n = sincePause(p, n);
    long best = now;
    double bestScore = -1;
    for (int i = 0; i < n; i++) {
      long anchor = times[(onsets - 1 - i) % WINDOW];
      double s = alignment(anchor, p, n);
      if (s > bestScore + 1e-9) {
        bestScore = s;
        best = anchor;
      }
    }
    long passed = (long) Math.floor((now - best) / p);
    double beat = best + passed * p;
    long beats = seeded ? beatNumber + Math.round((beat - beatTime) / period) : 0;
    period = p;
    beatTime = (long) beat;
    beatOffset = beat - beatTime;
    beatNumber = beats;
    seeded = true;
    beatHit = Math.abs(now - beat) < PULL_WIDTH * p;
    // An onset just ahead of the next beat is on it, as it would be for the running oscillator.
    nextHit = beat + p - now < PULL_WIDTH * p;
    confidence = hitShare(best, p, n);
    beatsSinceSeed = 0;
    drift = 0;
    nextLevelCheck = LEVEL_CHECK_BEATS;
    levelCandidate = 0;
    step.reset();
  }

  /**
   * Whether the last {@code n} onsets line up on the running oscillator's beats at least as well
   * as on period {@code p} at its best phase: then the intervals that suggest {@code p} are the
   * player's timing around a beat that still holds (a run of notes off the grid), not a new tempo.
   */
  private boolean stillOnTheBeat(double p, int n) {
    double current = alignment(beatTime + beatOffset, period, n);
    for (int i = 0; i < n; i++) {
      if (alignment(times[(onsets - 1 - i) % WINDOW], p, n) > current) {
        return false;
      }
    }
    return true;
  }

  /**
   * The onset weight among the last {@code n} onsets on the beats of period {@code p} through
   * {@code anchor} (ns), each scaled down the further it is from its nearest beat.
   */
  private double alignment(double anchor, double p, int n) {
    double s = 0;
    for (int j = 0; j < n; j++) {
      int idx = (onsets - 1 - j) % WINDOW;
      double x = (times[idx] - anchor) / p;
      double d = x - Math.rint(x);
      s += weights[idx] * Math.exp(-0.5 * d * d / (PULL_WIDTH * PULL_WIDTH));
    }
    return s;
  }

  /**
   * How many of the last {@code n} onsets came after the last pause (a silence of more than
   * {@link #PAUSE_BEATS} beats of {@code p}): a pickup or a phrase before a pause need not be on
   * the beat that follows it.
   */
  private int sincePause(double p, int n) {
    int m = 1;
    while (m < n && times[(onsets - m) % WINDOW] - times[(onsets - 1 - m) % WINDOW]
        <= PAUSE_BEATS * p) {
      m++;
    }
    return m;
  }

  /**
   * The share of the beats spanned by the window (at most 64) that have an onset on them, for a
   * beat at {@code anchor} every {@code p}: the starting confidence of a new oscillator.
   */
  private double hitShare(long anchor, double p, int n) {
    long oldest = times[(onsets - n) % WINDOW];
    long first = Math.round((oldest - anchor) / p);
    long last = Math.round((times[(onsets - 1) % WINDOW] - anchor) / p);
    int span = (int) Math.min(64, last - first + 1);
    long hit = 0;
    for (int j = 0; j < n; j++) {
      double x = (times[(onsets - 1 - j) % WINDOW] - anchor) / p;
      long idx = Math.round(x) - first;
      if (Math.abs(x - Math.rint(x)) < PULL_WIDTH && idx >= 0 && idx < span) {
        hit |= 1L << idx;
      }
    }
    return span > 0 ? Long.bitCount(hit) / (double) span : 0;
  }

  private void advance(double nanos) {
    double exact = beatTime + beatOffset + nanos;
    beatTime = (long) Math.floor(exact);
    beatOffset = exact - beatTime;
  }

  /** Whether the tracker has settled on a beat. */
  @Override
  public boolean available(long nowNanos) {
    return settled();
  }

  /** Whether the oscillator has run {@link #SETTLE_BEATS} beats with enough confidence. */
  public boolean settled() {
    return settled;
  }

  private void updateSettled() {
    if (settled) {
      settled = confidence >= UNSETTLED_CONFIDENCE;
    } else {
      settled = seeded && (seeds > 1 || beatsSinceSeed >= SETTLE_BEATS)
          && confidence >= SETTLED_CONFIDENCE;
      everSettled |= settled;
    }
  }

  /** Share of recent beats with an onset on them, 0..1. */
  public double confidence() {
    return seeded ? confidence : 0;
  }

  /** The tempo the oscillator runs at; 0 before it is seeded. */
  @Override
  public double bpm() {
    return seeded ? 60e9 / period : 0;
  }

  /** Beats since the first beat found, running on at the current period between onsets. */
  @Override
  public double beatAt(long nowNanos) {
    return seeded ? beatNumber + (nowNanos - beatTime - beatOffset) / period : 0;
  }

  /** Times the oscillator was (re)started: once, plus once per tempo step or lost phase. */
  public long seeds() {
    return seeds;
  }

  /** Forgets everything: the next onsets start a new induction. */
  public void reset() {
    histogram.clear();
    onsets = 0;
    pending = false;
    seeded = false;
    settled = false;
    everSettled = false;
    seeds = 0;
    confidence = 0;
    beatsSinceSeed = 0;
    step.reset();
  }
}
