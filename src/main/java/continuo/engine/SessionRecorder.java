package continuo.engine;

import continuo.midi.MidiEventRing;
import continuo.midi.MidiHandler;
import continuo.midi.MidiMessage;
import continuo.midifile.MidiFileWriter;
import continuo.midifile.TempoMap;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --record session.mid}: collects the notes of the jam from the engine's record ring (the
 * player's on one track, continuo's on another) and writes them as a type 1 MIDI file, 480 ticks per
 * quarter at 120 bpm (the tempo is written in the player's track). Drained by the session's
 * supervisor thread while the jam runs, and written by the control thread once it has stopped;
 * never touched by the engine thread.
 */
public final class SessionRecorder {
  private static final int PPQ = 480;

  private final MidiEventRing ring;
  private final TempoMap tempo = TempoMap.constant(PPQ, TempoMap.DEFAULT_TEMPO);
  private final MidiFileWriter file = new MidiFileWriter(PPQ);
  private final MidiFileWriter.Track player = file.track().name("player").tempoMap(tempo);
  private final MidiFileWriter.Track continuo = file.track().name("continuo");
  private final MidiHandler add = this::add;
  private final long startNanos;
  private int notes;

  public SessionRecorder(MidiEventRing ring, long startNanos) {
    this.ring = ring;
    this.startNanos = startNanos;
  }

  /** Supervisor thread (control thread once it has stopped): moves what the engine recorded into the tracks; call it regularly. */
  public int drain() {
    return ring.drain(add);
  }

  public int notes() {
    return notes;
  }

  /** Drains what is left and writes the file (atomically). */
  public void write(Path file) throws IOException {
    drain();
    this.file.write(file);
  }

  private void add(long t, int tagged) {
    int msg = tagged & 0xFFFFFF;
    int status = MidiMessage.status(msg);
    if (status < 0x80 || status >= 0xF0) {
      return; // only channel voice messages are recorded
    }
    long tick = tempo.tick(Math.max(0, Math.round((t - startNanos) / 1_000.0)));
    ((tagged & LiveEngine.RECORD_CONTINUO) != 0 ? continuo : player).add(tick, msg);
    if (MidiMessage.isNoteOn(msg)) {
      notes++;
    }
  }
}
