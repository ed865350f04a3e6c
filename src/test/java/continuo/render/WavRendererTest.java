package continuo.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.testkit.Corpora;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavRendererTest {
  @TempDir Path dir;

  @Test
  void aRealTuneRendersToAudibleCdQualityAudioOfItsLength() throws Exception {
    Path tune = Corpora.fixture("nottingham/midi/ashover10.mid");
    List<Note> notes = MidiFiles.read(tune);
    long first = notes.get(0).startMicros();
    long last = notes.stream().mapToLong(Note::endMicros).max().orElseThrow();
    Path wav = dir.resolve("tune.wav");

    WavRenderer.render(tune, wav);

    try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
      AudioFormat f = in.getFormat();
      assertEquals(44_100f, f.getSampleRate());
      assertEquals(16, f.getSampleSizeInBits());
      assertEquals(2, f.getChannels());
      double seconds = in.getFrameLength() / f.getFrameRate();
      assertEquals(last / 1e6 + 1.5, seconds, 0.05);
      byte[] pcm = in.readAllBytes();
      ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
      int from = (int) (first / 1e6 * 44_100) * 4;
      double sum = 0;
      int samples = 0;
      for (int i = from; i < from + 44_100 * 4 && i + 1 < pcm.length; i += 2) {
        double s = b.getShort(i) / 32768.0;
        sum += s * s;
        samples++;
      }
      double rms = Math.sqrt(sum / samples);
      assertTrue(rms > 0.01, "RMS of the first second after the first note: " + rms);
    }
    assertTrue(Files.size(wav) > 44);
  }
}
