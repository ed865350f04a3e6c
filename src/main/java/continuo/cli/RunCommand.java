package continuo.cli;

import continuo.engine.LiveConfig;
import continuo.engine.LiveEngine;
import continuo.engine.LiveSession;
import continuo.metrics.Counters;
import continuo.midi.FileInput;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiProvider;
import continuo.midi.MidiProviders;
import continuo.midi.MidiBackendException;
import continuo.midi.MidiSettings;
import continuo.midifile.MidiFileReader;
import continuo.model.ModelFormatException;
import continuo.preset.Preset;
import continuo.preset.PresetException;
import continuo.preset.Presets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code continuo run}: the live instrument. Parses, builds a {@link LiveConfig}, runs it. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    modelTransformer = PresetOptions.class,
    description = {
      "Listens on MIDI, feeds every note into the model as it is played, and answers in time.",
      "Stops on Ctrl-C or SIGTERM after turning off every note it played."
    })
final class RunCommand implements Callable<Integer>, PresetOptions.Holder {

  /** --temperature, --gap-ms and the other preset overrides; declared in preset.Settings. */
  private final PresetOptions.Overrides overrides = new PresetOptions.Overrides();

  @Option(names = "--preset", paramLabel = "NAME|FILE",
      description = "Preset name (presets/NAME.toml) or .toml file. Default: folk, unless --model.")
  String preset;

  @Option(names = "--model", paramLabel = "FILE",
      description = "Model file (.cmodel) to play instead of the preset's model.")
  Path model;

  @Option(names = "--backend", defaultValue = "auto", paramLabel = "auto|jack|javasound",
      description = "MIDI backend; auto picks JACK when a JACK server runs, else Java Sound "
          + "(default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--in", paramLabel = "PORT|file:FILE.mid",
      description = "Input: a port name substring to connect (see `continuo ports`), or "
          + "file:phrase.mid to play a MIDI file in as if a player played it.")
  String in;

  @Option(names = "--out", paramLabel = "PORT|synth",
      description = "Output: a port name substring; with Java Sound the default is the built-in "
          + "synthesizer (synth).")
  String out;

  @Option(names = "--name", defaultValue = "continuo",
      description = "Client name other programs see (JACK: NAME:midi_in, NAME:midi_out; "
          + "default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--record", paramLabel = "FILE.mid",
      description = "Record the jam (player and continuo on separate tracks), rewritten every "
          + "second; an existing FILE.mid is kept and FILE-2.mid (FILE-3.mid...) written instead.")
  Path record;

  @Option(names = "--force", description = "With --record: replace FILE.mid if it exists.")
  boolean force;

  /** The file --record claimed in {@link #config()}. */
  private RecordTarget.Claim recording;

  @Option(names = "--seed", description = "Sampler seed (default: random).")
  Long seed;

  @Option(names = "--realtime", description = "Linux: run the engine thread (and Java Sound's "
      + "output thread) with SCHED_FIFO and lock memory, when permitted (logs what it got).")
  boolean realtime;

  @Option(names = "--passthrough", description = "Latency measurement: no model; JACK copies "
      + "midi_in to midi_out at the same frame, for an external round-trip measurement.")
  boolean passthrough;

  @Option(names = "--learn", paramLabel = "temperature|panic|end-of-phrase|preset|key|density",
      description = "MIDI learn: the next controller you move becomes this control.")
  String learn;

  @Option(names = "--bpm", paramLabel = "BPM",
      description = "Fix the tempo (20..400) whatever a MIDI clock, tap tempo or your playing "
          + "say; without it continuo follows them (see docs/tempo.md).")
  Double bpm;

  @Option(names = "--seconds", description = "Stop by itself after this many seconds (0 = run "
      + "until Ctrl-C or SIGTERM; default: ${DEFAULT-VALUE}).", defaultValue = "0")
  double seconds;

