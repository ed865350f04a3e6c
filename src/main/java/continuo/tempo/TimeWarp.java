package continuo.tempo;

/**
 * Converts between the player's time and the model's time. The model speaks at its reference
 * tempo R; at a current tempo of B bpm, a gap the player leaves is {@code B / R} times as long in
 * model time, and a model TIME_SHIFT is {@code R / B} times as long when played.
 *
 * <p>Single-threaded: the engine thread sets the tempo (when the tempo selection changes it) and
 * converts; nothing allocates.
 */
public final class TimeWarp {
  private final double referenceBpm;
  private double bpm;
  private double scale = 1;

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
