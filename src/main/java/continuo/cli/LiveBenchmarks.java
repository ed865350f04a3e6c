package continuo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.bench.AnswerBenchmark;
import continuo.bench.FloodBenchmark;
import continuo.bench.HiccupBenchmark;
import continuo.bench.HistogramPlot;
import continuo.bench.Latencies;
import continuo.bench.SchedulerBenchmark;
import continuo.model.LstmWeights;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bench --suite schedule|answer|flood|all|hiccup}: the live path's figures. */
final class LiveBenchmarks {
  private final BenchCommand options;
  private final LstmWeights weights;
  private final PrintWriter out;

  LiveBenchmarks(BenchCommand options, LstmWeights weights) {
    this.options = options;
    this.weights = weights;
    this.out = options.spec.commandLine().getOut();
  }

  int run() throws Exception {
    List<String> suites = switch (options.suite) {
      case "schedule", "answer", "flood", "hiccup" -> List.of(options.suite);
      case "all" -> List.of("schedule", "answer", "flood");
      default -> throw new UserError("--suite is '" + options.suite
          + "'; expected step, schedule, answer, flood, all or hiccup");
    };
    if (!(options.seconds > 0 && options.seconds <= 3600)) {
      throw new UserError("--seconds must be between 0 and 3600, got " + options.seconds);
    }
    if (options.trials < 1 || options.trials > 100_000) {
      throw new UserError("--trials must be 1..100000, got " + options.trials);
    }
    if (options.rate < 1 || options.rate > 100_000) {
      throw new UserError("--rate must be 1..100000 messages per second, got " + options.rate);
    }
    if (options.plot != null) {
      Files.createDirectories(options.plot);
    }
    for (String s : suites) {
      Map<String, Object> m = switch (s) {
        case "schedule" -> schedule();
        case "answer" -> answer();
        case "hiccup" -> hiccup();
        default -> flood();
      };
      print(m);
    }
    out.flush();
    return 0;
  }

  private Map<String, Object> schedule() throws Exception {
    SchedulerBenchmark.Result r =
        SchedulerBenchmark.run(options.seconds, options.load, options.seed, options.realtime);
    Latencies l = r.errors();
    Map<String, Object> m = header("schedule");
    m.put("seconds", options.seconds);
    m.put("cpu_load_on_other_cores", options.load);
    m.put("connection", r.connection());
    m.putAll(l.fields("send_error"));
    plot("schedule-jitter.png", "Java Sound scheduler: |actual - intended send time|"
        + (options.load ? ", other core busy" : ""), l);
    return m;
  }

  private Map<String, Object> answer() throws Exception {
    AnswerBenchmark.Result r = AnswerBenchmark.run(weights, options.trials, options.seed);
    Map<String, Object> m = header("answer");
    m.put("model", weights.config().name());
    m.put("trials", r.trials());
    m.put("answered", r.answered());
    m.putAll(r.latency().fields("answer_latency"));
    plot("answer-latency.png", "Duet answer latency (gap 0), model " + weights.config().name(),
        r.latency());
    return m;
  }

  private Map<String, Object> hiccup() throws Exception {
    HiccupBenchmark.Result r = HiccupBenchmark.run(options.seconds, options.load);
    Map<String, Object> m = header("hiccup");
    m.put("seconds", Latencies.round(r.seconds()));
    m.put("cpu_load_on_other_cores", options.load);
    m.put("clock_reads", r.reads());
    m.put("stalls_over_20us", r.stalls().count());
    m.put("stalls_over_200us", r.countAtLeast(200));
    m.put("stalls_over_1ms", r.countAtLeast(1_000));
    m.put("stalls_over_5ms", r.countAtLeast(5_000));
    m.put("stalls_over_10ms", r.countAtLeast(10_000));
    m.put("stall_us_max", Latencies.round(r.stalls().maxMicros()));
    plot("hiccups.png", "Stalls of a thread that only reads the clock"
        + (options.load ? ", other core busy" : ""), r.stalls());
    return m;
  }

  private Map<String, Object> flood() {
    FloodBenchmark.Result r = FloodBenchmark.run(weights, options.rate, options.seconds,
        options.seed);
    Map<String, Object> m = header("flood");
    m.put("model", weights.config().name());
    m.put("rate_per_second", options.rate);
    m.put("seconds", Latencies.round(r.seconds()));
    m.put("messages", r.offered());
    m.put("refused_by_full_ring", r.refused());
    m.put("note_offs_offered", r.noteOffsOffered());
    m.put("note_offs_taken_in", r.noteOffsHeard());
    m.put("note_offs_lost", r.noteOffsOffered() - r.noteOffsHeard());
    m.put("backlog_max", r.maxBacklog());
    m.put("backlog_at_end", r.finalBacklog());
    m.put("alloc_bytes_per_message", Latencies.round(r.allocBytesPerMessage()));
    return m;
  }

  private static Map<String, Object> header(String suite) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("suite", suite);
    return m;
  }

  private void plot(String file, String title, Latencies l) throws Exception {
    if (options.plot != null) {
      Path png = options.plot.resolve(file);
      HistogramPlot.write(png, title, l);
    }
  }

  private void print(Map<String, Object> m) throws Exception {
    if (options.json) {
      out.println(new ObjectMapper().writeValueAsString(m));
      return;
    }
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-28s %s%n", k, v)));
    out.print(sb);
    out.println();
  }
}