  @Override
  public Integer call() throws Exception {
    if (passthrough) {
      return passThrough();
    }
    LiveConfig config = config();
    PrintStream out = System.out;
    boolean tty = System.console() != null;
    if (recording != null && recording.numbered()) {
      log(out, tty, "event=record_numbered file=" + recording.file() + " reason=\""
          + recording.requested().getFileName() + " exists; --force replaces it\"");
    }
    LiveSession session = null;
    try {
      session = LiveSession.start(config, line -> log(out, tty, line));
    } catch (ModelFormatException | MidiBackendException e) {
      throw new UserError(e.getMessage(), e);
    } catch (IOException e) {
      throw new UserError(e.getMessage(), e);
    } finally {
      if (session == null && recording != null) {
        recording.release();
      }
    }
    LiveSession started = session;
    Thread hook = new Thread(() -> {
      started.stop();
      out.flush();
      // SIGTERM/SIGINT end a jam normally: every note is off, so the exit code is 0.
      Runtime.getRuntime().halt(0);
    }, "continuo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      play(session, out, tty);
    } finally {
      // An error here must not exit through the hook's status 0; a normal end stops the session.
      boolean shuttingDown = false;
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        shuttingDown = true;
      }
      if (!shuttingDown) {
        session.stop();
      }
    }
    return 0;
  }

  /**
   * Control thread: starts the status agent, then waits until --seconds pass (or forever). The
   * session's own agents record and reconnect a lost backend.
   */
  private void play(LiveSession session, PrintStream out, boolean tty) {
    long end = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
    StatusAgent status = new StatusAgent(session, line -> log(out, tty, line), tty ? out : null,
        RunCommand::appendStatus, learn);
    try (AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(20),
        t -> log(out, tty, "event=error where=status " + t), null, status)) {
      AgentRunner.startOnThread(runner);
      while (System.nanoTime() < end) {
        LockSupport.parkNanos(Math.min(end - System.nanoTime(), 1_000_000_000L));
      }
    }
  }

  /** The JACK backend alone, echoing input to output inside its process callback. */
  private int passThrough() throws Exception {
    if (backend.equals("javasound")) {
      throw new UserError("--passthrough measures the JACK backend; use --backend jack or auto");
    }
    Counters counters = new Counters();
    MidiProvider jack = new MidiProviders().select("jack");
    MidiConnection c;
    try {
      c = jack.open(new MidiSettings(name, in, out, true),
          new MidiEventRing(1024, counters.newCounter("input.dropped")),
          new MidiEventRing(1024, counters.newCounter("output.dropped")),
          SystemNanoClock.INSTANCE, counters);
    } catch (MidiBackendException e) {
      throw new UserError(e.getMessage(), e);
    }
    boolean tty = System.console() != null;
    log(System.out, tty, "event=ready mode=passthrough " + c.describe());
    Runnable stop = () -> {
      c.close();
      log(System.out, tty, "event=stopped mode=passthrough " + counters.summary());
    };
    Thread hook = new Thread(() -> {
      stop.run();
      Runtime.getRuntime().halt(0);
    }, "continuo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    long end = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
    while (System.nanoTime() < end) {
      LockSupport.parkNanos(20_000_000L);
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    stop.run();
    return 0;
  }

  /**
   * Appends the status line to {@code status}, without String.format or reading the counters'
   * labels back: at a terminal it is redrawn five times a second for the whole jam.
   */
  private static StringBuilder appendStatus(StringBuilder status, LiveSession s) {
    LiveEngine e = s.engine();
    long centis = Math.round(e.temperature() * 100);
    status.append("preset=").append(e.presetName()).append(" mode=").append(e.mode())
        .append(" temperature=").append(centis / 100).append('.')
        .append(centis % 100 < 10 ? "0" : "").append(centis % 100)
        .append(" state=").append(e.phase().label());
    appendTempo(status.append(" tempo=\""), e).append('"');
    SteeringStatus.append(status.append(' '), e.steering())
        .append(" step_us=").append(e.lastStepNanos() / 1_000)
        .append(" backend=").append(s.backendName())
        .append(s.isConnectionAlive() ? "" : " (disconnected)").append(' ');
    s.counters().appendSummary(status);
    return status;
  }

  /** Appends the tempo and its source, as {@code 96.0 bpm clock}. */
  static StringBuilder appendTempo(StringBuilder out, LiveEngine e) {
    long tenths = Math.round(e.tempo().statusBpm() * 10);
    return out.append(tenths / 10).append('.').append(tenths % 10).append(" bpm ")
        .append(e.tempo().statusSource() == null ? "-" : e.tempo().statusSource().label());
  }

  private static void log(PrintStream out, boolean tty, String line) {
    synchronized (out) {
      out.println((tty ? "\r\u001b[K" : "") + "ts=" + Instant.now() + " " + line);
      out.flush();
    }
  }

  LiveConfig config() throws PresetException {
    Path home = Presets.home();
    Preset p;
    if (preset != null) {
      p = Presets.find(home, preset);
    } else if (model != null) {
      p = Preset.forModel(model);
    } else {
      p = Presets.find(home, "folk");
    }
    if (model != null) {
      p = p.withModel(model.toAbsolutePath());
    }
    p = overrides.applyTo(p);
    if (!backend.equals("auto") && !backend.equals("jack") && !backend.equals("javasound")) {
      throw new UserError("--backend is '" + backend + "'; expected auto, jack or javasound");
    }
    Path file = null;
    String inPort = in;
    if (in != null && in.startsWith(FileInput.PREFIX)) {
      file = Path.of(in.substring(FileInput.PREFIX.length()));
      if (!Files.exists(file)) {
        throw new UserError(file + ": no such MIDI file (from --in " + in + ")");
      }
      try {
        MidiFileReader.read(file); // bounded; a bad file is refused before any device opens
      } catch (IOException e) {
        throw new UserError(e.getMessage(), e);
      }
      inPort = null;
    }
    if (name.isBlank() || name.contains(":")) {
      throw new UserError("--name is '" + name + "'; expected a client name without ':'");
    }
    LiveEngine.Learn learnTarget = null;
    if (learn != null) {
      switch (learn) {
        case "temperature" -> learnTarget = LiveEngine.Learn.TEMPERATURE;
        case "panic" -> learnTarget = LiveEngine.Learn.PANIC;
        case "end-of-phrase" -> learnTarget = LiveEngine.Learn.END_OF_PHRASE;
        case "preset" -> learnTarget = LiveEngine.Learn.PRESET;
        case "key" -> learnTarget = LiveEngine.Learn.KEY;
        case "density" -> learnTarget = LiveEngine.Learn.DENSITY;
        default -> throw new UserError("--learn is '" + learn
            + "'; expected temperature, panic, end-of-phrase, preset, key or density");
      }
    }
    MidiSettings midi = new MidiSettings(name, inPort, out, false, realtime);
    if (bpm != null && !(bpm >= 20 && bpm <= 400)) {
      throw new UserError("--bpm is " + bpm + "; expected a tempo from 20 to 400");
    }
    // Last of the checks: the jam's file is claimed only once everything else is known to be good.
    recording = record == null ? null : RecordTarget.claim(record, force);
    return new LiveConfig(p, home, backend, midi, file, recording == null ? null : recording.file(),
        seed == null ? System.nanoTime() : seed, realtime, learnTarget, bpm == null ? 0 : bpm);
  }

  @Override
  public PresetOptions.Overrides presetOverrides() {
    return overrides;
  }
}
