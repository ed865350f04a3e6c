package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.testkit.Corpora;
import continuo.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  static final Path NOTTINGHAM = Corpora.NOTTINGHAM;
  @TempDir Path dir;

  @Test
  void scoreOnATrainedModelAgreesWithTheTrainersOwnForwardPass() throws Exception {
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    for (String tune : new String[] {"ashover10.mid", "ashover11.mid", "ashover13.mid"}) {
      Files.copy(NOTTINGHAM.resolve(tune), corpus.resolve(tune));
    }
    Files.writeString(corpus.resolve("broken.mid"), "not a MIDI file");
    Path out = dir.resolve("tiny.cmodel");
    ScoreCommandTest.Run train = ScoreCommandTest.run("train", "--corpus", corpus.toString(),
        "--out", out.toString(), "--embedding", "8", "--hidden", "16", "--layers", "2",
        "--seq-len", "32", "--batch", "2", "--epochs", "1", "--valid-fraction", "0");
    assertEquals(0, train.exit(), train.err());
    assertTrue(train.out().startsWith("wrote "), train.out());

    int[] tokens = Arrays.copyOf(EventEncoder.encode(MidiFiles.read(NOTTINGHAM.resolve("ashover10.mid"))), 40);
    String list = Arrays.stream(tokens).mapToObj(Integer::toString).collect(Collectors.joining(","));
    ScoreCommandTest.Run score = ScoreCommandTest.run("score", "--model", out.toString(), "--tokens", list);
    assertEquals(0, score.exit(), score.err());
    LstmWeights weights = ModelFile.read(out);
    // The tunes set no tempo: read at the Standard MIDI File default, their median is 120 bpm.
    assertEquals(120.0, weights.config().referenceBpm(), "the corpus's median tempo");
    assertEquals(continuo.train.OnsetDensity.medianOnsetsPerBeat(java.util.List.of(corpus)),
        weights.config().onsetsPerBeat(), "the corpus's median onsets per beat");
    float[][] expected = Trainer.logProbs(weights, tokens);
    String[] lines = score.out().strip().split("\n");
    assertEquals(tokens.length, lines.length);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < lines.length; i++) {
      JsonNode logprobs = json.readTree(lines[i]).get("logprobs");
      for (int j = 0; j < 388; j++) {
        assertEquals(expected[i][j], logprobs.get(j).asDouble(), 1e-4, "step " + i + " token " + j);
      }
    }
  }

  @Test
  void badOptionsAreOneClearLine() {
    ScoreCommandTest.Run r = ScoreCommandTest.run("train", "--corpus", NOTTINGHAM.toString(),
        "--out", dir.resolve("m.cmodel").toString(), "--hidden", "0");
    assertEquals(2, r.exit());
    assertEquals("train: --hidden must be 1..4096, got 0", r.err().strip());
    r = ScoreCommandTest.run("train", "--corpus", dir.resolve("missing").toString(),
        "--out", dir.resolve("m.cmodel").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().strip().endsWith("missing does not exist"), r.err());
  }

  @Test
  void encodeShardsThenTrainOnThemWritesAModelWithTheShardsProvenance() throws Exception {
    Path tunes = continuo.testkit.TinyTunes.write(dir.resolve("tunes"), 8, 40);
    Path shards = dir.resolve("shards");
    Cli encode = Cli.run("encode", "--shards", shards.toString(), "--corpus", tunes.toString(),
        "--valid-fraction", "0.25");
    assertEquals(0, encode.exit(), encode.err());
    assertTrue(encode.out().startsWith("wrote " + shards.resolve("manifest.json")), encode.out());
    assertTrue(encode.out().contains("median tempo 120.0 bpm"), encode.out());
    double density = continuo.train.OnsetDensity.medianOnsetsPerBeat(java.util.List.of(tunes));
    assertTrue(encode.out().contains(String.format(java.util.Locale.ROOT,
        "%.2f onsets per beat", density)), encode.out());

    Path out = dir.resolve("sharded.cmodel");
    ScoreCommandTest.Run train = ScoreCommandTest.run("train", "--shards", shards.toString(),
        "--out", out.toString(), "--embedding", "8", "--hidden", "16", "--layers", "1",
        "--seq-len", "16", "--batch", "2", "--epochs", "1", "--threads", "2",
        "--schedule", "cosine", "--warmup", "2", "--stretch", "0.1");
    assertEquals(0, train.exit(), train.err());
    LstmWeights weights = ModelFile.read(out);
    java.util.Map<String, Object> t = weights.config().training();
    assertEquals(java.util.List.of(tunes.toString()), t.get("corpus"));
    assertEquals("cosine", t.get("schedule"));
    assertEquals(0.1, ((Number) t.get("stretch")).doubleValue());
    assertTrue(t.get("split").toString().contains("< 2500"), t.toString());
    assertEquals(120.0, weights.config().referenceBpm(), "the manifest's median tempo");
    assertEquals(density, weights.config().onsetsPerBeat(), "the manifest's onsets per beat");
  }

  @Test
  void shardOptionsThatDoNotGoTogetherAreOneClearLine() {
    Cli both = Cli.run("encode", "--shards", dir.resolve("s").toString());
    assertEquals(2, both.exit());
    assertEquals("encode: --shards OUT and --corpus DIR... go together", both.err().strip());
    ScoreCommandTest.Run neither = ScoreCommandTest.run("train", "--out",
        dir.resolve("m.cmodel").toString());
    assertEquals(2, neither.exit());
    assertEquals("train: give either --corpus or --shards", neither.err().strip());
    ScoreCommandTest.Run empty = ScoreCommandTest.run("train", "--shards", dir.toString(), "--out",
        dir.resolve("m.cmodel").toString());
    assertEquals(2, empty.exit());
    assertTrue(empty.err().contains("has no manifest.json"), empty.err());
  }
}
