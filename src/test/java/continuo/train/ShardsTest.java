package continuo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.testkit.TinyTunes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardsTest {
  @TempDir Path dir;
  private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

  @Test
  void shardsHoldExactlyThePiecesAndSplitThatTheCorpusGives() throws Exception {
    Path corpus = TinyTunes.write(dir.resolve("tunes"), 20, 40);
    Path out = dir.resolve("shards");

    Shards.Summary summary = Shards.write(List.of(corpus), 0.3, out, quiet);
    Shards.Loaded loaded = Shards.read(out);

    Corpus all = Corpus.load(List.of(corpus), quiet);
    assertSamePieces(all.split(false, 0.3), loaded.train());
    assertSamePieces(all.split(true, 0.3), loaded.valid());
    assertTrue(loaded.valid().pieces().size() > 0 && loaded.train().pieces().size() > 0);
    assertEquals(summary.trainEvents(), loaded.train().events());
    assertEquals(0.3, loaded.validFraction());
    assertEquals(120.0, loaded.referenceBpm());
    assertTrue(loaded.onsetsPerBeat() > 0, "the corpus's median onsets per beat");
    assertEquals(OnsetDensity.medianOnsetsPerBeat(List.of(corpus)), loaded.onsetsPerBeat());
    assertEquals(loaded.onsetsPerBeat(), summary.onsetsPerBeat());
    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(20, m.get("files").size());
    assertEquals(loaded.valid().events(), m.get("counts").get("valid").get("events").asLong());
    assertTrue(m.get("split").get("rule").asText().contains("CRC32"), m.toString());
  }

  @Test
  void aCorpusLargerThanOneShardIsSplitIntoSeveralAndReadBackWhole() throws Exception {
    Path corpus = TinyTunes.write(dir.resolve("tunes"), 6, 30);
    Path out = dir.resolve("shards");
    Corpus all = Corpus.load(List.of(corpus), quiet);
    List<Piece> pieces = all.pieces();
    try (var os = Files.newOutputStream(dir.resolve("x.npy"))) {
      TokenNpy.writeShorts(os, pieces.get(0).tokens(), 0, pieces.get(0).tokens().length);
    }
    try (var in = Files.newInputStream(dir.resolve("x.npy"))) {
      assertArrayEquals(pieces.get(0).tokens(), (int[]) TokenNpy.read(in, 1 << 20, "x.npy"));
    }
    Shards.Summary summary = Shards.write(List.of(corpus), 0, out, quiet, 150);
    assertTrue(summary.shardFiles() >= 3, "shard files: " + summary.shardFiles());
    assertTrue(Files.exists(out.resolve("train-0002.starts.npy")));
    assertSamePieces(all, Shards.read(out).train());
  }

  @Test
  void aTamperedManifestIsOneClearError() throws Exception {
    Path out = dir.resolve("shards");
    Shards.write(List.of(TinyTunes.write(dir.resolve("tunes"), 3, 20)), 0, out, quiet);
    Path manifest = out.resolve("manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("train-0000.npy", "../x.npy"));
    IOException e = assertThrows(IOException.class, () -> Shards.read(out));
    assertTrue(e.getMessage().contains("outside its directory"), e.getMessage());
    IOException none = assertThrows(IOException.class, () -> Shards.read(dir));
    assertTrue(none.getMessage().contains("encode --shards"), none.getMessage());
  }

  @Test
  void theChoralesAreReadAt120BpmAndTheMedianHasOneVotePerPiece() throws Exception {
    Path jsb = continuo.testkit.Corpora.fixture("jsb/jsb-chorales-16th.json");
    assertEquals(120.0, TempoMaps.medianBpm(List.of(jsb)));
    Path out = dir.resolve("shards");
    Shards.write(List.of(jsb), 0, out, quiet);
    assertEquals(120.0, Shards.read(out).referenceBpm());
    // One piece at 90 bpm against the fixture's chorales at 120: the median is still 120.
    Path slow = dir.resolve("slow.mid");
    Files.write(slow, withTempo(continuo.encoding.MidiFiles.toBytes(TinyTunes.tune(1, 10)),
        666_667));
    assertEquals(90.0, TempoMaps.medianBpm(List.of(slow)));
    assertEquals(120.0, TempoMaps.medianBpm(List.of(slow, jsb)));
    assertEquals(null, TempoMaps.medianBpm(List.of(dir.resolve("tunes-none"))
        .stream().filter(Files::exists).toList()));
  }

  /** {@code smf} with its (first) set-tempo event set to {@code micros} per quarter note. */
  private static byte[] withTempo(byte[] smf, int micros) {
    for (int i = 0; i + 5 < smf.length; i++) {
      if ((smf[i] & 0xff) == 0xff && smf[i + 1] == 0x51 && smf[i + 2] == 3) {
        smf[i + 3] = (byte) (micros >> 16);
        smf[i + 4] = (byte) (micros >> 8);
        smf[i + 5] = (byte) micros;
        return smf;
      }
    }
    throw new AssertionError("no set-tempo event");
  }

  @Test
  void theMainTempoOfAFileIsTheOneInForceLongest() {
    assertEquals(null, TempoMaps.mainBpm(new byte[] {1, 2, 3}));
    byte[] smf = continuo.encoding.MidiFiles.toBytes(TinyTunes.tune(1, 10));
    assertEquals(120.0, TempoMaps.mainBpm(smf), 1e-9);
  }

  private static void assertSamePieces(Corpus expected, Corpus actual) {
    assertEquals(expected.pieces().size(), actual.pieces().size());
    for (int i = 0; i < expected.pieces().size(); i++) {
      assertEquals(expected.pieces().get(i).name(), actual.pieces().get(i).name());
      assertArrayEquals(expected.pieces().get(i).tokens(), actual.pieces().get(i).tokens());
    }
  }
}
