package continuo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How dense a corpus's music is on the beat of its tempo maps. */
class OnsetDensityTest {
  @TempDir Path dir;

  /** {@code onsets} chords of three notes (the second 10 ms late, the third 25 ms) every gap. */
  private static List<Note> chords(int onsets, long gapMicros) {
    List<Note> notes = new ArrayList<>();
    for (int i = 0; i < onsets; i++) {
      long t = i * gapMicros;
      notes.add(new Note(60, 80, t, t + 100_000, 0));
      notes.add(new Note(64, 80, t + 10_000, t + 100_000, 0));
      notes.add(new Note(67, 80, t + 25_000, t + 100_000, 0));
    }
    return notes;
  }

  @Test
  void chordsCountOnceAndBeatsAreTheTempoMaps() throws Exception {
    // MidiFiles writes 120 bpm: eighths are 250 ms, triplet eighths 166.7 ms.
    assertEquals(2.0, OnsetDensity.midi(MidiFiles.toBytes(chords(17, 250_000))), 1e-9);
    assertEquals(3.0, OnsetDensity.midi(MidiFiles.toBytes(chords(13, 166_667))), 0.01);
    assertEquals(0.0, OnsetDensity.midi(MidiFiles.toBytes(chords(1, 250_000))), "one onset");
    assertEquals(0.0, OnsetDensity.midi(new byte[] {1, 2, 3}), "not a MIDI file");
  }

  @Test
  void theMedianIsOverPiecesOneVoteEach() throws Exception {
    MidiFiles.write(chords(17, 250_000), dir.resolve("a.mid")); // 2 a beat
    MidiFiles.write(chords(9, 500_000), dir.resolve("b.mid")); // 1 a beat
    MidiFiles.write(chords(200, 125_000), dir.resolve("c.mid")); // 4 a beat, long
    Files.writeString(dir.resolve("notes.txt"), "not music");
    assertEquals(2.0, OnsetDensity.medianOnsetsPerBeat(List.of(dir)));
    assertNull(OnsetDensity.medianOnsetsPerBeat(List.of(dir.resolve("notes.txt"))));
  }

  @Test
  void aReelFromTheFixturesHasAboutOneOnsetABeat() throws Exception {
    byte[] reel;
    try (var in = getClass().getResourceAsStream("/continuo/tempo/nottingham-reelsa-c4.mid")) {
      reel = in.readAllBytes();
    }
    assertEquals(1.13, OnsetDensity.midi(reel), 0.01);
  }
}
