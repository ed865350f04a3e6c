package continuo.engine;

import continuo.tempo.TempoSource;

/**
 * What the status line and the log read of the live engine's time, from any thread: the tempo the
 * model hears and its source, and the transport messages followed ({@link Timekeeper} keeps them
 * in volatile fields as of its last update).
 */
public interface TempoStatus {
  /** The tempo as of the last update. */
  double statusBpm();

  /** The tempo's source as of the last update, or null before the first. */
  TempoSource statusSource();

  /** How many times the source was chosen, the first choice included (the log shows each). */
  long sourceChanges();

  /** Start, Continue and Stop messages followed so far. */
  long transportEvents();

  /** The last of them, for the log: "started", "continued" or "stopped". */
  String lastTransport();

  /** The tempo when the last of them came. */
  double transportBpm();

  /** The tempo's source when the last of them came. */
  TempoSource transportSource();
}
