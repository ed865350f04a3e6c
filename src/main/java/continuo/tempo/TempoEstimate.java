package continuo.tempo;

/**
 * One source of tempo and beat phase: the DAW's MIDI clock, a host transport, tap tempo, the beat
 * tracker, or a fixed number.
 *
 * <p>Every implementation is owned by one thread (the one that feeds it events); these queries are
 * for that same thread and never allocate.
 */
public interface TempoEstimate {
  /** Whether this source has a tempo worth using at {@code nowNanos}. */
  boolean available(long nowNanos);

  /** The current tempo in beats (quarter notes) per minute; meaningful when {@link #available}. */
  double bpm();

  /**
   * The position in beats at {@code nowNanos}: whole numbers are beats, counted from the source's
   * origin (Start or Song Position for a clock, the first beat found for the tracker).
   */
  double beatAt(long nowNanos);
}
