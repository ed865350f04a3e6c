package continuo.midi;

import continuo.metrics.Counters;
import java.util.List;
import org.agrona.concurrent.NanoClock;

/**
 * One MIDI backend (JACK, Java Sound) or input source (a file). Providers are found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/continuo.midi.MidiProvider}, each with a
 * public no-argument constructor) by {@link MidiProviders}, and opened the same way; each
 * connection owns its own thread. Called by the control thread.
 */
public interface MidiProvider {
  /** The name used by {@code --backend}, and the scheme of {@code --in NAME:...} for sources. */
  String name();

  /**
   * The order {@code --backend auto} tries backends in, lowest first: JACK (0) when a server runs,
   * else Java Sound (100).
   */
  default int autoOrder() {
    return 100;
  }

  /**
   * False for an input-only source (a file): it is opened for {@code --in NAME:...}, next to a
   * backend that plays continuo's output, and never chosen as a backend.
   */
  default boolean playsOutput() {
    return true;
  }

  /** Cheap probe, bounded in time: can this backend be opened on this machine right now? */
  default boolean isAvailable() {
    return unavailableReason() == null;
  }

  /** Null when {@link #isAvailable}; otherwise one line saying why not, for the log. */
  String unavailableReason();

  /** The ports this backend can open. */
  List<MidiPortInfo> ports() throws MidiBackendException;

  /**
   * Opens input and output. Incoming messages go to {@code input} (this connection is its only
   * producer), stamped by {@code clock}; timestamped messages offered to {@code output} are played
   * (this connection is its only consumer; null for a source that plays no output). The rings
   * outlive a connection, so a lost device can be reopened without the engine noticing. What goes
   * wrong on the way is counted in {@code counters}.
   */
  MidiConnection open(MidiSettings settings, MidiEventRing input, MidiEventRing output,
      NanoClock clock, Counters counters) throws MidiBackendException;
}
