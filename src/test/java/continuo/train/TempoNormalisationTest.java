package continuo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.encoding.PerformanceEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pieces placed at one tempo through their own tempo maps, on real files with real tempo maps. */
class TempoNormalisationTest {
  /** 1024 ticks per quarter; 60 bpm for its first 8 bars (tick 32768), 150 bpm after. */
  static final String STEPPED = "nottingham-hpps37-60-150.mid";
  @TempDir Path dir;

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = TempoNormalisationTest.class.getResourceAsStream("/continuo/tempo/" + name)) {
      return in.readAllBytes();
    }
  }

  /** The sum of a token sequence's TIME_SHIFTs in milliseconds. */
  static long shiftMillis(int[] tokens) {
    long ms = 0;
    for (int t : tokens) {
      if (t >= PerformanceEncoding.TIME_SHIFT
          && t < PerformanceEncoding.TIME_SHIFT + PerformanceEncoding.TIME_SHIFT_STEPS) {
        ms += (t - PerformanceEncoding.TIME_SHIFT + 1) * (long) PerformanceEncoding.TIME_SHIFT_MS;
      }
    }
    return ms;
  }

  @Test
  void aPieceAt60BpmNormalisedTo120TakesHalfTheTime() throws IOException {
    byte[] smf = fixture("pop909-030.mid");
    assertEquals(60.0, TempoMaps.mainBpm(smf), "the fixture's written tempo");
    long written = shiftMillis(EventEncoder.encode(MidiFiles.parse(smf, "pop909-030")));
    long normalised = shiftMillis(EventEncoder.encode(MidiFiles.parseAtTempo(smf, "pop909-030", 120)));
    assertTrue(written > 60_000, "a real song: " + written + " ms");
    // Absolute-time rounding on the 10 ms grid: the halved end lands within one step.
    assertEquals(written / 2.0, normalised, PerformanceEncoding.TIME_SHIFT_MS,
        "TIME_SHIFTs at 120 bpm against 60 bpm");
  }

  @Test
  void eachSectionIsNormalisedByItsOwnTempo() throws IOException {
    byte[] stepped = fixture(STEPPED);
    List<Note> written = MidiFiles.parse(stepped, STEPPED);
    List<Note> normalised = MidiFiles.parseAtTempo(stepped, STEPPED, 120);
    assertEquals(written.size(), normalised.size());
    boolean sawSecond = false;
    for (int i = 0; i < written.size(); i++) {
      double beat = normalised.get(i).startMicros() / 500_000.0;
      double expected = beat <= 32 ? beat * 1e6 : 32e6 + (beat - 32) * 400_000;
      sawSecond |= beat > 32;
      assertEquals(expected, written.get(i).startMicros(), 1, "note " + i + " as written");
    }
    assertTrue(sawSecond, "the fixture has notes after its tempo change");
    // The tune without the tempo changes is written at 120 bpm: normalised to 120, the stepped
    // copy encodes exactly as the original does.
    int[] original = EventEncoder.encode(MidiFiles.parse(fixture("nottingham-hpps37.mid"), "hpps37"));
    assertArrayEquals(original, EventEncoder.encode(normalised));
    assertFalse(java.util.Arrays.equals(original, EventEncoder.encode(written)));
  }

  @Test
  void shardsStateTheTempoTheirPiecesWereNormalisedTo() throws IOException {
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    Files.write(corpus.resolve("slow.mid"), fixture("pop909-030.mid"));
    Files.write(corpus.resolve("stepped.mid"), fixture(STEPPED));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Path out = dir.resolve("shards");
    Shards.Summary s = Shards.write(List.of(corpus), 0, out, quiet, 100.0);
    assertTrue(s.tempoNormalised());
    assertEquals(100.0, s.referenceBpm());
    JsonNode m = new ObjectMapper().readTree(out.resolve(Shards.MANIFEST).toFile());
    assertTrue(m.path("tempo_normalised").asBoolean(), m.toString());
    assertEquals(100.0, m.path("reference_bpm").asDouble());
    assertEquals(TempoMaps.medianBpm(List.of(corpus)), m.path("corpus_median_bpm").asDouble());
    Shards.Loaded loaded = Shards.read(out);
    assertTrue(loaded.tempoNormalised());
    assertEquals(100.0, loaded.referenceBpm());
    Corpus direct = Corpus.load(List.of(corpus), quiet, 100.0);
    for (int i = 0; i < direct.pieces().size(); i++) {
      assertArrayEquals(direct.pieces().get(i).tokens(), loaded.train().pieces().get(i).tokens());
    }
    assertArrayEquals(EventEncoder.encode(MidiFiles.parseAtTempo(fixture("pop909-030.mid"),
        "slow", 100.0)), direct.pieces().get(0).tokens());

    Path plain = dir.resolve("plain");
    Shards.write(List.of(corpus), 0, plain, quiet);
    assertFalse(new ObjectMapper().readTree(plain.resolve(Shards.MANIFEST).toFile())
        .path("tempo_normalised").asBoolean(true));
    assertFalse(Shards.read(plain).tempoNormalised());
  }
}
