package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.train.TempoMaps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tempo-normalise} and {@code --reference-bpm} on {@code encode --shards} and {@code train}. */
class TempoNormaliseCommandTest {
  @TempDir Path dir;

  private Path corpus() throws IOException {
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    for (String name : new String[] {"pop909-030.mid", "pop909-001.mid",
        "nottingham-hpps37-60-150.mid"}) {
      try (InputStream in = getClass().getResourceAsStream("/continuo/tempo/" + name)) {
        Files.copy(in, corpus.resolve(name));
      }
    }
    return corpus;
  }

  @Test
  void encodeShardsRecordsTheTempoThePiecesWereNormalisedTo() throws Exception {
    Path corpus = corpus();
    double median = TempoMaps.medianBpm(List.of(corpus));
    Path shards = dir.resolve("shards");
    Cli encode = Cli.run("encode", "--shards", shards.toString(), "--corpus", corpus.toString(),
        "--tempo-normalise");
    assertEquals(0, encode.exit(), encode.err());
    assertTrue(encode.out().contains(String.format(java.util.Locale.ROOT,
        "every piece normalised to %.1f bpm", median)), encode.out());
    JsonNode m = new ObjectMapper().readTree(shards.resolve("manifest.json").toFile());
    assertTrue(m.path("tempo_normalised").asBoolean(), m.toString());
    assertEquals(median, m.path("reference_bpm").asDouble(), "the corpus's median by default");

    Cli given = Cli.run("encode", "--shards", shards.toString(), "--corpus", corpus.toString(),
        "--tempo-normalise", "--reference-bpm", "96");
    assertEquals(0, given.exit(), given.err());
    m = new ObjectMapper().readTree(shards.resolve("manifest.json").toFile());
    assertEquals(96.0, m.path("reference_bpm").asDouble());
    assertEquals(median, m.path("corpus_median_bpm").asDouble());

    Path out = dir.resolve("from-shards.cmodel");
    ScoreCommandTest.Run train = ScoreCommandTest.run("train", "--shards", shards.toString(),
        "--out", out.toString(), "--embedding", "8", "--hidden", "8", "--layers", "1",
        "--seq-len", "16", "--batch", "2", "--epochs", "1", "--threads", "1");
    assertEquals(0, train.exit(), train.err());
    LstmWeights weights = ModelFile.read(out);
    Map<String, Object> t = weights.config().training();
    assertEquals(true, t.get("tempo_normalised"), t.toString());
    assertEquals(96.0, ((Number) t.get("tempo_normalised_bpm")).doubleValue());
    assertEquals(96.0, weights.config().referenceBpm());
  }

  @Test
  void trainCorpusNormalisesAndSaysSoInModelJson() throws Exception {
    Path corpus = corpus();
    Path out = dir.resolve("normalised.cmodel");
    ScoreCommandTest.Run train = ScoreCommandTest.run("train", "--corpus", corpus.toString(),
        "--out", out.toString(), "--embedding", "8", "--hidden", "8", "--layers", "1",
        "--seq-len", "16", "--batch", "2", "--epochs", "1", "--threads", "1",
        "--valid-fraction", "0", "--tempo-normalise", "--reference-bpm", "110");
    assertEquals(0, train.exit(), train.err());
    LstmWeights weights = ModelFile.read(out);
    Map<String, Object> t = weights.config().training();
    assertEquals(true, t.get("tempo_normalised"), t.toString());
    assertEquals(110.0, ((Number) t.get("tempo_normalised_bpm")).doubleValue());
    assertEquals(110.0, weights.config().referenceBpm());

    // eval reads the pieces the same way, at the model's reference tempo by default.
    Path slow = corpus.resolve("pop909-030.mid");
    long normalisedEvents = EventEncoder.encode(MidiFiles.readAtTempo(slow, 110)).length - 1;
    long writtenEvents = EventEncoder.encode(MidiFiles.read(slow)).length - 1;
    assertTrue(normalisedEvents != writtenEvents, normalisedEvents + " events either way");
    assertEquals(normalisedEvents, evalEvents(out, "--tempo-normalise", slow.toString()));
    assertEquals(writtenEvents, evalEvents(out, slow.toString()));

    Path plain = dir.resolve("plain.cmodel");
    train = ScoreCommandTest.run("train", "--corpus", corpus.toString(), "--out",
        plain.toString(), "--embedding", "8", "--hidden", "8", "--layers", "1", "--seq-len",
        "16", "--batch", "2", "--epochs", "1", "--threads", "1", "--valid-fraction", "0");
    assertEquals(0, train.exit(), train.err());
    weights = ModelFile.read(plain);
    assertEquals(false, weights.config().training().get("tempo_normalised"));
    assertEquals(TempoMaps.medianBpm(List.of(corpus)), weights.config().referenceBpm());
  }

  @Test
  void badValuesAreOneClearLine() throws Exception {
    Path corpus = corpus();
    String shards = dir.resolve("s").toString();
    String model = dir.resolve("m.cmodel").toString();
    expect("encode: --reference-bpm must be 20..400, got 10.0", "encode", "--shards", shards,
        "--corpus", corpus.toString(), "--tempo-normalise", "--reference-bpm", "10");
    expect("train: --reference-bpm must be 20..400, got NaN", "train", "--corpus",
        corpus.toString(), "--out", model, "--tempo-normalise", "--reference-bpm", "NaN");
    expect("encode: --reference-bpm goes with --tempo-normalise", "encode", "--shards", shards,
        "--corpus", corpus.toString(), "--reference-bpm", "100");
    expect("train: --reference-bpm goes with --tempo-normalise", "train", "--corpus",
        corpus.toString(), "--out", model, "--reference-bpm", "100");
    expect("train: --tempo-normalise goes with --corpus (shards are normalised when written:"
        + " encode --shards --tempo-normalise)", "train", "--shards", shards, "--out", model,
        "--tempo-normalise");
    Cli word = Cli.run("encode", "--shards", shards, "--corpus", corpus.toString(),
        "--tempo-normalise", "--reference-bpm", "fast");
    assertEquals(2, word.exit());
    // picocli's parse errors: the problem in one line, then where to find the usage.
    assertEquals("encode: Invalid value for option '--reference-bpm': 'fast' is not a double",
        word.err().lines().findFirst().orElse(""), word.err());
  }

  private static long evalEvents(Path model, String... args) throws IOException {
    List<String> all = new java.util.ArrayList<>(List.of("eval", "--model", model.toString(),
        "--json", "--primer-seconds", "1", "--generate-seconds", "1"));
    all.addAll(List.of(args));
    Cli r = Cli.run(all.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    return new ObjectMapper().readTree(r.out()).get("events").asLong();
  }

  private static void expect(String line, String... args) {
    Cli r = Cli.run(args);
    assertEquals(2, r.exit(), r.err());
    assertEquals(line, r.err().strip());
  }
}
