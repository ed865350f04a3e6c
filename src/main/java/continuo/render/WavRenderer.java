package continuo.render;

import com.sun.media.sound.AudioSynthesizer;
import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Synthesizer;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Renders a MIDI file to a WAV file offline with Java's built-in General MIDI synthesizer
 * (Gervill), so a continuation can be heard without a DAW or a sound card: the synthesizer's
 * audio stream is pulled as fast as it renders, with every note sent at its exact time.
 */
public final class WavRenderer {
  /** 44.1 kHz, 16-bit, stereo, little-endian PCM. */
  public static final AudioFormat FORMAT = new AudioFormat(44_100f, 16, 2, true, false);
  private static final long TAIL_MICROS = 1_500_000;

  private WavRenderer() {}

  public static void render(Path mid, Path wav) throws IOException {
    List<Note> notes = MidiFiles.read(mid);
    AudioSynthesizer synth = synthesizer();
    try {
      AudioInputStream stream = synth.openStream(FORMAT, null);
      Receiver receiver = synth.getReceiver();
      long end = 0;
      List<long[]> events = new ArrayList<>();
      for (Note n : notes) {
        events.add(new long[] {n.startMicros(), ShortMessage.NOTE_ON, n.channel(), n.pitch(), n.velocity()});
        events.add(new long[] {n.endMicros(), ShortMessage.NOTE_OFF, n.channel(), n.pitch(), 0});
        end = Math.max(end, n.endMicros());
      }
      events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
      for (long[] e : events) {
        receiver.send(new ShortMessage((int) e[1], (int) e[2], (int) e[3], (int) e[4]), e[0]);
      }
      long frames = (long) ((end + TAIL_MICROS) / 1e6 * FORMAT.getFrameRate());
      AudioInputStream bounded = new AudioInputStream(stream, FORMAT, frames);
      Path dir = wav.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + wav.getFileName() + ".tmp");
      try {
        AudioSystem.write(bounded, AudioFileFormat.Type.WAVE, tmp.toFile());
        Files.move(tmp, wav, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (InvalidMidiDataException e) {
      throw new IOException(mid + ": " + e.getMessage(), e);
    } catch (MidiUnavailableException e) {
      throw new IOException("Java's built-in synthesizer cannot render: " + e.getMessage(), e);
    } finally {
      synth.close();
    }
  }

  private static AudioSynthesizer synthesizer() throws IOException {
    try {
      Synthesizer s = MidiSystem.getSynthesizer();
      if (!(s instanceof AudioSynthesizer audio)) {
        throw new IOException("Java's synthesizer (" + s.getDeviceInfo().getName()
            + ") cannot render offline");
      }
      return audio;
    } catch (MidiUnavailableException e) {
      throw new IOException("Java's built-in synthesizer is unavailable: " + e.getMessage(), e);
    }
  }
}
