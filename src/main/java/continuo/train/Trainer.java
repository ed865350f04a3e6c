package continuo.train;

import continuo.model.LstmWeights;
import continuo.model.ModelConfig;
import continuo.model.ModelFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains a model on a corpus with batched truncated back-propagation through time: Adam, global
 * gradient-norm clipping, dropout, random transposition, validation NLL after every epoch, the
 * best model kept as the output {@code .cmodel}, and a checkpoint (weights, optimizer state,
 * position) saved every few minutes, after every epoch and when stopped, from which a run resumes.
 * Runs on the calling thread; {@link #requestStop} may be called from any thread.
 */
public final class Trainer {
  private static final long CHECKPOINT_EVERY_NANOS = 5L * 60 * 1_000_000_000L;
  private static final double LR_DECAY = 0.5;

  private final TrainOptions options;
  private final PrintStream log;
  private final AtomicBoolean stop = new AtomicBoolean();

  public Trainer(TrainOptions options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  /** Asks a running {@link #train} to save a checkpoint and return at the next window. */
  public void requestStop() {
    stop.set(true);
  }

  /** What a finished or stopped run achieved. */
  public record Result(boolean completed, int epochsDone, double bestValidNll,
      double lastTrainNll, double eventsPerSecond, Path model, Path checkpoint) {}

  /** Trains on {@code train}, validates on {@code valid}; resumes from the options' checkpoint. */
  public Result train(Corpus train, Corpus valid) throws IOException {
    if (train.pieces().isEmpty()) {
      throw new IllegalArgumentException("the training split has no pieces");
    }
    Checkpoint.State state;
    Network net;
    Adam adam;
    if (options.resume() != null) {
      Checkpoint.Loaded loaded = Checkpoint.read(options.resume());
      net = new Network(loaded.weights(), options.threads());
      adam = new Adam(net.parameters(), net.gradients(), net.parallel());
      adam.restore(loaded.state().adamSteps(), loaded.first(), loaded.second());
      state = loaded.state();
      log.printf(Locale.ROOT, "resuming %s at epoch %d, window %d%n", options.resume(),
          state.epoch() + 1, state.window());
    } else {
      ModelConfig arch = ModelConfig.performance(options.name(), options.description(),
          options.embedding(), options.hidden(), options.layers(), Map.of());
      net = new Network(Initialisation.pytorchDefault(arch, options.seed()), options.threads());
      adam = new Adam(net.parameters(), net.gradients(), net.parallel());
      state = Checkpoint.State.start(options.lr());
    }
    ModelConfig arch = net.config();
    log.printf(Locale.ROOT,
        "training %s: E=%d H=%d L=%d, %,d parameters; %d training pieces (%,d events), %d"
            + " validation pieces (%,d events); %d thread(s), BLAS %s%n",
        options.out().getFileName(), arch.embeddingSize(), arch.hiddenSize(), arch.layers(),
        net.parameterCount(), train.pieces().size(), train.events(), valid.pieces().size(),
        valid.events(), options.threads(), blasName());
    long totalSteps = (long) epochWindows(train, 0).count() * options.epochs();
    try (Network closing = net) {
      return run(train, valid, closing, adam, state, totalSteps);
    }
  }

  private Windows epochWindows(Corpus train, int epoch) {
    return new Windows(train.pieces(), options.batch(), options.seqLen(),
        new SplittableRandom(options.seed() * 1_000_003L + epoch), options.transpose(),
        options.stretch(), false);
  }

  private Result run(Corpus train, Corpus valid, Network net, Adam adam, Checkpoint.State state,
      long totalSteps) throws IOException {
    Path checkpointPath = options.checkpointPath();
    ModelConfig arch = net.config();
    List<Checkpoint.Epoch> history = new ArrayList<>(state.history());
    List<double[]> curve = new ArrayList<>(state.curve());
    double bestValid = state.bestValid();
    double lr = state.lr();
    int staleEpochs = state.staleEpochs();
    double lastTrain = history.isEmpty() ? Double.NaN : history.get(history.size() - 1).trainNll();
    double eventsPerSecond = state.eventsPerSecond();
    long seconds = state.seconds();
    int epoch = state.epoch();
    int startWindow = state.window();
    long lastCheckpoint = System.nanoTime();
    Progress progress = new Progress(log);

    while (epoch < options.epochs()) {
      Windows windows = epochWindows(train, epoch);
      if (windows.count() == 0) {
        throw new IllegalArgumentException("the training pieces are too short for --seq-len "
            + options.seqLen() + " with --batch " + options.batch());
      }
      net.resetState();
      double lossSum = 0;
      double counted = 0;
      long epochStart = System.nanoTime();
      long epochEvents = 0;
      progress.startEpoch(epoch + 1, options.epochs(), windows.count(), startWindow);
      for (int w = startWindow; w < windows.count(); w++) {
        if (stop.get()) {
          seconds += (System.nanoTime() - epochStart) / 1_000_000_000L;
          Checkpoint.write(checkpointPath, net, adam, new Checkpoint.State(epoch, w, lr,
              bestValid, staleEpochs, eventsPerSecond, seconds, adam.steps(), history, curve));
          progress.finish();
          log.printf("stopped; checkpoint saved to %s (resume with --resume %s)%n",
              checkpointPath, checkpointPath);
          return new Result(false, epoch, bestValid, lastTrain, eventsPerSecond, options.out(),
              checkpointPath);
        }
        windows.fill(w);
        SplittableRandom dropRng = new SplittableRandom(options.seed() ^ (epoch * 1_000_003L + w));
        net.zeroGradients();
        double windowLr = options.schedule().at(
            options.schedule().schedule() == LearningRate.Schedule.COSINE ? options.lr() : lr,
            adam.steps(), totalSteps);
        double loss = net.forward(windows.inputs, windows.targets, windows.keep, windows.weight,
            options.dropout(), dropRng);
        double n = sum(windows.weight);
        if (n > 0) {
          net.backward();
          adam.update(windowLr, options.clip());
        }
        lossSum += loss;
        counted += n;
        epochEvents += (long) options.batch() * options.seqLen();
        double elapsed = (System.nanoTime() - epochStart) / 1e9;
        eventsPerSecond = epochEvents / Math.max(elapsed, 1e-9);
        double running = lossSum / Math.max(counted, 1);
        if (w % 10 == 9 || w == windows.count() - 1) {
          curve.add(new double[] {epoch + (w + 1.0) / windows.count(), running});
        }
        progress.update(w + 1, running, eventsPerSecond);
        if (System.nanoTime() - lastCheckpoint > CHECKPOINT_EVERY_NANOS) {
          Checkpoint.write(checkpointPath, net, adam, new Checkpoint.State(epoch, w + 1, lr,
              bestValid, staleEpochs, eventsPerSecond, seconds, adam.steps(), history, curve));
          lastCheckpoint = System.nanoTime();
        }
      }
      progress.finish();
      startWindow = 0;
      lastTrain = lossSum / Math.max(counted, 1);
      double validNll = valid.pieces().isEmpty() ? lastTrain : validate(net, valid);
      seconds += (System.nanoTime() - epochStart) / 1_000_000_000L;
      history.add(new Checkpoint.Epoch(epoch + 1, lastTrain, validNll, lr, eventsPerSecond));
      boolean improved = validNll < bestValid;
      log.printf(Locale.ROOT, "epoch %d/%d: train NLL %.4f, validation NLL %.4f nats/event%s%n",
          epoch + 1, options.epochs(), lastTrain, validNll, improved ? " (best so far, saved)" : "");
      epoch++;
      if (improved) {
        bestValid = validNll;
        staleEpochs = 0;
        ModelFile.write(net.weights(finalConfig(arch, train, valid, history, bestValid,
            eventsPerSecond, seconds)), options.out());
      } else {
        staleEpochs++;
        if (options.schedule().schedule() == LearningRate.Schedule.PLATEAU) {
          lr *= LR_DECAY;
          log.printf(Locale.ROOT, "validation did not improve; learning rate now %.2e%n", lr);
        }
      }
      Checkpoint.write(checkpointPath, net, adam, new Checkpoint.State(epoch, 0, lr, bestValid,
          staleEpochs, eventsPerSecond, seconds, adam.steps(), history, curve));
      lastCheckpoint = System.nanoTime();
      LossPlot.write(options.plotPath(), curve, history);
    }
    return new Result(true, epoch, bestValid, lastTrain, eventsPerSecond, options.out(),
        checkpointPath);
  }

  /**
   * The trainer's own forward pass on one sequence from the zero state: row i is log-softmax of
   * the output after consuming tokens 0..i, computed by the batched training code (what {@code
   * score} computes with the real-time stepper).
   */
  public static float[][] logProbs(LstmWeights weights, int[] tokens) {
    return new Network(weights).logProbs(tokens);
  }

  /** Mean NLL per event of {@code valid}, each piece from the zero state, without dropout. */
  double validate(Network net, Corpus valid) {
    return validate(net, valid, options.batch(), options.seqLen());
  }

  /** Mean NLL per event of {@code valid} in windows of batch x seqLen; resets the state. */
  static double validate(Network net, Corpus valid, int batch, int seqLen) {
    Windows windows = new Windows(valid.pieces(), batch, seqLen, null, 0, 0, true);
    net.resetState();
    double loss = 0;
    double counted = 0;
    for (int w = 0; w < windows.count(); w++) {
      windows.fill(w);
      loss += net.forward(windows.inputs, windows.targets, windows.keep, windows.weight, 0, null);
      counted += sum(windows.weight);
    }
    net.resetState();
    return loss / Math.max(counted, 1);
  }

  private ModelConfig finalConfig(ModelConfig arch, Corpus train, Corpus valid,
      List<Checkpoint.Epoch> history, double bestValid, double eventsPerSecond, long seconds) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("trainer", "continuo train (ND4J, truncated BPTT, Adam)");
    t.put("threads", options.threads());
    t.put("corpus", options.corpusNames());
    t.put("split", Shards.splitRule(options.validFraction()));
    t.put("train_pieces", train.pieces().size());
    t.put("train_events", train.events());
    t.put("valid_pieces", valid.pieces().size());
    t.put("valid_events", valid.events());
    t.put("epochs", history.size());
    t.put("seq_len", options.seqLen());
    t.put("batch", options.batch());
    t.put("lr", options.lr());
    t.put("dropout", options.dropout());
    t.put("clip", options.clip());
    t.put("transpose", options.transpose());
    t.put("stretch", options.stretch());
    t.put("tempo_normalised", options.tempoNormalised());
    if (options.tempoNormalised()) {
      t.put("tempo_normalised_bpm", options.referenceBpm());
    }
    t.put("schedule", options.schedule().schedule().name().toLowerCase(java.util.Locale.ROOT));
    t.put("warmup", options.schedule().warmup());
    t.put("seed", options.seed());
    t.put("best_valid_nll", bestValid);
    List<Map<String, Object>> epochs = new ArrayList<>();
    for (Checkpoint.Epoch e : history) {
      epochs.add(Map.of("epoch", e.epoch(), "train_nll", e.trainNll(), "valid_nll", e.validNll()));
    }
    t.put("history", epochs);
    t.put("events_per_second", Math.round(eventsPerSecond));
    t.put("training_seconds", seconds);
    return new ModelConfig(options.name(), options.description(), arch.timeShiftMs(),
        arch.timeShiftSteps(), arch.velocityBins(), arch.vocabSize(), arch.embeddingSize(),
        arch.hiddenSize(), arch.layers(), t, options.referenceBpm(), options.onsetsPerBeat());
  }

  /** ND4J's BLAS vendor and its thread count, for the log and benchmarks. */
  static String blasName() {
    try {
      String kernels = System.getenv("OPENBLAS_CORETYPE");
      return org.nd4j.linalg.factory.Nd4j.factory().blas().getBlasVendor().name().toLowerCase(Locale.ROOT)
          + (kernels == null || kernels.isEmpty() ? " (its own choice of kernels)" : " (" + kernels
          + " kernels)") + ", called on the trainer's threads";
    } catch (RuntimeException | LinkageError e) {
      return "unknown";
    }
  }

  private static double sum(float[][] a) {
    double s = 0;
    for (float[] row : a) {
      for (float x : row) {
        s += x;
      }
    }
    return s;
  }
}
