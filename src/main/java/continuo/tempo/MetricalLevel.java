package continuo.tempo;

/**
 * Chooses the metrical level at which a model hears a player whose beat the {@link BeatTracker}
 * follows. Which level the tracker counts is its guess (a reel at 180 bpm in eighths has the onsets
 * of one at 90 in sixteenths); the model knows how dense its music is at its reference tempo R:
 * {@code D} distinct onsets per beat. From the player's recent onset rate r (onsets per second),
 * a level L has {@code r * 60 / L} onsets per beat, and of the tracker's tempo B, half and double
 * it (20..400 bpm) the level taken is the one that minimises
 *
 * <pre>  (ln(r * 60 / L / D))^2 + PRIOR * (ln(L / R))^2</pre>
 *
 * (the second term a weak pull towards R). Hysteresis: the candidate in the octave of the level
 * chosen before has its cost lowered by {@link #HYSTERESIS}, so the level does not flip on every
 * onset when the density sits between two. A model without {@code D} (or before enough onsets are
 * heard) gets the octave of B nearest R, as {@link TimeWarp#tempoOf} folds it; {@link #decided}
 * says which it was, so that the engine need not warp a model that gives {@code D} by that guess.
 *
 * <p>A model can also be asked ({@code engine.LevelChoice}, which tells a jig from a reel where a
 * density cannot): once a {@link #judged verdict} is given, it is the level: the tracker's tempo
 * times the factor the verdict found, kept while the tracker moves by less than
 * {@link #SAME_BEAT}; beyond that the tracker is taken to have changed its level, and the candidate
 * of its new tempo (2^a * 3^b times it, b in -1..1) nearest the verdict is heard, until the next
 * verdict. While one is awaited ({@link #awaitVerdicts}) nothing is {@link #decided}.
 *
 * <p>The onset rate: note-ons within {@link #CHORD_NANOS} of the first of a chord are one onset;
 * the last {@link #WINDOW} gaps between onsets are kept in a preallocated ring, and the rate is the
 * number of those gaps over their summed length, leaving out pauses (a gap over two beats of B).
 *
 * <p>Single-threaded (the engine thread); nothing allocates after construction.
 */
public final class MetricalLevel {
  /** Note-ons within this of the first of a chord are one onset (as the corpus is counted). */
  static final long CHORD_NANOS = 30_000_000L;
  /** Gaps between onsets the rate is measured over. */
  static final int WINDOW = 24;
  /** Gaps needed before the density decides. */
  static final int MIN_GAPS = 8;
  /** The weight of the pull towards the reference tempo. */
  static final double PRIOR = 0.1;
  /** How much cheaper the octave chosen before is. */
  static final double HYSTERESIS = 0.1;

  /** The tracker moving by less than this factor keeps a verdict's factor. */
  static final double SAME_BEAT = 1.25;

  private final long[] gaps = new long[WINDOW];
  private boolean awaitVerdicts;
  private double verdict = Double.NaN;
  private double verdictFactor = Double.NaN;
  private double verdictTracker = Double.NaN;
  private double referenceBpm = 120;
  private double onsetsPerBeat = Double.NaN;
  private int count;
  private int next;
  private long lastOnset = Long.MIN_VALUE;
  private double chosen = Double.NaN;
  private long heard;
  private long askedHeard = -1;
  private double askedBpm = Double.NaN;
  private double answer;
  private boolean decided;

  /**
   * Hears the player for a model whose reference tempo is {@code referenceBpm} (20..400) and whose
   * music has {@code onsetsPerBeat} distinct onsets per beat there (NaN or 0: unknown, fold to the
   * octave). The onsets heard so far still count; the level is chosen anew.
   */
  public void use(double referenceBpm, double onsetsPerBeat) {
    if (!(referenceBpm >= 20 && referenceBpm <= 400)) {
      throw new IllegalArgumentException("reference_bpm must be 20..400, got " + referenceBpm);
    }
    this.referenceBpm = referenceBpm;
    this.onsetsPerBeat = onsetsPerBeat > 0 ? onsetsPerBeat : Double.NaN;
    chosen = Double.NaN;
    forgetVerdict();
    askedHeard = -1;
    decided = false;
  }

  /** A note-on of the player's at {@code nanos} (in time order). */
  public void noteOn(long nanos) {
    if (lastOnset != Long.MIN_VALUE && nanos - lastOnset <= CHORD_NANOS) {
      return;
    }
    if (lastOnset != Long.MIN_VALUE) {
      gaps[next] = nanos - lastOnset;
      next = (next + 1) % WINDOW;
      count = Math.min(WINDOW, count + 1);
      heard++;
    }
    lastOnset = nanos;
  }

  /** Forgets the onsets heard and the level chosen. */
  public void reset() {
    count = 0;
    next = 0;
    lastOnset = Long.MIN_VALUE;
    chosen = Double.NaN;
    askedHeard = -1;
    decided = false;
    forgetVerdict();
  }

