package continuo.midifile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MidiFileWriterTest {
  @TempDir Path dir;

  @Test
  void whatIsWrittenReadsBackWithItsTempoMapTracksAndOrder() throws Exception {
    MidiFileWriter w = new MidiFileWriter(480);
    w.track().name("player").tempo(0, 500_000).tempo(960, 1_000_000)
        .add(1440, 0x80 | 60 << 8).add(0, 0x90 | 60 << 8 | 100 << 16);
    w.track().name("continuo").add(480, 0xC1 | 5 << 8).add(480, 0x91 | 64 << 8 | 90 << 16);
    Path f = dir.resolve("out.mid");
    w.write(f);
    TimedMessages back = MidiFileReader.read(f);
    assertEquals(4, back.size());
    assertEquals(0x90 | 60 << 8 | 100 << 16, back.message(0));
    assertEquals(0xC1 | 5 << 8, back.message(1), "equal ticks keep the order they were added");
    assertEquals(1, back.track(1));
    assertEquals(0x91 | 64 << 8 | 90 << 16, back.message(2));
    assertEquals(2_000_000, back.micros(3), "two quarters at 120 bpm, then one at 60 bpm");
    assertEquals(1_000_000, back.tempoMap().tempoAt(1_200_000));
    Sequence seq = MidiSystem.getSequence(f.toFile());
    assertEquals(2, seq.getTracks().length, "Java Sound reads it");
    assertEquals(2_000_000, seq.getMicrosecondLength(), "Java Sound agrees on the timing");
  }

  @Test
  void theSameEventsGiveTheSameBytes() throws Exception {
    byte[][] files = new byte[2][];
    for (int i = 0; i < 2; i++) {
      MidiFileWriter w = new MidiFileWriter(96);
      w.track().add(10, 0xB0 | 64 << 8 | 127 << 16).add(5, 0x90 | 1 << 8 | 1 << 16);
      files[i] = w.toBytes();
    }
    assertArrayEquals(files[0], files[1]);
    assertEquals(2, MidiFileReader.parse(files[0], "x.mid").size());
    assertEquals(0, Files.list(dir).count(), "nothing written for toBytes");
  }
}
