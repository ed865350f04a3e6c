package continuo.engine;

import continuo.midi.MidiSettings;
import continuo.preset.Preset;
import java.nio.file.Path;

/**
 * Everything {@code continuo run} was asked for, after parsing: immutable, built by the CLI and
 * handed to {@link LiveSession}.
 *
 * @param preset the preset to start with, command-line overrides applied
 * @param home repo root (presets and models are found under it)
 * @param backend "auto", "jack" or "javasound"
 * @param midi client name and port specs for the backend
 * @param inputFile a MIDI file to play into the engine, or null
 * @param record where to save the jam, or null
 * @param seed sampler seed
 * @param realtime ask Linux for SCHED_FIFO on the engine thread and locked memory
 * @param learn a control to MIDI-learn from the next controller moved, or null
 * @param fixedBpm {@code --bpm}: the tempo, fixed whatever the clock or the player do; 0 to follow
 *     them (see {@code docs/tempo.md})
 */
public record LiveConfig(
    Preset preset,
    Path home,
    String backend,
    MidiSettings midi,
    Path inputFile,
    Path record,
    long seed,
    boolean realtime,
    LiveEngine.Learn learn,
    double fixedBpm) {

  /** A configuration that follows the tempo's sources (no {@code --bpm}). */
  public LiveConfig(Preset preset, Path home, String backend, MidiSettings midi, Path inputFile,
      Path record, long seed, boolean realtime, LiveEngine.Learn learn) {
    this(preset, home, backend, midi, inputFile, record, seed, realtime, learn, 0);
  }
}
