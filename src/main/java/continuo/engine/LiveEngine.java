package continuo.engine;

import continuo.encoding.PerformanceEncoding;
import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiHandler;
import continuo.midi.MidiMessage;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.tempo.MidiClockFollower;
import continuo.tempo.TempoSource;
import java.util.List;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The live instrument's single engine thread, composed of parts that each own their state (as
 * aeron's conductor, sender and receiver share one duty cycle):
 *
 * <ul>
 *   <li>{@link Listener}: every note the player plays goes into the model's live state through
 *       the encoder training uses, once its 10 ms step is over;
 *   <li>{@link TurnTaking}: when to answer (duet or call-response), barge-ins and roll-back;
 *   <li>{@link LookAhead}: samples a short window ahead of the clock, with a snapshot of the state
 *       after every note event so a roll-back lands exactly on what was heard;
 *   <li>{@link OutputGate}: the schedule, releasing due events to the backend's output ring within
 *       the polyphony and length limits, note-ons placed on the beat grid
 *       ({@link GridPlacement}), thru, and the recording;
 *   <li>{@link Controls}: controllers, MIDI learn, Program Change and the preset knob;
 *   <li>{@link Timekeeper}: the tempo and beat position (MIDI clock and transport, tap tempo, the
 *       beat tracker on the player's note-ons, the preset's or a fixed bpm) and the time warp
 *       between the player's time and the model's;
 *   <li>{@link Steering}: the answer's key (fixed or heard), register, density and loudness, and
 *       the state controller;
 *   <li>{@link ClockMaster}: MIDI clock out at the timekeeper's tempo, when continuo is the
 *       master.
 * </ul>
 *
 * Other threads only read volatile status and call the methods that say so. Allocation free in
 * steady state.
 */
public final class LiveEngine implements Agent {
  /** What the engine is doing, for the status line. */
  public enum Phase {
    LISTENING("listening"), PLAYING("playing");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    /** Lower case, as the status line and the logs show it. */
    public String label() {
      return label;
    }
  }

  /** Controls that {@code --learn} can assign to the next controller the player moves. */
  public enum Learn { TEMPERATURE, PANIC, END_OF_PHRASE, PRESET, KEY, DENSITY }

  /** Set on messages in the record ring that continuo played (clear: the player played them). */
  public static final int RECORD_CONTINUO = 1 << 30;
  /** Set on a tempo change in the record ring; the low 24 bits are microseconds per quarter. */
  public static final int RECORD_TEMPO = 1 << 29;

  private final NanoClock clock;
  private final MidiEventRing[] inputs;
  private final MidiHandler onInput = this::onInput;
  private final Listener listener;
  private final OutputGate gate;
  private final LookAhead lookAhead;
  private final TurnTaking turns;
  private final Controls controls;
  private final Timekeeper timekeeper;
  private final Steering steering;
  private final ClockMaster clockOut;
  private volatile Preset preset;
  private volatile boolean shutdownRequested;
  private volatile boolean silent;

  private final AtomicCounter errors;
  private final AtomicCounter presetSwitches;

  /**
   * @param stepper the playing model (from {@code preset})
   * @param presets presets selectable by Program Change or the preset controller, in order
   */
  public LiveEngine(NanoClock clock, MidiEventRing input, MidiEventRing output, long outputLead,
      Preset preset, LstmStepper stepper, TokenSampler sampler, PresetSwitcher switcher,
      List<Preset> presets, Counters counters) {
    this(clock, new MidiEventRing[] {input}, output, null, outputLead, preset, stepper, sampler,
        switcher, presets, counters);
  }

