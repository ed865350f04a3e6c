package continuo.midi;

/**
 * An open backend: it owns a thread (or a native callback) that writes every incoming message into
 * the input ring it was opened with, stamped on the process NanoClock, and that plays every message
 * offered to {@link #output()} at its timestamp. Opened and closed by the control thread, or by
 * the session's supervisor when it reopens a lost backend; {@link #isAlive} is asked by the latter.
 */
public interface MidiConnection extends AutoCloseable {
  /** One line saying what was opened, for the log. */
  String describe();

  /** The ring the scheduler offers timestamped output to (single producer: the scheduler). */
  MidiEventRing output();

  /** How long before its time an event must be offered to be played exactly on time. */
  long outputLeadNanos();

  /** True while the device or server is there; false after it went away. */
  boolean isAlive();

  /** Plays what is still queued in the output ring (e.g. final note-offs), then releases it all. */
  @Override
  void close();
}
