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
import continuo.midi.MidiSettings;
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
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

/**
 * A running jam, and where its parts are put together: the backend connection, the engine agent on
 * its own thread, the preset switcher, the supervisor (reconnection), the optional file input and
 * the recorder agent ({@code --record}). The clock, the idle strategies and the MIDI providers come in as {@link
 * Parts}, so tests run a session on a fake clock and their own providers. Started and stopped by
 * the control thread; {@link #stop} is idempotent and safe from a shutdown hook: the engine
 * releases every sounding note, the recording is written, then everything closes.
 */
public final class LiveSession implements AutoCloseable {
  /**
   * Steps run before a model plays: until the JIT has compiled the Vector API step it is slow and
   * allocates. The warm-up goes on until the step allocates nothing (measured: 1,000-2,000 steps
   * on this machine's 2 cores), at least the minimum, at most the maximum.
   */
  static final int WARM_UP_MIN_STEPS = 1_000;

  static final int WARM_UP_MAX_STEPS = 10_000;

  /** How long the recorder agent sleeps when the record ring is empty. */
  private static final long RECORDER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /**
   * What a session is built from besides its {@link LiveConfig}: the clock every part reads, an
   * idle strategy for each agent the session runs (each used by one agent only), and the MIDI
   * providers to choose the backend and the {@code --in} source from.
   */
  public record Parts(NanoClock clock, IdleStrategy engineIdle, IdleStrategy switcherIdle,
      IdleStrategy supervisorIdle, IdleStrategy warmUpIdle, MidiProviders providers) {
    /**
     * The system clock; the engine spins briefly then parks 1-200 µs, the switcher parks up to
     * 100 ms (a request wakes it), the supervisor looks around every 20 ms; the providers found
     * through {@code ServiceLoader}.
     */
    public static Parts standard() {
      return new Parts(SystemNanoClock.INSTANCE,
          new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
              TimeUnit.MICROSECONDS.toNanos(200)),
          PresetSwitcher.defaultIdleStrategy(),
          new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(20)),
          new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1)),
          new MidiProviders());
    }
  }

  private final Counters counters = new Counters();
  private MidiEventRing fileRing;
  private MidiEventRing recordRing;
  private final NanoClock clock;
  private final Parts parts;
  private final Consumer<String> log;
  private final LiveConfig config;
  private MidiConnection connection;
  private MidiConnection source;
  private MidiProvider provider;
  private MidiEventRing input;
  private MidiEventRing output;
  private PresetSwitcher switcher;
  private LiveEngine engine;
  private AgentRunner runner;
  private SessionSupervisor supervisor;
  private AgentRunner supervisorRunner;
  private AgentRunner recorderRunner;
  private AgentRunner levelRunner;
  private GcWatch gcWatch;
  private SessionRecorder recorder;
  private String backendName;
  private boolean stopped;
  private boolean started;

  private LiveSession(LiveConfig config, Consumer<String> log, Parts parts) {
    this.config = config;
    this.log = log;
    this.parts = parts;
    this.clock = parts.clock();
  }

  /** Loads the model, opens the backend and starts the engine; throws with one clear sentence. */
  public static LiveSession start(LiveConfig config, Consumer<String> log)
      throws IOException, ModelFormatException, MidiBackendException {
    return start(config, log, Parts.standard());
  }

  /** As {@link #start(LiveConfig, Consumer)}, built from {@code parts}. */
  public static LiveSession start(LiveConfig config, Consumer<String> log, Parts parts)
      throws IOException, ModelFormatException, MidiBackendException {
    LiveSession s = new LiveSession(config, log, parts);
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
    if (!Files.exists(file)) {
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
  static int warmUp(LstmStepper stepper) {
    return Models.warmUp(stepper, WARM_UP_MIN_STEPS, WARM_UP_MAX_STEPS);
  }

  private void open() throws IOException, ModelFormatException, MidiBackendException {
    long t0 = System.nanoTime();
    Preset preset = config.preset();
    LstmStepper stepper = loadModel(preset, config.home());
    // The JIT warm-up runs on its own agent while the backend opens; the engine starts after both.
    WarmUpAgent warmUp = new WarmUpAgent(stepper);
    AgentRunner warmUpRunner = new AgentRunner(parts.warmUpIdle(),
        t -> log.accept("event=warm_up_error error=\"" + t + "\""), null, warmUp);
    AgentRunner.startOnThread(warmUpRunner);
    try {
      openBackend();
    } finally {
      warmUp.awaitDone();
      warmUpRunner.close();
    }
    int warmUpSteps = warmUp.steps();
    log.accept(String.format(
        "event=model_loaded preset=%s model=%s hidden=%d layers=%d warm_up_steps=%d ms=%d",
        preset.name(), preset.modelPath(config.home()), stepper.config().hiddenSize(),
        stepper.config().layers(), warmUpSteps, (System.nanoTime() - t0) / 1_000_000));

    switcher = new PresetSwitcher(p -> {
      LstmStepper s = loadModel(p, config.home());
      warmUp(s);
      return s;
    },
        line -> log.accept("event=preset_switch message=\"" + line + "\""), preset,
        parts.switcherIdle());
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
    if (config.fixedBpm() != 0) {
      engine.fixTempo(config.fixedBpm());
    } else {
      LevelJudge judge = LevelJudge.threaded(LevelJudge.WINDOW_EVENTS);
      engine.judgeLevelsWith(judge);
      levelRunner = judge.start(t -> log.accept("event=level_error error=\"" + t + "\""));
    }
    if (config.learn() != null) {
      engine.learn(config.learn());
      log.accept("event=learn control=" + config.learn().name().toLowerCase()
          + " action=move_a_controller");
    }
    Agent agent = config.realtime() ? new RealtimeAgent(engine, log) : engine;
    runner = new AgentRunner(parts.engineIdle(),
        t -> log.accept("event=engine_error error=\"" + t + "\""),
        counters.newCounter("engine.runner.errors"), agent);
    YoungGeneration.empty(); // the jam starts with all of the young generation ahead of it
    gcWatch = new GcWatch(counters);
    AgentRunner.startOnThread(runner);
    supervisor = new SessionSupervisor(clock, provider, config.midi(), input, output, counters,
        connection, engine::setOutputLead, engine::backendReconnected, log);
    supervisorRunner = new AgentRunner(parts.supervisorIdle(),
        t -> log.accept("event=supervisor_error error=\"" + t + "\""), null, supervisor);
    AgentRunner.startOnThread(supervisorRunner, LiveSession::daemon);
    if (recorder != null) {
      // Its own agent: a reconnect that waits on a hung server never holds up the recording.
      recorderRunner = new AgentRunner(new SleepingIdleStrategy(RECORDER_IDLE_NANOS),
          t -> log.accept("event=recorder_error error=\"" + t + "\""), null, recorder);
      AgentRunner.startOnThread(recorderRunner, LiveSession::daemon);
      log.accept("event=recording file=" + recorder.file() + " rewritten_every_ms="
          + SessionRecorder.REWRITE_NANOS / 1_000_000);
    }
    if (fileRing != null) {
      openSource();
    }
    started = true;
    log.accept(String.format(
        "event=ready preset=%s mode=%s temperature=%.2f tempo=\"%.1f bpm %s\" backend=%s "
        + "startup_ms=%d", preset.name(), preset.mode(), preset.temperature(), engine.tempo().statusBpm(),
        engine.tempo().statusSource() == null ? "-" : engine.tempo().statusSource().label(), backendName,
        (System.nanoTime() - t0) / 1_000_000));
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    return t;
  }

  /** Selects and opens the MIDI backend, the rings and the recorder. */
  private void openBackend() throws MidiBackendException {
    MidiProviders.Choice choice = parts.providers().choose(config.backend());
    provider = choice.provider();
    backendName = provider.name();
    if ("auto".equals(config.backend())) {
      log.accept("event=backend_chosen backend=" + provider.name()
          + (provider.name().equals("jack") ? " reason=jack_server_running"
          : " reason=no_jack_server")
          + (choice.passedOver() == null ? ""
          : " passed_over=\"" + choice.passedOver() + "\""));
    }

    input = new MidiEventRing(8192, counters.newCounter("input.dropped"));
    output = new MidiEventRing(8192, counters.newCounter("output.dropped"));
    if (config.inputFile() != null) {
      fileRing = new MidiEventRing(8192, counters.newCounter("file_input.dropped"));
    }
    if (config.record() != null) {
      recordRing = new MidiEventRing(1 << 16, counters.newCounter("record.dropped"));
      recorder = new SessionRecorder(recordRing, clock, config.record(), log);
    }
    connection = provider.open(config.midi(), input, output, clock, counters);
    log.accept("event=midi_open " + connection.describe());
  }

  /** Starts the {@code --in file:} source: the provider its scheme names plays it into its ring. */
  private void openSource() throws MidiBackendException {
    String spec = FileInput.PREFIX + config.inputFile();
    MidiProvider p = parts.providers().source(spec);
    if (p == null) {
      throw new MidiBackendException("no MIDI provider plays '" + spec + "'");
    }
    MidiSettings settings = new MidiSettings(config.midi().clientName(), spec, null);
    source = p.open(settings, fileRing, null, clock, counters);
    log.accept("event=file_input " + source.describe());
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

  /** Any thread: whether the backend was there when the supervisor last looked. */
  public boolean isConnectionAlive() {
    return supervisor != null ? supervisor.isAlive() : connection != null;
  }

  /** Releases every sounding note through the backend, then closes everything. Idempotent. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (supervisorRunner != null) {
      supervisorRunner.close(); // no reconnection while closing
      connection = supervisor.connection();
    }
    if (source != null) {
      SessionSupervisor.closeQuietly(source);
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
    // The recording is written once the engine has released its notes and before the backend
    // closes: closing a hung JACK server can block for a long time, the file must not wait for it.
    writeRecording();
    if (connection != null) {
      SessionSupervisor.closeQuietly(connection);
    }
    if (switcher != null) {
      switcher.close();
    }
    if (levelRunner != null) {
      levelRunner.close();
    }
    if (gcWatch != null) {
      gcWatch.close();
    }
    if (started) {
      log.accept("event=stopped " + counters.summary());
    }
  }

  private void writeRecording() {
    if (recorderRunner != null) {
      recorderRunner.close();
    }
    if (recorder != null && started) {
      try {
        recorder.finish();
        log.accept("event=recorded file=" + recorder.file() + " notes=" + recorder.notes());
      } catch (IOException e) {
        log.accept("event=record_failed file=" + recorder.file() + " error=\"" + e.getMessage()
            + "\"");
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
