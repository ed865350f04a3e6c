package continuo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.bench.Latencies;
import continuo.model.Bandwidth;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.ModelConfig;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import continuo.model.Models;
import continuo.model.RandomModels;
import continuo.bench.StepBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code continuo bench}: latency and allocation of the LSTM step and the sampler. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the LSTM step (median, p99, max) and sampling time, and the bytes allocated per "
          + "step, after a warm-up, feeding the model its own samples.",
      "With --candidates, measures the plain Java, Vector API and ND4J steps side by side and the "
          + "memory-bandwidth floor.",
      "--suite measures the live path instead: schedule (send-time error of the output "
          + "scheduler), answer (duet answer latency), flood (10,000 messages/s into the engine), "
          + "or all of them; hiccup (needs no model) measures how long the machine stalls a "
          + "thread that only reads the clock: the floor under the others' worst cases."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final class Source {
    @Option(names = "--model", paramLabel = "FILE", description = "The .cmodel file to measure.")
    Path model;

    @Option(names = "--random", paramLabel = "E,H,L",
        description = "Measure a random model of this shape instead (embedding, hidden, layers).")
    String random;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  @Option(names = "--steps", defaultValue = "5000", description = "Measured steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup-ms", defaultValue = "3000",
      description = "Warm-up time before measuring, in ms (default ${DEFAULT-VALUE}); the warm-up "
          + "then goes on until the step allocates nothing, for at most as long again.")
  long warmupMs;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Option(names = "--suite", defaultValue = "step",
      paramLabel = "step|schedule|answer|flood|all|hiccup",
      description = "What to measure (default: ${DEFAULT-VALUE}).")
  String suite;

  @Option(names = "--seconds", defaultValue = "20", paramLabel = "S",
      description = "schedule, flood and hiccup: how long to run (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--load",
      description = "schedule and hiccup: keep every other core busy meanwhile.")
  boolean load;

  @Option(names = "--realtime",
      description = "schedule: ask for SCHED_FIFO on the output thread, as `run --realtime` does.")
  boolean realtime;

  @Option(names = "--trials", defaultValue = "300", paramLabel = "N",
      description = "answer: how many answers to time (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--rate", defaultValue = "10000", paramLabel = "MSG/S",
      description = "flood: MIDI messages per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--plot", paramLabel = "DIR",
      description = "schedule and answer: also write a latency histogram PNG into DIR.")
  Path plot;

  @Option(names = "--candidates",
      description = "Measure every step implementation (plain, vector, nd4j) and the bandwidth floor.")
  boolean candidates;

  @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || steps > 10_000_000) {
      throw new UserError("--steps must be 1..10000000, got " + steps);
    }
    if (warmupMs < 0) {
      throw new UserError("--warmup-ms must not be negative, got " + warmupMs);
    }
    if (suite.equals("hiccup")) {
      return new LiveBenchmarks(this, null).run();
    }
    if (source == null) {
      throw new UserError("--model FILE or --random E,H,L is needed (every suite but hiccup "
          + "measures a model)");
    }
    LstmWeights weights = load();
    if (!suite.equals("step")) {
      return new LiveBenchmarks(this, weights).run();
    }
    ModelConfig c = weights.config();
    PrintWriter out = spec.commandLine().getOut();
    List<StepBenchmark.Result> results = new ArrayList<>();
    List<String> names = candidates ? Models.candidateNames() : List.of("default");
    for (String name : names) {
      try (LstmStepper s = name.equals("default") ? Models.stepper(weights) : Models.candidate(name, weights)) {
        String label = name.equals("default") ? implementationName(s) : name;
        results.add(StepBenchmark.run(label, s, steps, warmupMs, seed));
      }
    }
    long stepBytes = Models.weightBytesPerStep(c, true);
    double dram = 0;
    double sameSize = 0;
    if (candidates) {
      dram = Bandwidth.readBytesPerSecond(512L << 20, 5);
      sameSize = Bandwidth.readBytesPerSecond(stepBytes, 20);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    if (!candidates) {
      StepBenchmark.Result r = results.get(0);
      root.putAll(fields(r));
      root.put("stepper", r.stepper());
    }
    root.put("model", c.name());
    root.put("embedding_size", c.embeddingSize());
    root.put("hidden_size", c.hiddenSize());
    root.put("layers", c.layers());
    root.put("weight_bytes_per_step", stepBytes);
    if (candidates) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (StepBenchmark.Result r : results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stepper", r.stepper());
        m.putAll(fields(r));
        list.add(m);
      }
      root.put("candidates", list);
      root.put("nd4j_blas", Models.nd4jBlas());
      root.put("read_bandwidth_dram_gb_s", Latencies.round(dram / 1e9));
      root.put("floor_dram_us", Latencies.round(stepBytes / dram * 1e6));
      root.put("read_bandwidth_cached_gb_s", Latencies.round(sameSize / 1e9));
      root.put("floor_cached_us", Latencies.round(stepBytes / sameSize * 1e6));
    }
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(root));
    } else {
      printTable(out, c, stepBytes, results, dram, sameSize);
    }
    out.flush();
    return 0;
  }

  private LstmWeights load() throws ModelFormatException {
    if (source.model != null) {
      return ModelFile.read(source.model);
    }
    String[] p = source.random.split(",");
    try {
      if (p.length != 3) throw new NumberFormatException();
      int e = Integer.parseInt(p[0].trim());
      int h = Integer.parseInt(p[1].trim());
      int l = Integer.parseInt(p[2].trim());
      if (e < 0 || e > ModelFile.MAX_EMBEDDING || h < 1 || h > ModelFile.MAX_HIDDEN || l < 1
          || l > ModelFile.MAX_LAYERS) {
        throw new NumberFormatException();
      }
      return RandomModels.create(e, h, l, 1);
    } catch (NumberFormatException ex) {
      throw new UserError("--random '" + source.random + "' is not E,H,L with 0 <= E <= "
          + ModelFile.MAX_EMBEDDING + ", 1 <= H <= " + ModelFile.MAX_HIDDEN + ", 1 <= L <= "
          + ModelFile.MAX_LAYERS + " (e.g. 128,512,2)");
    }
  }

  private static String implementationName(LstmStepper s) {
    return s.getClass().getSimpleName().replace("Stepper", "").toLowerCase(java.util.Locale.ROOT);
  }

  private static Map<String, Object> fields(StepBenchmark.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("steps", r.steps());
    m.put("step_us_p50", Latencies.round(r.stepP50()));
    m.put("step_us_p99", Latencies.round(r.stepP99()));
    m.put("step_us_max", Latencies.round(r.stepMax()));
    m.put("sample_us_p50", Latencies.round(r.sampleP50()));
    m.put("alloc_bytes_per_step", Latencies.round(r.allocBytesPerStep()));
    return m;
  }

  private static void printTable(PrintWriter out, ModelConfig c, long stepBytes,
      List<StepBenchmark.Result> results, double dram, double cached) {
    out.printf("model %s: E=%d H=%d L=%d, %.1f MB of weights read per step%n", c.name(),
        c.embeddingSize(), c.hiddenSize(), c.layers(), stepBytes / 1e6);
    out.printf("%-8s %8s %10s %10s %10s %12s %12s%n", "step", "steps", "p50 us", "p99 us", "max us",
        "sample p50", "alloc B/step");
    for (StepBenchmark.Result r : results) {
      out.printf("%-8s %8d %10.1f %10.1f %10.1f %12.1f %12.1f%n", r.stepper(), r.steps(), r.stepP50(),
          r.stepP99(), r.stepMax(), r.sampleP50(), r.allocBytesPerStep());
    }
    if (results.stream().anyMatch(r -> r.stepper().equals("nd4j"))) {
      out.printf("nd4j runs on BLAS: %s%n", Models.nd4jBlas());
    }
    if (dram > 0) {
      out.printf("bandwidth floor: %.1f us at %.1f GB/s (DRAM sweep), %.1f us at %.1f GB/s "
              + "(sweep of a weights-sized array, cache-resident)%n",
          stepBytes / dram * 1e6, dram / 1e9, stepBytes / cached * 1e6, cached / 1e9);
    }
  }
}
