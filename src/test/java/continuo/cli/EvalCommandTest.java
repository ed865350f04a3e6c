package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import continuo.testkit.Corpora;
import continuo.train.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  static final Path NOTTINGHAM = Corpora.NOTTINGHAM;

  @TempDir static Path dir;
  static LstmWeights weights;
  static Path model;
  /** 6 Christmas carols and slip jigs, linked (not copied) from the fixtures. */
  static Path tunes;
  /** 5 tunes from Ashover: a training corpus for the baselines. */
  static Path ashover;

  @BeforeAll
  static void setUp() throws Exception {
    assertTrue(Files.isDirectory(NOTTINGHAM), "corpus missing: " + NOTTINGHAM.toAbsolutePath());
    weights = RandomModels.create(16, 24, 2, 11);
    model = dir.resolve("random.cmodel");
    ModelFile.write(weights, model);
    tunes = link("tunes", "xmas", "slip");
    ashover = link("ashover", "ashover");
  }

  static Path link(String name, String... prefixes) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    try (Stream<Path> files = Files.list(NOTTINGHAM)) {
      for (Path f : files.toList()) {
        for (String prefix : prefixes) {
          if (f.getFileName().toString().matches(prefix + "\\d+\\.mid")) {
            Files.createSymbolicLink(d.resolve(f.getFileName()), f.toAbsolutePath());
          }
        }
      }
    }
    return d;
  }

  static JsonNode eval(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("eval", "--model", model.toString(), "--json"));
    all.addAll(List.of(args));
    Cli r = Cli.run(all.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.out().strip().lines().count(), "one JSON line: " + r.out());
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void theJsonReportsTheModelsLikelihoodFromTheZeroStateAndTheBaselines() throws Exception {
    Path a = NOTTINGHAM.resolve("xmas1.mid");
    Path b = NOTTINGHAM.resolve("slip2.mid");
    JsonNode j = eval(a.toString(), b.toString(), "--baseline-corpus", ashover.toString());
    List<String> keys = new ArrayList<>();
    j.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("files", "events", "nll_per_event", "perplexity", "pitch_kl",
        "bigram_logprob", "baselines"), keys);
    assertEquals(2, j.get("files").asInt());

    // Feed t0..t(n-2) to an independent double-precision LSTM and score t1..t(n-1).
    double nll = 0;
    long events = 0;
    for (Path f : List.of(a, b)) {
      int[] tokens = EventEncoder.encode(MidiFiles.read(f));
      double[][] logprobs = ScoreCommandTest.reference(weights, tokens);
      for (int i = 0; i + 1 < tokens.length; i++) {
        nll -= logprobs[i][tokens[i + 1]];
      }
      events += tokens.length - 1;
    }
    assertEquals(events, j.get("events").asLong());
    assertEquals(nll / events, j.get("nll_per_event").asDouble(), 1e-4);
    assertEquals(Math.exp(nll / events), j.get("perplexity").asDouble(), 1e-3);

    double kl = j.get("pitch_kl").asDouble();
    assertTrue(kl > 0 && kl < Math.log(12), "pitch-class KL " + kl);
    double bigram = j.get("bigram_logprob").asDouble();
    assertTrue(bigram < 0 && bigram > Math.log(1e-6), "bigram log-probability " + bigram);

    double unigram = j.at("/baselines/unigram/nll_per_event").asDouble();
    double trigram = j.at("/baselines/trigram/nll_per_event").asDouble();
    assertTrue(unigram < Math.log(388), "a unigram model knows the common events: " + unigram);
    assertTrue(trigram < unigram, "a trigram model knows more: " + trigram + " vs " + unigram);
    assertTrue(trigram < j.get("nll_per_event").asDouble(),
        "folk trigrams beat an untrained network: " + trigram);
  }

  @Test
  void theSameSeedGivesTheSameReportAndAnotherSeedOtherMusic() throws Exception {
    String[] files = {tunes.resolve("xmas3.mid").toString(), tunes.resolve("slip4.mid").toString()};
    JsonNode first = eval(concat(new String[] {"--seed", "5"}, files));
    JsonNode again = eval(concat(new String[] {"--seed", "5"}, files));
    JsonNode other = eval(concat(new String[] {"--seed", "6"}, files));
    assertEquals(first, again);
    assertEquals(first.get("nll_per_event"), other.get("nll_per_event"),
        "the likelihood does not depend on the seed");
    assertNotEquals(first.get("bigram_logprob"), other.get("bigram_logprob"),
        "another seed generates other music");
  }

  @Test
  void theValidationSplitIsTheTrainersAndTheBaselinesTrainOnTheRest() throws Exception {
    List<String> validation = new ArrayList<>();
    try (Stream<Path> files = Files.list(tunes)) {
      for (Path f : files.toList()) {
        if (Corpus.isValidation(f.toString(), 0.3)) {
          validation.add(f.getFileName().toString());
        }
      }
    }
    assertTrue(validation.size() > 0 && validation.size() < 6, "split " + validation);
    JsonNode j = eval("--split", "validation", "--valid-fraction", "0.3", tunes.toString());
    assertEquals(validation.size(), j.get("files").asInt());
    long events = 0;
    for (String name : validation) {
      events += EventEncoder.encode(MidiFiles.read(tunes.resolve(name))).length - 1;
    }
    assertEquals(events, j.get("events").asLong());
    assertTrue(j.at("/baselines/trigram/nll_per_event").isNumber(),
        "with --split validation the baselines train on the training split: " + j);
  }

  @Test
  void theBaselinesNeverTrainOnAnEvaluatedFile() throws Exception {
    // The evaluated file reached through a link and by its own path is the same file.
    Path linked = tunes.resolve("xmas5.mid");
    Path pair = Files.createDirectories(dir.resolve("pair"));
    Files.createSymbolicLink(pair.resolve("a.mid"), NOTTINGHAM.resolve("xmas5.mid").toAbsolutePath());
    Files.createSymbolicLink(pair.resolve("b.mid"), NOTTINGHAM.resolve("ashover11.mid").toAbsolutePath());
    Path onlyB = Files.createDirectories(dir.resolve("onlyB"));
    Files.createSymbolicLink(onlyB.resolve("b.mid"), NOTTINGHAM.resolve("ashover11.mid").toAbsolutePath());
    assertTrue(!Corpus.isValidation(pair.resolve("b.mid").toString(), 0.01),
        "precondition: b.mid is in the training split");

    JsonNode withPair = eval("--valid-fraction", "0.01", "--baseline-corpus", pair.toString(),
        "--", linked.toString());
    JsonNode withB = eval("--valid-fraction", "0.01", linked.toString(), "--baseline-corpus",
        onlyB.toString());
    assertEquals(withB.get("baselines"), withPair.get("baselines"));

    Cli r = Cli.run("eval", "--model", model.toString(), "--json", linked.toString(),
        "--baseline-corpus", NOTTINGHAM.resolve("xmas5.mid").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no pieces left"), r.err());
  }

  @Test
  void withoutJsonItPrintsATable() {
    Cli r = Cli.run("eval", "--model", model.toString(), "--baseline-corpus", ashover.toString(),
        "--", tunes.resolve("xmas1.mid").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("random.cmodel") && r.out().contains("trigram (Kneser-Ney)")
        && r.out().contains("unigram") && r.out().contains("pitch-class KL")
        && r.out().contains("note-bigram"), r.out());
  }

  @Test
  void unreadableFilesAreReportedOneLineEachAndSkipped() throws Exception {
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    Files.createSymbolicLink(mixed.resolve("good.mid"), NOTTINGHAM.resolve("xmas2.mid").toAbsolutePath());
    Files.writeString(mixed.resolve("broken.mid"), "MThd but not really");
    Cli r = Cli.run("eval", "--model", model.toString(), "--json", mixed.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("broken.mid"), r.err());
    assertEquals(1, new ObjectMapper().readTree(r.out()).get("files").asInt());
  }

  @Test
  void nothingToEvaluateIsOneClearLine() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Cli r = Cli.run("eval", "--model", model.toString(), empty.toString());
    assertEquals(2, r.exit());
    assertEquals("eval: no pieces to evaluate in [" + empty + "]", r.err().strip());
    r = Cli.run("eval", "--model", model.toString(), dir.resolve("missing").toString());
    assertEquals(2, r.exit());
    assertEquals("eval: " + dir.resolve("missing") + " (in PATHS) does not exist", r.err().strip());
  }

  static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
