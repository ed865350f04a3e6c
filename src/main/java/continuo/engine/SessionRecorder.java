package continuo.engine;

import continuo.midi.MidiEventRing;
import continuo.midi.MidiHandler;
import continuo.midi.MidiMessage;
import java.io.IOException;
import java.nio.file.Path;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * {@code --record session.mid}: collects the notes of the jam from the engine's record ring (the
 * player's on one track, continuo's on another) and writes them as a type 1 MIDI file, 480 ticks per
 * quarter at 120 bpm. Drained and written by the control thread, never the engine thread.
 */
public final class SessionRecorder {
  private static final int PPQ = 480;
  /** At 120 bpm a quarter is 500 ms: 480 ticks per 500,000 microseconds. */
  private static final double TICKS_PER_NANO = PPQ / 500_000_000.0;

  private final MidiEventRing ring;
  private final Sequence sequence;
  private final Track player;
  private final Track continuo;
  private final MidiHandler add = this::add;
  private final long startNanos;
  private int notes;

  public SessionRecorder(MidiEventRing ring, long startNanos) {
    this.ring = ring;
    this.startNanos = startNanos;
    try {
      sequence = new Sequence(Sequence.PPQ, PPQ);
    } catch (InvalidMidiDataException e) {
      throw new IllegalStateException(e);
    }
    player = sequence.createTrack();
    continuo = sequence.createTrack();
    name(player, "player");
    name(continuo, "continuo");
  }

  /** Control thread: moves what the engine recorded into the sequence; call it regularly. */
  public int drain() {
    return ring.drain(add);
  }

  public int notes() {
    return notes;
  }

  /** Drains what is left and writes the file. */
  public void write(Path file) throws IOException {
    drain();
    MidiSystem.write(sequence, 1, file.toFile());
  }

  private void add(long t, int tagged) {
    int msg = tagged & 0xFFFFFF;
    long tick = Math.max(0, Math.round((t - startNanos) * TICKS_PER_NANO));
    try {
      ShortMessage m = new ShortMessage(MidiMessage.status(msg), MidiMessage.data1(msg),
          MidiMessage.data2(msg));
      ((tagged & LiveEngine.RECORD_CONTINUO) != 0 ? continuo : player).add(new MidiEvent(m, tick));
      if (MidiMessage.isNoteOn(msg)) {
        notes++;
      }
    } catch (InvalidMidiDataException e) {
      // Only channel voice messages are recorded; anything else is skipped.
    }
  }

  private static void name(Track track, String name) {
    try {
      byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      track.add(new MidiEvent(new MetaMessage(0x03, b, b.length), 0));
    } catch (InvalidMidiDataException e) {
      throw new IllegalStateException(e);
    }
  }
}
