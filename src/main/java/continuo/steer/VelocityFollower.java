package continuo.steer;

/**
 * How loud the player has been lately: an exponential average of their note-on velocities in
 * which each note weighs by the time since the previous one, with a half-life in seconds, so the
 * average follows a crescendo in about that time whatever the note rate.
 *
 * <p>Single-threaded: the thread that sees the player's notes calls {@link #noteOn} in time order
 * and reads {@link #velocity}. Allocation free.
 */
public final class VelocityFollower {
  public static final double DEFAULT_HALF_LIFE_SECONDS = 2.0;

  private final double halfLifeNanos;
  private double average;
  private long lastNanos;
  private boolean heard;

  public VelocityFollower() {
    this(DEFAULT_HALF_LIFE_SECONDS);
  }

  /** @param halfLifeSeconds 0.1..60: how long a change of loudness takes to count half */
  public VelocityFollower(double halfLifeSeconds) {
    if (!(halfLifeSeconds >= 0.1 && halfLifeSeconds <= 60)) {
      throw new IllegalArgumentException(
          "velocity half-life must be 0.1..60 s, got " + halfLifeSeconds);
    }
    this.halfLifeNanos = halfLifeSeconds * 1e9;
  }

  /** The player struck a note with {@code velocity} (1..127; 0 is ignored) at {@code nanos}. */
  public void noteOn(int velocity, long nanos) {
    if (velocity <= 0) {
      return;
    }
    int v = Math.min(127, velocity);
    if (!heard) {
      average = v;
      heard = true;
    } else {
      double dt = Math.max(0, nanos - lastNanos);
      double keep = Math.pow(0.5, dt / halfLifeNanos);
      // A chord's notes arrive together: each still moves the average a little.
      keep = Math.min(keep, 0.9);
      average = keep * average + (1 - keep) * v;
    }
    lastNanos = nanos;
  }

  /** Whether any note has been heard since construction or {@link #reset}. */
  public boolean heard() {
    return heard;
  }

  /** The recent loudness, 1..127 (meaningless before the first note: see {@link #heard}). */
  public double velocity() {
    return average;
  }

  public void reset() {
    heard = false;
  }
}
