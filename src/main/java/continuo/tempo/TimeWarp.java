package continuo.tempo;

/**
 * Converts between the player's time and the model's time. The model speaks at its reference
 * tempo R; at a current tempo of B bpm, a gap the player leaves is {@code B / R} times as long in
 * model time, and a model TIME_SHIFT is {@code R / B} times as long when played.
 *
 * <p>Besides durations ({@link #toModel}, {@link #toPlayer}), it keeps a timeline of times
 * ({@link #modelTime}, {@link #playerTime}): linear at the current scale, anchored anew where the
 * tempo changes ({@link #setBpm(double, long)}), so it is continuous and monotonic and a change of
 * tempo never moves a time already converted before it.
 *
 * <p>Single-threaded: the engine thread sets the tempo (when the tempo selection changes it) and
 * converts; nothing allocates.
 */
public final class TimeWarp {
  private final double referenceBpm;
  private double bpm;
  private double scale = 1;
  private long anchorPlayer;
  private double anchorModel;

  /** A warp to a model whose reference tempo is {@code referenceBpm} (20..400), at that tempo. */
  public TimeWarp(double referenceBpm) {
    if (!(referenceBpm >= 20 && referenceBpm <= 400)) {
      throw new IllegalArgumentException("reference_bpm must be 20..400, got " + referenceBpm);
    }
    this.referenceBpm = referenceBpm;
    this.bpm = referenceBpm;
  }

  /** Sets the current tempo (20..400 bpm; other values are clamped into that range). */
  public void setBpm(double currentBpm) {
    bpm = Double.isNaN(currentBpm) ? referenceBpm : Math.max(20, Math.min(400, currentBpm));
    scale = bpm / referenceBpm;
  }

  /** Sets the tempo from {@code playerNanos} on: the timeline bends there. */
  public void setBpm(double currentBpm, long playerNanos) {
    anchorModel = exactModelTime(playerNanos);
    anchorPlayer = playerNanos;
    setBpm(currentBpm);
  }

  /** Anchors the timeline: {@code playerNanos} is {@code modelNanos} in model time. */
  public void startAt(long playerNanos, long modelNanos) {
    anchorPlayer = playerNanos;
    anchorModel = modelNanos;
  }

  /** A time of the player's (nanoseconds) on the model's timeline. */
  public long modelTime(long playerNanos) {
    return Math.round(exactModelTime(playerNanos));
  }

  private double exactModelTime(long playerNanos) {
    return anchorModel + (playerNanos - anchorPlayer) * scale;
  }

  /** A time on the model's timeline (nanoseconds) in the player's time. */
  public long playerTime(long modelNanos) {
    return anchorPlayer + Math.round((modelNanos - anchorModel) / scale);
  }

  /**
   * The octave of {@code bpm} (times a power of two) nearest the reference tempo: a tracker that
   * counts in half or double time still maps the music to the model's own metrical level.
   */
  public double nearestOctave(double bpm) {
    if (!(bpm > 0)) {
      return referenceBpm;
    }
    double octaves = Math.rint(Math.log(referenceBpm / bpm) / Math.log(2));
    return bpm * Math.pow(2, octaves);
  }

  /**
   * The tempo to warp by when {@code source} says {@code bpm}: the beat tracker's folded to the
   * octave nearest the reference ({@link #nearestOctave}), since which metrical level it follows
   * is its guess; a clock, taps or a given number as they are.
   */
  public double tempoOf(TempoSource source, double bpm) {
    return source == TempoSource.TRACKER ? nearestOctave(bpm) : bpm;
  }

  /** A gap in player time (any unit) in model time, rounded. */
  public long toModel(long playerGap) {
    return Math.round(playerGap * scale);
  }

  /** A duration in model time (any unit) in player time, rounded. */
  public long toPlayer(long modelDuration) {
    return Math.round(modelDuration / scale);
  }

  /** Current tempo over reference tempo. */
  public double scale() {
    return scale;
  }

  public double bpm() {
    return bpm;
  }

  public double referenceBpm() {
    return referenceBpm;
  }
}
