package continuo.cli;

import continuo.model.ModelConfig;
import continuo.train.Corpus;
import continuo.train.LearningRate;
import continuo.train.Shards;
import continuo.train.OnsetDensity;
import continuo.train.TempoMaps;
import continuo.train.TrainOptions;
import continuo.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code continuo train}: trains a model on MIDI corpora and writes it as a {@code .cmodel}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains an LSTM on Standard MIDI Files (and JSB chorale JSON) and writes the best model "
          + "by validation NLL to --out.",
      "Beside it: NAME.ckpt (checkpoint: Ctrl-C saves one, --resume continues) and NAME.loss.png "
          + "(loss curves)."
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--corpus", arity = "1..*", paramLabel = "DIR",
      description = "Directories searched recursively for .mid/.midi files, single MIDI files,"
          + " or a JSB chorale .json file.")
  List<Path> corpus;

  @Option(names = "--shards", paramLabel = "DIR",
      description = "Train on token shards written by encode --shards instead of --corpus (their"
          + " split is the one they were written with).")
  Path shards;

  @Option(names = "--out", required = true, paramLabel = "M.cmodel", description = "Model file to write.")
  Path out;

  @Option(names = "--name", paramLabel = "NAME", description = "Model name (default: the file name).")
  String name;

  @Option(names = "--description", paramLabel = "TEXT", defaultValue = "",
      description = "One sentence for model.json.")
  String description;

  @Option(names = "--embedding", defaultValue = "64", paramLabel = "E", description = "Embedding size (default ${DEFAULT-VALUE}).")
  int embedding;

  @Option(names = "--hidden", defaultValue = "256", paramLabel = "H", description = "LSTM hidden size (default ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--layers", defaultValue = "2", paramLabel = "L", description = "LSTM layers (default ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--seq-len", defaultValue = "128", paramLabel = "N", description = "Events per BPTT window (default ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(names = "--batch", defaultValue = "64", paramLabel = "B", description = "Parallel streams per batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--epochs", defaultValue = "10", paramLabel = "K", description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", defaultValue = "0.002", paramLabel = "X", description = "Adam learning rate (default ${DEFAULT-VALUE}); halved after an epoch without improvement.")
  double lr;

  @Option(names = "--dropout", defaultValue = "0.1", paramLabel = "P", description = "Dropout on layer outputs (default ${DEFAULT-VALUE}).")
  double dropout;

  @Option(names = "--clip", defaultValue = "1.0", paramLabel = "NORM", description = "Global gradient-norm clip (default ${DEFAULT-VALUE}).")
  double clip;

  @Option(names = "--transpose", defaultValue = "5", paramLabel = "SEMITONES", description = "Random transposition of each piece by up to this many semitones (default ${DEFAULT-VALUE}; 0 = off).")
  int transpose;

  @Option(names = "--stretch", defaultValue = "0", paramLabel = "FRACTION", description = "Random time stretch of each piece by up to this fraction, e.g. 0.1 = +-10%% (default ${DEFAULT-VALUE} = off).")
  double stretch;

  @Option(names = "--schedule", defaultValue = "plateau", paramLabel = "KIND", description = "Learning rate after the warm-up: plateau (halved after an epoch without improvement) or cosine (decays to 5%% of --lr over the run); default ${DEFAULT-VALUE}.")
  String schedule;

  @Option(names = "--warmup", defaultValue = "0", paramLabel = "WINDOWS", description = "Windows of linear learning-rate warm-up (default ${DEFAULT-VALUE}; 0 = off).")
  int warmup;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for the matrix products and the element-wise kernels (default: every core).")
  Integer threads;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--valid-fraction", defaultValue = "0.1", paramLabel = "F", description = "Share of files held out for validation (default ${DEFAULT-VALUE}).")
  double validFraction;

  @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue from a checkpoint (NAME.ckpt).")
  Path resume;

  @Mixin TempoNormalisation tempo;

  @Override
  public Integer call() throws IOException {
    check(embedding >= 1 && embedding <= 4096, "--embedding must be 1..4096, got " + embedding);
    check(hidden >= 1 && hidden <= 4096, "--hidden must be 1..4096, got " + hidden);
    check(layers >= 1 && layers <= 8, "--layers must be 1..8, got " + layers);
    check(seqLen >= 2, "--seq-len must be at least 2, got " + seqLen);
    check(batch >= 1, "--batch must be at least 1, got " + batch);
    check(epochs >= 1, "--epochs must be at least 1, got " + epochs);
    check(lr > 0 && lr < 1, "--lr must be between 0 and 1, got " + lr);
    check(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
    check(clip > 0, "--clip must be positive, got " + clip);
    check(transpose >= 0 && transpose <= 12, "--transpose must be 0..12, got " + transpose);
    check(stretch >= 0 && stretch < 0.5, "--stretch must be in [0, 0.5), got " + stretch);
    check(schedule.equals("plateau") || schedule.equals("cosine"),
        "--schedule must be plateau or cosine, got " + schedule);
    check(warmup >= 0, "--warmup must be at least 0, got " + warmup);
    int cores = Runtime.getRuntime().availableProcessors();
    int kernelThreads = threads == null ? cores : threads;
    check(kernelThreads >= 1 && kernelThreads <= 256, "--threads must be 1..256, got " + kernelThreads);
    check(validFraction >= 0 && validFraction < 1, "--valid-fraction must be in [0, 1), got " + validFraction);
    check(out.getFileName().toString().endsWith(".cmodel"), "--out must name a .cmodel file, got " + out);
    check((corpus == null) != (shards == null), "give either --corpus or --shards");
    tempo.check();
    check(shards == null || !tempo.normalise, "--tempo-normalise goes with --corpus (shards are"
        + " normalised when written: encode --shards --tempo-normalise)");
    for (Path p : corpus == null ? List.<Path>of() : corpus) {
      check(Files.exists(p), "--corpus " + p + " does not exist");
    }
    if (resume != null) {
      check(Files.isRegularFile(resume), "--resume " + resume + " is not a file");
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintStream log = System.err;
    Corpus train;
    Corpus valid;
    List<String> names = new ArrayList<>();
    Double medianBpm;
    Double density;
    boolean normalised;
    if (shards != null) {
      Shards.Loaded loaded;
      try {
        loaded = Shards.read(shards);
      } catch (IOException e) {
        throw new UserError("--shards: " + e.getMessage(), e);
      }
      train = loaded.train();
      valid = loaded.valid();
      validFraction = loaded.validFraction();
      names.addAll(loaded.sources());
      medianBpm = loaded.referenceBpm();
      density = loaded.onsetsPerBeat();
      normalised = loaded.tempoNormalised();
    } else {
      try {
        medianBpm = tempo.referenceBpm != null ? null : TempoMaps.medianBpm(corpus);
        density = OnsetDensity.medianOnsetsPerBeat(corpus);
      } catch (IOException e) {
        throw new UserError("--corpus: " + e.getMessage(), e);
      }
      double bpm = tempo.bpm(medianBpm);
      normalised = !Double.isNaN(bpm);
      medianBpm = normalised ? Double.valueOf(bpm) : medianBpm;
      Corpus all = Corpus.load(corpus, log, bpm);
      train = all.split(false, validFraction);
      valid = all.split(true, validFraction);
      for (Path p : corpus) {
        names.add(p.toString());
      }
    }
    double referenceBpm = medianBpm != null && ModelConfig.isReferenceBpm(medianBpm) ? medianBpm
        : Double.NaN;
    check(!train.pieces().isEmpty(), (shards != null ? "--shards" : "--corpus")
        + " holds no readable music for training");
    String file = out.getFileName().toString();
    TrainOptions options = new TrainOptions(names, out,
        name != null ? name : file.substring(0, file.length() - ".cmodel".length()),
        description, embedding, hidden, layers, seqLen, batch, epochs, lr, dropout, clip,
        transpose, seed, validFraction,
        new LearningRate(LearningRate.Schedule.valueOf(schedule.toUpperCase(Locale.ROOT)), warmup),
        stretch, kernelThreads, resume, referenceBpm,
        density != null && ModelConfig.isOnsetsPerBeat(density) ? density : Double.NaN,
        normalised && !Double.isNaN(referenceBpm));
    Trainer trainer = new Trainer(options, log);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      trainer.requestStop();
      try {
        finished.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "continuo-train-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Trainer.Result result;
    try {
      result = trainer.train(train, valid);
    } finally {
      finished.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Ctrl-C arrived: the hook is running and the checkpoint is saved.
    }
    if (result.completed()) {
      stdout.printf(Locale.ROOT, "wrote %s: best validation NLL %.4f nats/event after %d epochs,"
              + " %,.0f events/s%n", result.model(), result.bestValidNll(), result.epochsDone(),
          result.eventsPerSecond());
    }
    stdout.flush();
    return result.completed() ? 0 : 130;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new UserError(message);
    }
  }
}
