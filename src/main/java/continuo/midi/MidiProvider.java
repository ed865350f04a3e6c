package continuo.midi;

import java.util.List;
import org.agrona.concurrent.NanoClock;

/**
 * One MIDI backend (JACK, Java Sound, a file). Providers are discovered through {@link
 * MidiProviders} and opened the same way; each connection owns its own thread.
 */
public interface MidiProvider {
  /** The name used by {@code --backend}. */
  String name();

  /** Cheap probe: can this backend be opened on this machine right now? */
  boolean isAvailable();

  /** The ports this backend can open. */
  List<MidiPortInfo> ports() throws MidiBackendException;

  /**
   * Opens input and output. Incoming messages go to {@code input} (this connection is its only
   * producer), stamped by {@code clock}; timestamped messages offered to {@code output} are played
   * (this connection is its only consumer). The rings outlive a connection, so a lost device can be
   * reopened without the engine noticing.
   */
  MidiConnection open(MidiSettings settings, MidiEventRing input, MidiEventRing output,
      NanoClock clock) throws MidiBackendException;
}