  /**
   * Whether verdicts will come ({@link #judged}): until the first, the level is not
   * {@link #decided}. False (the default): the density alone decides.
   */
  public void awaitVerdicts(boolean await) {
    awaitVerdicts = await;
    askedHeard = -1;
  }

  /**
   * The model heard the player best at {@code levelBpm} when the tracker counted
   * {@code trackerBpm}; NaN: the model could not be asked, and the density decides from now on.
   */
  public void judged(double levelBpm, double trackerBpm) {
    askedHeard = -1;
    if (Double.isNaN(levelBpm) || !(trackerBpm > 0)) {
      awaitVerdicts = false;
      return;
    }
    verdict = levelBpm;
    verdictTracker = trackerBpm;
    verdictFactor = levelBpm / trackerBpm;
  }

  /** The tempo of the last verdict, or NaN before one. */
  public double verdict() {
    return verdict;
  }

  private void forgetVerdict() {
    verdict = Double.NaN;
    verdictFactor = Double.NaN;
    verdictTracker = Double.NaN;
  }

  /**
   * The tempo the model should hear when the tracker counts {@code trackerBpm}: it, half or double
   * it (clamped to 20..400), chosen as the class says.
   */
  public double levelOf(double trackerBpm) {
    if (!(trackerBpm > 0)) {
      return referenceBpm;
    }
    if (heard == askedHeard && trackerBpm == askedBpm) {
      return answer; // nothing new since it was asked
    }
    askedHeard = heard;
    askedBpm = trackerBpm;
    answer = choose(trackerBpm);
    return answer;
  }

  /**
   * Whether the last {@link #levelOf} answer is the level to hear: chosen from the onset rate, or
   * folded for a model that gives no onsets per beat. False while a model that gives them has
   * heard fewer than {@link #MIN_GAPS} gaps: the fold is then only a guess, and a wrong one makes
   * the model hear the opening at twice or half its density.
   */
  public boolean decided() {
    return decided;
  }

  private double choose(double trackerBpm) {
    if (!Double.isNaN(verdict)) {
      decided = true;
      if (Math.abs(Math.log(trackerBpm / verdictTracker)) < Math.log(SAME_BEAT)) {
        return clamp(trackerBpm * verdictFactor);
      }
      return nearestCandidate(trackerBpm, verdict);
    }
    if (awaitVerdicts) {
      decided = false;
      return nearestOctave(trackerBpm);
    }
    double rate = onsetsPerSecond(trackerBpm);
    if (Double.isNaN(onsetsPerBeat) || Double.isNaN(rate)) {
      decided = Double.isNaN(onsetsPerBeat);
      return nearestOctave(trackerBpm);
    }
    decided = true;
    double best = Double.NaN;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int octave = -1; octave <= 1; octave++) {
      double level = Math.max(20, Math.min(400, trackerBpm * Math.pow(2, octave)));
      double dense = Math.log(rate * 60 / level / onsetsPerBeat);
      double prior = Math.log(level / referenceBpm);
      double cost = dense * dense + PRIOR * prior * prior;
      if (!Double.isNaN(chosen) && Math.abs(Math.log(level / chosen)) < Math.log(2) / 2) {
        cost -= HYSTERESIS;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = level;
      }
    }
    chosen = best;
    return best;
  }

  /** Onsets per second over the recent gaps that are not pauses, or NaN with too few. */
  double onsetsPerSecond(double trackerBpm) {
    double pause = 2 * 60e9 / trackerBpm;
    long sum = 0;
    int used = 0;
    for (int i = 0; i < count; i++) {
      if (gaps[i] <= pause) {
        sum += gaps[i];
        used++;
      }
    }
    return used < MIN_GAPS || sum <= 0 ? Double.NaN : used * 1e9 / sum;
  }

  /** Of {@code bpm} times 2^a * 3^b (b in -1..1), the tempo nearest {@code target}. */
  private static double nearestCandidate(double bpm, double target) {
    double best = bpm;
    for (int b = -1; b <= 1; b++) {
      double thirds = bpm * Math.pow(3, b);
      double a = Math.rint(Math.log(target / thirds) / Math.log(2));
      double level = thirds * Math.pow(2, a);
      if (Math.abs(Math.log(level / target)) < Math.abs(Math.log(best / target))) {
        best = level;
      }
    }
    return clamp(best);
  }

  private static double clamp(double bpm) {
    return Math.max(20, Math.min(400, bpm));
  }

  private double nearestOctave(double bpm) {
    double octaves = Math.rint(Math.log(referenceBpm / bpm) / Math.log(2));
    return bpm * Math.pow(2, octaves);
  }

  public double referenceBpm() {
    return referenceBpm;
  }

  /** The model's onsets per beat at its reference tempo, or NaN when it does not say. */
  public double onsetsPerBeat() {
    return onsetsPerBeat;
  }
}