  /**
   * @param inputs rings the player's MIDI arrives on (e.g. the backend and a file player)
   * @param record when not null, receives a copy of every note the player played and continuo
   *     sent (continuo's marked with {@link #RECORD_CONTINUO}), for {@code --record}
   */
  public LiveEngine(NanoClock clock, MidiEventRing[] inputs, MidiEventRing output,
      MidiEventRing record, long outputLead, Preset preset, LstmStepper stepper,
      TokenSampler sampler, PresetSwitcher switcher, List<Preset> presets, Counters counters) {
    this.clock = clock;
    this.inputs = inputs.clone();
    AtomicCounter notesIn = counters.newCounter("engine.notes.in");
    AtomicCounter notesOut = counters.newCounter("engine.notes.out");
    AtomicCounter droppedLate = counters.newCounter("engine.dropped.late");
    AtomicCounter droppedPolyphony = counters.newCounter("engine.dropped.polyphony");
    AtomicCounter forcedOff = counters.newCounter("engine.forced.note_off");
    AtomicCounter bargeIns = counters.newCounter("engine.barge_ins");
    this.errors = counters.newCounter("engine.errors");
    this.presetSwitches = counters.newCounter("engine.preset_switches");
    AtomicCounter nonFinite = counters.newCounter("engine.nonfinite_logits");
    timekeeper = new Timekeeper();
    listener = new Listener(clock.nanoTime(), notesIn, timekeeper);
    gate = new OutputGate(output, record, outputLead, notesOut, droppedLate, droppedPolyphony,
        forcedOff);
    steering = new Steering(output, gate);
    clockOut = new ClockMaster(output);
    lookAhead = new LookAhead(clock, sampler, listener, gate, steering, forcedOff, nonFinite);
    turns = new TurnTaking(listener, lookAhead, gate, bargeIns);
    controls = new Controls(turns, lookAhead, listener, steering, switcher, presets);
    install(preset, stepper, stepper.newState(), new float[PerformanceEncoding.VOCAB_SIZE]);
  }

  @Override
  public String roleName() {
    return "continuo-engine";
  }

  @Override
  public int doWork() {
    if (silent) {
      return 0;
    }
    int work = 0;
    try {
      long now = clock.nanoTime();
      if (shutdownRequested) {
        silenceSafely(now);
        return 1;
      }
      work += turns.afterReconnect(now);
      for (MidiEventRing input : inputs) {
        work += input.drain(onInput, 64);
      }
      now = clock.nanoTime();
      work += timekeeper.update(now);
      gate.recordTempo(now, timekeeper.bpm());
      listener.advance(now);
      keepTime(now);
      work += swapPresetIfReady(now);
      work += turns.decide(now);
      work += steering.tick(now, turns.playing());
      work += turns.playing() ? lookAhead.generate(now) : 0;
      work += gate.release(clock.nanoTime());
      work += gate.enforceNoteLength(now);
    } catch (RuntimeException e) {
      // A failing model or sampler must not leave notes hanging or stop the instrument.
      errors.increment();
      turns.stopAfterError(clock.nanoTime());
      work++;
    }
    return work;
  }

  /** The grid and the clock out follow the timekeeper's tempo and beat. */
  private void keepTime(long now) {
    double bpm = timekeeper.bpm();
    double beat = timekeeper.beatAt(now);
    gate.keepTime(now, bpm, beat);
    clockOut.turn(now, gate.outputLead(), bpm, beat);
  }

  /**
   * Set-up, before the engine runs: the next controller the player moves (other than 120 and 123)
   * becomes the {@code target} control for this session.
   */
  public void learn(Learn target) {
    controls.learn(target);
  }

  /** Set-up, before the engine runs: the model is asked through {@code judge} (see {@link Timekeeper}). */
  public void judgeLevelsWith(LevelJudge judge) {
    timekeeper.judgeWith(judge);
  }

  /** Set-up, before the engine runs: {@code --bpm} fixes the tempo (0: follow the sources). */
  public void fixTempo(double bpm) {
    timekeeper.fixTempo(bpm, clock.nanoTime());
  }

  /** Any thread: the tempo and its source, and the transport, for the status line and log. */
  public TempoStatus tempo() {
    return timekeeper;
  }

  /** The timekeeper (tempo, beat position, time warp); engine thread, or tests. */
  Timekeeper timekeeper() {
    return timekeeper;
  }

  /**
   * Supervisor thread: the backend was reopened. Keys held across the outage lost their note-offs;
   * the engine forgets them (and the pedal) on its next cycle, before it reads new input.
   */
  public void backendReconnected() {
    turns.backendReconnected();
  }

  /** Any thread: the controller number learned, or -1 while still learning (or not learning). */
  public int learnedCc() {
    return controls.learnedCc();
  }

  /** Supervisor thread: a reconnected backend may need events earlier (or later) than before. */
  public void setOutputLead(long nanos) {
    gate.setOutputLead(nanos);
  }

  /** Runs on the engine thread when its runner closes: nothing is left sounding. */
  @Override
  public void onClose() {
    if (!silent) {
      silenceSafely(clock.nanoTime());
    }
  }

  /** Releases everything even when the model is what fails: shutdown must always end silent. */
  private void silenceSafely(long now) {
    try {
      turns.silence(now);
      steering.silence(now);
    } catch (RuntimeException e) {
      errors.increment();
      turns.stopAfterError(now);
      gate.releaseThru(now);
    }
    clockOut.stop(now, gate.outputLead());
    silent = true;
  }

