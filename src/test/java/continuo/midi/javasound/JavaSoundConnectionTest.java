package continuo.midi.javasound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Synthesizer;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

/**
 * The Java Sound output path into the real built-in synthesizer. There is no sound card here, so
 * the synthesizer renders into a stream the test reads (Gervill's pull mode) instead of a line.
 */
class JavaSoundConnectionTest {
  private static final AudioFormat FORMAT = new AudioFormat(44_100, 16, 2, true, false);

  @Test
  void notesOfferedToTheOutputAreHeardFromTheSynthesizerAtTheirTimeAndReleased() throws Exception {
    Synthesizer synth = MidiSystem.getSynthesizer();
    AudioInputStream audio =
        ((javax.sound.midi.Synthesizer & com.sun.media.sound.AudioSynthesizer) cast(synth))
            .openStream(FORMAT, null);
    Counters counters = new Counters();
    MidiEventRing input = new MidiEventRing(64, counters.newCounter("in"));
    MidiEventRing output = new MidiEventRing(64, counters.newCounter("out"));
    JavaSoundConnection c = new JavaSoundConnection(null, synth, input, output,
        SystemNanoClock.INSTANCE, counters, false);
    try {
      assertTrue(rms(audio, 0.2) < 1e-3, "silence before any note");
      long due = System.nanoTime() + 300_000_000L;
      output.offer(due, MidiMessage.of(MidiMessage.NOTE_ON, 1, 69, 110));
      output.offer(due + 250_000_000L, MidiMessage.of(MidiMessage.NOTE_OFF, 1, 69, 0));
      // The synthesizer renders what it was sent by the time the audio is read: a note-on sent
      // before its time (the output thread has had 0.1 s to send it) would sound here. Only when
      // the read ended before the note-on was due: a machine that stalled proves nothing.
      Thread.sleep(100);
      double early = rms(audio, 0.05);
      if (System.nanoTime() < due) {
        assertTrue(early < 1e-3, "nothing sounds before the note-on's time: rms " + early);
      }
      Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000 + 100));
      assertTrue(rms(audio, 0.1) > 1e-3, "the note sounds once it is due");
      Thread.sleep(1_500); // the note-off went out; let the release ring out
      rms(audio, 2.0);
      assertTrue(rms(audio, 0.2) < 1e-3, "the note-off released it");
      assertEquals("", counters.summary());
    } finally {
      c.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  /** Root mean square of the next {@code seconds} of audio, 0..1. */
  private static double rms(AudioInputStream in, double seconds) throws Exception {
    int frames = (int) (seconds * FORMAT.getSampleRate());
    byte[] buf = new byte[frames * 4];
    int read = 0;
    while (read < buf.length) {
      int n = in.read(buf, read, buf.length - read);
      if (n < 0) {
        break;
      }
      read += n;
    }
    double sum = 0;
    for (int i = 0; i + 1 < read; i += 2) {
      double s = (short) ((buf[i] & 0xFF) | buf[i + 1] << 8) / 32768.0;
      sum += s * s;
    }
    return Math.sqrt(sum / Math.max(1, read / 2));
  }
}
