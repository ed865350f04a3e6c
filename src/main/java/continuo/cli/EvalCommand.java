package continuo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmStepper;
import continuo.train.Corpus;
import continuo.train.Evaluation;
import continuo.train.NgramModel;
import continuo.train.Piece;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code continuo eval}: how well a model predicts a set of MIDI files, what the music it generates
 * from them looks like next to theirs, and how n-gram baselines do on the same events.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Evaluates a model on MIDI files: negative log-likelihood per event and "
        + "perplexity, the pitch-class KL divergence and note-bigram score of music it generates "
        + "from the files' openings, and unigram/trigram baselines on the same events.")
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;


  enum Split { all, validation, train }

  @ArgGroup(exclusive = true, multiplicity = "1")
  ModelChoice choice;

  @Parameters(paramLabel = "PATHS", arity = "1..*",
      description = "MIDI files, directories (searched recursively for .mid/.midi) or chorale .json files.")
  List<Path> paths;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Option(names = "--split", defaultValue = "all", paramLabel = "all|validation|train",
      description = "Evaluate every file, or only the training or validation split that train uses "
          + "(default: ${DEFAULT-VALUE}).")
  Split split;

  @Option(names = "--valid-fraction", defaultValue = "0.1", paramLabel = "F",
      description = "Share of files in the validation split, as in train (default: ${DEFAULT-VALUE}).")
  double validFraction;

  @Option(names = "--baseline-corpus", arity = "1..*", paramLabel = "DIR",
      description = "Train the n-gram baselines on these files, leaving out the evaluated files and "
          + "the validation split. Default with --split validation: PATHS' own training split; "
          + "otherwise no baselines. Put it after PATHS, or end its list with --.")
  List<Path> baselineCorpus;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
      description = "Seed of the generated material; file i uses N + i (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--primer-seconds", defaultValue = "4", paramLabel = "S",
      description = "Each file's opening that primes the generation (default: ${DEFAULT-VALUE}).")
  double primerSeconds;

  @Option(names = "--generate-seconds", defaultValue = "10", paramLabel = "S",
      description = "Music generated per file for the pitch statistics (default: ${DEFAULT-VALUE}).")
  double generateSeconds;

  @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
      description = "Sampling temperature of the generated material (default: ${DEFAULT-VALUE}, "
          + "the model's own distribution).")
  float temperature;

  @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "P",
      description = "Nucleus sampling of the generated material; 1 = off (default: ${DEFAULT-VALUE}).")
  float topP;

  @Mixin TempoNormalisation tempo;

  /** The n-gram order of the second baseline. */
  static final int NGRAM_ORDER = 3;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    tempo.check();
    ModelChoice.Resolved model = choice.resolve();
    // Normalised, the pieces reach the model at the tempo the live warp plays the player to it at.
    var config = model.weights().config();
    bpm = tempo.bpm(config.hasReferenceBpm() ? config.referenceBpm() : null,
        "the model's reference tempo");
    Corpus sources = load(paths, "PATHS");
    List<Piece> pieces = select(sources);
    if (pieces.isEmpty()) {
      throw new UserError("no pieces to evaluate in " + paths
          + (split == Split.all ? "" : " (" + split + " split, valid fraction " + validFraction + ")"));
    }
    Map<String, Double> baselines = baselines(pieces, sources);

    Evaluation.Result result;
    try (LstmStepper stepper = ModelChoice.reproducibleStepper(model.weights())) {
      result = Evaluation.evaluate(stepper, pieces, new Evaluation.Settings(
          seed, primerSeconds, generateSeconds, temperature, topP));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(json(result, baselines));
    } else {
      printTable(out, model.name(), result, baselines);
    }
    out.flush();
    return 0;
  }

  private void checkOptions() {
    if (!(validFraction > 0 && validFraction < 1)) {
      throw new UserError("--valid-fraction must be between 0 and 1, got " + validFraction);
    }
    if (!(primerSeconds > 0 && primerSeconds <= 600)) {
      throw new UserError("--primer-seconds must be between 0 and 600, got " + primerSeconds);
    }
    if (!(generateSeconds > 0 && generateSeconds <= 600)) {
      throw new UserError("--generate-seconds must be between 0 and 600, got " + generateSeconds);
    }
    if (!(temperature >= 0 && temperature <= 4)) {
      throw new UserError("--temperature must be from 0 to 4, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new UserError("--top-p must be greater than 0 and at most 1, got " + topP);
    }
  }

  /** The tempo the pieces are placed at ({@code --tempo-normalise}), or NaN: as written. */
  private double bpm = Double.NaN;

  /** Loads a corpus; the files it skips are reported on stderr, one line each. */
  private Corpus load(List<Path> sources, String what) throws IOException {
    for (Path p : sources) {
      if (!Files.exists(p)) {
        throw new UserError(p + " (in " + what + ") does not exist");
      }
    }
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    try {
      return Corpus.load(sources, new PrintStream(warnings, true, StandardCharsets.UTF_8), bpm);
    } finally {
      PrintWriter err = spec.commandLine().getErr();
      err.print(warnings.toString(StandardCharsets.UTF_8));
      err.flush();
    }
  }

  private List<Piece> select(Corpus corpus) {
    return switch (split) {
      case all -> corpus.pieces();
      case validation -> corpus.split(true, validFraction).pieces();
      case train -> corpus.split(false, validFraction).pieces();
    };
  }

  /**
   * Unigram and trigram NLL per event on {@code pieces}, trained on the baseline corpus's training
   * split minus the evaluated pieces; empty when there is no baseline corpus.
   */
  private Map<String, Double> baselines(List<Piece> pieces, Corpus evaluated) throws IOException {
    Corpus corpus;
    if (baselineCorpus != null) {
      corpus = load(baselineCorpus, "--baseline-corpus");
    } else if (split == Split.validation) {
      corpus = evaluated;
    } else {
      return Map.of();
    }
    Set<String> excluded = new HashSet<>();
    for (Piece p : pieces) {
      excluded.add(identity(p.name()));
    }
    List<int[]> training = new ArrayList<>();
    for (Piece p : corpus.split(false, validFraction).pieces()) {
      if (!excluded.contains(identity(p.name()))) {
        training.add(p.tokens());
      }
    }
    if (training.isEmpty()) {
      throw new UserError("the baseline corpus " + (baselineCorpus != null ? baselineCorpus : paths)
          + " has no pieces left once the "
          + "evaluated files and the validation split are left out");
    }
    int vocab = PerformanceEncoding.VOCAB_SIZE;
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("unigram", Evaluation.nllPerEvent(NgramModel.train(1, vocab, training), pieces));
    out.put("trigram",
        Evaluation.nllPerEvent(NgramModel.train(NGRAM_ORDER, vocab, training), pieces));
    return out;
  }

  /**
   * A piece's file as a real path (links resolved; plus its place in a chorale file), so that the
   * same file reached through different paths is recognised.
   */
  static String identity(String pieceName) {
    int hash = pieceName.indexOf('#');
    Path file = Path.of(hash < 0 ? pieceName : pieceName.substring(0, hash));
    String rest = hash < 0 ? "" : pieceName.substring(hash);
    try {
      return file.toRealPath() + rest;
    } catch (IOException e) {
      return file.toAbsolutePath().normalize() + rest;
    }
  }

  static String json(Evaluation.Result r, Map<String, Double> baselines) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("files", r.files());
    root.put("events", r.events());
    root.put("nll_per_event", finite(r.nllPerEvent()));
    root.put("perplexity", finite(r.perplexity()));
    root.put("pitch_kl", finite(r.pitchKl()));
    root.put("bigram_logprob", finite(r.bigramLogprob()));
    if (!baselines.isEmpty()) {
      Map<String, Object> b = new LinkedHashMap<>();
      for (Map.Entry<String, Double> e : baselines.entrySet()) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("nll_per_event", finite(e.getValue()));
        b.put(e.getKey(), figures);
      }
      root.put("baselines", b);
    }
    return new ObjectMapper().writeValueAsString(root);
  }

  /** JSON has no NaN: a figure that could not be measured is null. */
  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }

  private static void printTable(
      PrintWriter out, String modelName, Evaluation.Result r, Map<String, Double> baselines) {
    out.printf(Locale.ROOT, "%d files, %d predicted events%n%n", r.files(), r.events());
    out.printf(Locale.ROOT, "%-28s %12s %12s%n", "", "nll/event", "perplexity");
    out.printf(Locale.ROOT, "%-28s %12.4f %12.3f%n", modelName, r.nllPerEvent(), r.perplexity());
    for (Map.Entry<String, Double> e : baselines.entrySet()) {
      String label = e.getKey().equals("trigram") ? "trigram (Kneser-Ney)" : "unigram";
      out.printf(Locale.ROOT, "%-28s %12.4f %12.3f%n", label, e.getValue(), Math.exp(e.getValue()));
    }
    if (baselines.isEmpty()) {
      out.println("(no baselines: give --baseline-corpus DIR)");
    }
    out.println();
    out.printf(Locale.ROOT, "generated notes                %d%n", r.generatedNotes());
    out.printf(Locale.ROOT, "pitch-class KL (gen || corpus) %.4f nats (0 = same pitch classes)%n",
        r.pitchKl());
    out.printf(Locale.ROOT, "note-bigram log-probability    %.4f nats per note (higher = more like the corpus)%n",
        r.bigramLogprob());
  }
}