  /** Any thread: ask the engine to release every note and fall silent (shutdown). */
  public void requestShutdown() {
    shutdownRequested = true;
  }

  /** Any thread: true once the engine has released everything after {@link #requestShutdown}. */
  public boolean isSilent() {
    return silent;
  }

  public Phase phase() {
    return turns.phase();
  }

  public float temperature() {
    return controls.temperature();
  }

  public String presetName() {
    return preset.name();
  }

  public Mode mode() {
    return preset.mode();
  }

  /** The answer's key and density, for the status line (any thread). */
  public Steering steering() {
    return steering;
  }

  /** Duration of the last generation step, for the status line. */
  public long lastStepNanos() {
    return lookAhead.lastStepNanos();
  }

  /** The state that reflects what was heard; tests only. */
  LstmState liveState() {
    return listener.state();
  }

  /** The look-ahead state; tests only. */
  LstmState lookaheadState() {
    return lookAhead.state();
  }

  /** Routes one message from the player to the part it concerns. */
  private void onInput(long t, int msg) {
    int command = MidiMessage.command(msg);
    if (command >= 0xF0) {
      transport(t, msg);
      return;
    }
    if (!preset.listensTo(MidiMessage.channel(msg))) {
      return;
    }
    if (MidiMessage.isNoteOn(msg)) {
      timekeeper.playerNoteOn(t, msg & 0x0F, MidiMessage.data1(msg), MidiMessage.data2(msg));
      gate.recordPlayer(t, msg);
      // Barge-in first: continuo's notes go off before the player's echo of the same pitch.
      turns.playerNoteOn(t, msg & 0x0F, MidiMessage.data1(msg), MidiMessage.data2(msg));
      steering.playerNoteOn(t, MidiMessage.data1(msg), MidiMessage.data2(msg));
      gate.thru(t, msg, true);
    } else if (MidiMessage.isNoteOff(msg)) {
      timekeeper.playerNoteOff(t, msg & 0x0F, MidiMessage.data1(msg));
      gate.recordPlayer(t, msg);
      gate.thru(t, msg, false);
      turns.playerNoteOff(t, msg & 0x0F, MidiMessage.data1(msg));
      steering.playerNoteOff(t, MidiMessage.data1(msg));
    } else if (command == MidiMessage.CONTROL_CHANGE) {
      if (!timekeeper.controlChange(t, MidiMessage.data1(msg), MidiMessage.data2(msg))) {
        if (MidiMessage.data1(msg) == MidiMessage.CC_SUSTAIN) {
          listener.sustain(t, msg & 0x0F, MidiMessage.data2(msg) >= 64);
        }
        controls.controlChange(t, MidiMessage.data1(msg), MidiMessage.data2(msg));
      }
    } else if (command == MidiMessage.PROGRAM_CHANGE) {
      controls.programChange(MidiMessage.data1(msg));
    }
  }

  /** Clock and transport: the timekeeper follows them; Stop, Start and Continue end or resume turns. */
  private void transport(long t, int msg) {
    int kind = timekeeper.onSystem(t, MidiMessage.status(msg), MidiMessage.data1(msg),
        MidiMessage.data2(msg));
    if (kind == MidiClockFollower.STOP) {
      turns.transportStop(t);
      steering.silenced();
    } else if (kind == MidiClockFollower.START) {
      turns.transportStart(t);
      steering.resumed();
    } else if (kind == MidiClockFollower.CONTINUE) {
      turns.transportContinue();
      steering.resumed();
    }
  }

  private int swapPresetIfReady(long now) {
    PresetSwitcher.Ready r = controls.pollSwitch();
    if (r == null) {
      return 0;
    }
    turns.stop(now);
    listener.catchUp(r); // the new state hears what was played while it loaded
    LstmStepper old = listener.stepper();
    install(r.preset(), r.stepper(), r.state(), r.logits());
    controls.retire(old);
    presetSwitches.increment();
    return 1;
  }

  private void install(Preset p, LstmStepper s, LstmState state, float[] logits) {
    listener.install(s, state, logits);
    lookAhead.install(s);
    gate.use(p, clock.nanoTime());
    lookAhead.use(p);
    turns.use(p);
    steering.use(p);
    clockOut.use(p);
    controls.use(p);
    timekeeper.use(p, clock.nanoTime());
    timekeeper.useModel(s, ReferenceTempo.of(s.config()), ReferenceTempo.onsetsPerBeat(s.config()),
        clock.nanoTime());
    preset = p;
  }
}
