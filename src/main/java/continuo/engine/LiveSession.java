package continuo.engine;

import continuo.encoding.PerformanceEncoding;
import continuo.metrics.Counters;
import continuo.metrics.GcWatch;
import continuo.midi.FileInput;
import continuo.midi.MidiBackendException;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiProvider;
import continuo.midi.MidiProviders;
import continuo.model.LstmStepper;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import continuo.model.Models;
import continuo.preset.Preset;
import continuo.preset.PresetException;
import continuo.preset.Presets;
import continuo.sample.Sampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import continuo.schedule.Realtime;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * A running jam: the backend connection, the engine agent on its own thread, the preset switcher,
 * the optional file input and recorder. Started and stopped by the control thread; {@link #stop}
 * is idempotent and safe from a shutdown hook: the engine releases every sounding note, the backend
 * plays those note-offs, then everything closes.
 */
public final class LiveSession implements AutoCloseable {
  /**
   * Steps run before a model plays: until the JIT has compiled the Vector API step it is slow and
   * allocates. The warm-up goes on until the step allocates nothing (measured: 1,000-2,000 steps
   * on this machine's 2 cores), at least the minimum, at most the maximum.
   */
  static final int WARM_UP_MIN_STEPS = 1_000;

  static final int WARM_UP_MAX_STEPS = 10_000;

  private final Counters counters = new Counters();
  private MidiEventRing fileRing;
  private MidiEventRing recordRing;
  private final NanoClock clock = SystemNanoClock.INSTANCE;
  private final Consumer<String> log;
  private final LiveConfig config;
  private volatile MidiConnection connection;
  private MidiProvider provider;
  private MidiEventRing input;
  private MidiEventRing output;
  private long retryAtNanos;
  private long retryDelayNanos;
  private PresetSwitcher switcher;
  private LiveEngine engine;
  private AgentRunner runner;
  private GcWatch gcWatch;
  private FileInput fileInput;
  private SessionRecorder recorder;
  private String backendName;
  private boolean stopped;
  private boolean started;

  private LiveSession(LiveConfig config, Consumer<String> log) {
    this.config = config;
    this.log = log;
  }

  /** Loads the model, opens the backend and starts the engine; throws with one clear sentence. */
  public static LiveSession start(LiveConfig config, Consumer<String> log)
      throws IOException, ModelFormatException, MidiBackendException {
    LiveSession s = new LiveSession(config, log);
    try {
      s.open();
    } catch (IOException | ModelFormatException | MidiBackendException | RuntimeException e) {
      s.stop();
      throw e;
    }
    return s;
  }

  /** Loads the stepper of a preset's model. */
  public static LstmStepper loadModel(Preset preset, Path home) throws ModelFormatException {
    Path file = preset.modelPath(home);
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException(file + ": no such model file (preset '" + preset.name()
          + "' needs it; train one or pass --model)");
    }
    LstmStepper stepper = Models.stepper(ModelFile.read(file));
    if (stepper.config().vocabSize() != PerformanceEncoding.VOCAB_SIZE) {
      stepper.close();
      throw new ModelFormatException(file + ": vocabulary of " + stepper.config().vocabSize()
          + " tokens; the live engine needs the performance encoding's "
          + PerformanceEncoding.VOCAB_SIZE);
    }
    return stepper;
  }

  /** Lets the JIT compile this stepper before it plays; the number of steps it took. */
  private static int warmUp(LstmStepper stepper) {
    return Models.warmUp(stepper, WARM_UP_MIN_STEPS, WARM_UP_MAX_STEPS);
  }

  private void open() throws IOException, ModelFormatException, MidiBackendException {
    long t0 = System.nanoTime();
    Preset preset = config.preset();
    LstmStepper stepper = loadModel(preset, config.home());
    // The JIT warm-up runs while the backend opens; the engine starts only after both.
    int[] warmUpSteps = new int[1];
    Thread warmUp = new Thread(
        () -> warmUpSteps[0] = warmUp(stepper),
        "continuo-warm-up");
    warmUp.start();
    try {
      openBackend();
    } finally {
      joinUninterruptibly(warmUp);
    }
    log.accept(String.format(
        "event=model_loaded preset=%s model=%s hidden=%d layers=%d warm_up_steps=%d ms=%d",
        preset.name(), preset.modelPath(config.home()), stepper.config().hiddenSize(),
        stepper.config().layers(), warmUpSteps[0], (System.nanoTime() - t0) / 1_000_000));

    switcher = new PresetSwitcher(p -> {
      LstmStepper s = loadModel(p, config.home());
      warmUp(s);
      return s;
    },
        line -> log.accept("event=preset_switch message=\"" + line + "\""));
    MidiEventRing[] inputs = fileRing == null ? new MidiEventRing[] {input}
        : new MidiEventRing[] {input, fileRing};
    Sampler sampler = new Sampler(config.seed(), PerformanceEncoding.VOCAB_SIZE);
    engine = new LiveEngine(clock, inputs, output, recordRing,
        connection.outputLeadNanos(), preset, stepper, sampler::sample, switcher,
        switchablePresets(), counters);
    if (config.realtime()) {
      // After the model, rings and backend exist: MCL_CURRENT locks the pages in use now.
      String why = Realtime.lockMemory();
      log.accept(why == null ? "event=realtime memory=locked" : "event=realtime memory=unlocked "
          + "reason=\"" + why + "\"");
    }
    if (config.learn() != null) {
      engine.learn(config.learn());
      log.accept("event=learn control=" + config.learn().name().toLowerCase()
          + " action=move_a_controller");
    }
    Agent agent = config.realtime() ? new RealtimeAgent(engine, log) : engine;
    runner = new AgentRunner(
        new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(200)),
        t -> log.accept("event=engine_error error=\"" + t + "\""),
        counters.newCounter("engine.runner.errors"), agent);
    YoungGeneration.empty(); // the jam starts with all of the young generation ahead of it
    gcWatch = new GcWatch(counters);
    AgentRunner.startOnThread(runner);
    if (fileInput != null) {
      fileInput.start(200_000_000L);
      log.accept("event=file_input " + fileInput);
    }
    started = true;
    log.accept(String.format(
        "event=ready preset=%s mode=%s temperature=%.2f backend=%s startup_ms=%d",
        preset.name(), preset.mode(), preset.temperature(), backendName,
        (System.nanoTime() - t0) / 1_000_000));
  }

  /** Selects and opens the MIDI backend, the rings, the file input and the recorder. */
  private void openBackend() throws IOException, MidiBackendException {
    MidiProviders providers = new MidiProviders(counters);
    provider = providers.select(config.backend());
    backendName = provider.name();
    if ("auto".equals(config.backend())) {
      log.accept("event=backend_chosen backend=" + provider.name()
          + (provider.name().equals("jack") ? " reason=jack_server_running"
          : " reason=no_jack_server"));
    }

    input = new MidiEventRing(8192, counters.newCounter("input.dropped"));
    output = new MidiEventRing(8192, counters.newCounter("output.dropped"));
    if (config.inputFile() != null) {
      fileRing = new MidiEventRing(8192, counters.newCounter("file_input.dropped"));
      fileInput = new FileInput(config.inputFile(), fileRing, clock);
    }
    if (config.record() != null) {
      recordRing = new MidiEventRing(1 << 16, counters.newCounter("record.dropped"));
      recorder = new SessionRecorder(recordRing, clock.nanoTime());
    }
    connection = provider.open(config.midi(), input, output, clock);
    log.accept("event=midi_open " + connection.describe());

  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The presets a Program Change or the preset controller can select, in name order; bad ones are
   * reported and left out.
   */
  private List<Preset> switchablePresets() {
    List<Preset> out = new ArrayList<>();
    for (String name : Presets.names(config.home())) {
      try {
        out.add(Presets.load(config.home().resolve(Presets.DIRECTORY).resolve(name + ".toml")));
      } catch (PresetException e) {
        log.accept("event=preset_skipped reason=\"" + e.getMessage() + "\"");
      }
    }
    return out;
  }

  /** The engine agent, asking for SCHED_FIFO on its thread as it starts. */
  private record RealtimeAgent(LiveEngine engine, Consumer<String> log) implements Agent {
    @Override
    public void onStart() {
      String why = Realtime.fifo(70);
      log.accept(why == null ? "event=realtime engine_thread=SCHED_FIFO priority=70"
          : "event=realtime engine_thread=normal reason=\"" + why + "\"");
    }

    @Override
    public int doWork() {
      return engine.doWork();
    }

    @Override
    public void onClose() {
      engine.onClose();
    }

    @Override
    public String roleName() {
      return engine.roleName();
    }
  }

  public LiveEngine engine() {
    return engine;
  }

  public Counters counters() {
    return counters;
  }

  public String backendName() {
    return backendName;
  }

  /**
   * Control thread: keeps the recorder drained and, when the device or JACK server went away,
   * reopens it with backoff (0.5 s doubling to 5 s) while the engine keeps running. Call a few
   * times a second.
   */
  public synchronized void poll() {
    if (recorder != null) {
      recorder.drain();
    }
    if (stopped || connection == null || connection.isAlive()) {
      return;
    }
    long now = System.nanoTime();
    if (retryDelayNanos == 0) {
      log.accept("event=midi_lost backend=" + backendName + " action=reconnecting");
      closeQuietly(connection);
      retryDelayNanos = 500_000_000L;
      retryAtNanos = now + retryDelayNanos;
      return;
    }
    if (now < retryAtNanos) {
      return;
    }
    try {
      MidiConnection c = provider.open(config.midi(), input, output, clock);
      engine.setOutputLead(c.outputLeadNanos());
      connection = c;
      retryDelayNanos = 0;
      log.accept("event=midi_reconnected " + c.describe());
    } catch (MidiBackendException e) {
      retryDelayNanos = Math.min(5_000_000_000L, retryDelayNanos * 2);
      retryAtNanos = now + retryDelayNanos;
    }
  }

  private static void closeQuietly(MidiConnection c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      // The device is gone already; nothing left to release.
    }
  }

  public boolean isConnectionAlive() {
    return connection != null && connection.isAlive();
  }

  /** Releases every sounding note through the backend, then closes everything. Idempotent. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (fileInput != null) {
      fileInput.close();
    }
    if (engine != null) {
      engine.requestShutdown();
      long deadline = System.nanoTime() + 1_000_000_000L;
      while (!engine.isSilent() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
    }
    if (runner != null) {
      runner.close();
    }
    if (connection != null) {
      closeQuietly(connection);
    }
    if (switcher != null) {
      switcher.close();
    }
    if (gcWatch != null) {
      gcWatch.close();
    }
    if (recorder != null && started) {
      try {
        recorder.write(config.record());
        log.accept("event=recorded file=" + config.record() + " notes=" + recorder.notes());
      } catch (IOException e) {
        log.accept("event=record_failed file=" + config.record() + " error=\"" + e.getMessage()
            + "\"");
      }
    }
    if (started) {
      log.accept("event=stopped " + counters.summary());
    }
  }

  @Override
  public void close() {
    stop();
  }
}
