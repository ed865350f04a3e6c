package continuo.engine;

import static continuo.encoding.PerformanceEncoding.NOTE_OFF;
import static continuo.encoding.PerformanceEncoding.NOTE_ON;
import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_MS;
import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_STEPS;
import static continuo.encoding.PerformanceEncoding.VOCAB_SIZE;

import continuo.encoding.PerformanceEncoding;
import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiHandler;
import continuo.midi.MidiMessage;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.schedule.EventHeap;
import java.util.List;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The live instrument's single engine thread. Each {@link #doWork()} drains the player's MIDI from
 * the input ring and feeds every note into the LSTM the moment it arrives (TIME_SHIFTs for the time
 * since the previous event first), decides when to answer (duet or call-response), samples a short
 * window ahead of the clock into a primitive schedule, and hands due events to the backend's output
 * ring. Every generated note event carries a snapshot of the state after it, so when the player
 * barges in the state rolls back to exactly what was heard. Owns the LSTM states, the note tables
 * and the schedule; other threads only read its volatile status fields. Allocation free in steady
 * state.
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
  public enum Learn { TEMPERATURE, PANIC, END_OF_PHRASE, PRESET }

  private static final long MS = 1_000_000L;
  private static final long SHIFT_NANOS = TIME_SHIFT_MS * MS;
  /** Silence longer than this is told to the model as this long: nothing changes after it. */
  private static final int MAX_GAP_STEPS = 3 * TIME_SHIFT_STEPS;
  private static final int SNAPSHOTS = 128;
  private static final int MAX_PENDING = 96;
  private static final int GENERATED = 1 << 31;
  private static final int HISTORY = 512;
  private static final int TOKENS_PER_WORK = 4;
  private static final long RELEASE_MARGIN_NANOS = 2 * MS;
  /** Set on messages in the record ring that continuo played (clear: the player played them). */
  public static final int RECORD_CONTINUO = 1 << 30;

  private final NanoClock clock;
  private final MidiEventRing[] inputs;
  private final MidiEventRing record;
  private final MidiEventRing output;
  private volatile long outputLead;
  private final TokenSampler sampler;
  private final PresetSwitcher switcher;
  private final List<Preset> presets;
  private final MidiHandler onInput = this::onInput;

  // The model and its states; all swapped together on a preset switch.
  private LstmStepper stepper;
  private LstmState live;
  private LstmState gen;
  private final float[] liveLogits = new float[VOCAB_SIZE];
  private final float[] genLogits = new float[VOCAB_SIZE];
  private LstmState[] snapshots;
  private final float[][] snapshotLogits = new float[SNAPSHOTS][VOCAB_SIZE];

  // Settings (from the preset; CCs change some live).
  private Preset preset;
  private volatile float temperature;
  private int outChannel;

  // Timeline of what the model has been told.
  private long lastEventNanos;
  private boolean heardAnything;
  private int lastVelocityBin = -1;
  private final int[] history = new int[HISTORY];
  private long historyCount;

  // The player.
  private final boolean[] playerOn = new boolean[128];
  private int playerHeld;
  private long lastPlayerNanos;
  private long callStartNanos;
  private boolean awaitingPlayer = true;
  private final boolean[] thruOn = new boolean[16 * 128];
  private final long[] lastOffNanos = new long[128];
  /** When the latest of continuo's note-offs goes out; a new answer starts no earlier. */
  private long lastReleaseNanos;

  // Generation.
  private volatile Phase phase = Phase.LISTENING;
  private long genNanos;
  private long answerEndNanos;
  private boolean genFinished;
  private int genVelocity = 80;
  private final boolean[] genOn = new boolean[128];
  private final long[] genOnNanos = new long[128];
  private int genHeld;
  private int genEvents;
  private int heardSlot = -1;
  private long heardNanos;

  // What continuo's output has really turned on (released to the backend).
  private final EventHeap schedule = new EventHeap(256);
  private final boolean[] sounding = new boolean[128];
  private final long[] soundingSince = new long[128];
  private int soundingCount;

  private Learn learning;
  private int temperatureCc;
  private int panicCc;
  private int endOfPhraseCc;
  private int presetCc;
  /** The preset the preset controller last asked for, so a moving knob asks only once per preset. */
  private int presetCcChoice = -1;
  private volatile int learnedCc = -1;
  private Learn learned;
  private volatile boolean shutdownRequested;
  private volatile boolean silent;
  private volatile long lastStepNanos;

  private final AtomicCounter notesIn;
  private final AtomicCounter notesOut;
  private final AtomicCounter droppedLate;
  private final AtomicCounter droppedPolyphony;
  private final AtomicCounter forcedOff;
  private final AtomicCounter bargeIns;
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
    this.record = record;
    this.output = output;
    this.outputLead = outputLead;
    this.sampler = sampler;
    this.switcher = switcher;
    this.presets = List.copyOf(presets);
    this.notesIn = counters.newCounter("engine.notes.in");
    this.notesOut = counters.newCounter("engine.notes.out");
    this.droppedLate = counters.newCounter("engine.dropped.late");
    this.droppedPolyphony = counters.newCounter("engine.dropped.polyphony");
    this.forcedOff = counters.newCounter("engine.forced.note_off");
    this.bargeIns = counters.newCounter("engine.barge_ins");
    this.errors = counters.newCounter("engine.errors");
    this.presetSwitches = counters.newCounter("engine.preset_switches");
    install(preset, stepper, stepper.newState(), new float[VOCAB_SIZE]);
    lastEventNanos = clock.nanoTime();
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
      for (MidiEventRing input : inputs) {
        work += input.drain(onInput, 64);
      }
      now = clock.nanoTime();
      work += swapPresetIfReady(now);
      work += decide(now);
      work += generate(now);
      work += release(clock.nanoTime());
      work += enforceNoteLength(now);
    } catch (RuntimeException e) {
      // A failing model or sampler must not leave notes hanging or stop the instrument.
      errors.increment();
      releaseAfterError(clock.nanoTime());
      work++;
    }
    return work;
  }

  /**
   * Set-up, before the engine runs: the next controller the player moves (other than 120 and 123)
   * becomes the {@code target} control for this session.
   */
  public void learn(Learn target) {
    learning = target;
  }

  /** Any thread: the controller number learned, or -1 while still learning (or not learning). */
  public int learnedCc() {
    return learnedCc;
  }

  /** Control thread: a reconnected backend may need events earlier (or later) than before. */
  public void setOutputLead(long nanos) {
    outputLead = nanos;
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
      silenceAll(now);
    } catch (RuntimeException e) {
      errors.increment();
      releaseAfterError(now);
      releaseThru(now);
    }
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
    return phase;
  }

  public float temperature() {
    return temperature;
  }

  public String presetName() {
    return preset.name();
  }

  public Mode mode() {
    return preset.mode();
  }

  /** Duration of the last generation step, for the status line. */
  public long lastStepNanos() {
    return lastStepNanos;
  }

  /** The state that reflects what was heard; tests only. */
  LstmState liveState() {
    return live;
  }

  /** The look-ahead state; tests only. */
  LstmState lookaheadState() {
    return gen;
  }

  // ---------------------------------------------------------------- input

  private void onInput(long t, int msg) {
    int command = MidiMessage.command(msg);
    if (command >= 0xF0 || !preset.listensTo(MidiMessage.channel(msg))) {
      return;
    }
    if (record != null && (MidiMessage.isNoteOn(msg) || MidiMessage.isNoteOff(msg))) {
      record.offer(t, msg);
    }
    if (MidiMessage.isNoteOn(msg)) {
      // Barge-in first: continuo's notes go off before the player's echo of the same pitch.
      playerNoteOn(t, MidiMessage.data1(msg), MidiMessage.data2(msg));
      thru(t, msg, true);
    } else if (MidiMessage.isNoteOff(msg)) {
      thru(t, msg, false);
      playerNoteOff(t, MidiMessage.data1(msg));
    } else if (command == MidiMessage.CONTROL_CHANGE) {
      controlChange(t, MidiMessage.data1(msg), MidiMessage.data2(msg));
    } else if (command == MidiMessage.PROGRAM_CHANGE) {
      programChange(MidiMessage.data1(msg));
    }
  }

  private void playerNoteOn(long t, int pitch, int velocity) {
    notesIn.increment();
    if (phase == Phase.PLAYING) {
      bargeIns.increment();
      stopPlaying(t);
    }
    if (playerOn[pitch]) {
      feedTime(t);
      feed(PerformanceEncoding.noteOff(pitch));
      playerHeld--;
    }
    feedTime(t);
    int bin = PerformanceEncoding.binOfVelocity(velocity);
    if (bin != lastVelocityBin) {
      feed(PerformanceEncoding.velocity(bin));
      lastVelocityBin = bin;
    }
    feed(PerformanceEncoding.noteOn(pitch));
    playerOn[pitch] = true;
    playerHeld++;
    if (awaitingPlayer || !heardAnything) {
      callStartNanos = t;
    }
    heardAnything = true;
    awaitingPlayer = false;
    lastPlayerNanos = t;
  }

  private void playerNoteOff(long t, int pitch) {
    if (!playerOn[pitch]) {
      return; // a note-off for a note we never heard start says nothing
    }
    feedTime(t);
    feed(PerformanceEncoding.noteOff(pitch));
    playerOn[pitch] = false;
    playerHeld--;
    lastPlayerNanos = t;
  }

  private void controlChange(long t, int cc, int value) {
    if (learning != null && cc != MidiMessage.CC_ALL_NOTES_OFF
        && cc != MidiMessage.CC_ALL_SOUND_OFF) {
      switch (learning) {
        case TEMPERATURE -> temperatureCc = cc;
        case PANIC -> panicCc = cc;
        case END_OF_PHRASE -> endOfPhraseCc = cc;
        case PRESET -> presetCc = cc;
      }
      learned = learning;
      learning = null;
      learnedCc = cc;
      return;
    }
    if (cc == temperatureCc) {
      temperature = 0.1f + 1.9f * value / 127f;
    } else if (cc == MidiMessage.CC_ALL_NOTES_OFF || cc == MidiMessage.CC_ALL_SOUND_OFF
        || cc == panicCc) {
      panic(t);
    } else if (cc == presetCc) {
      presetController(value);
    } else if (cc == endOfPhraseCc && preset.mode() == Mode.CALL_RESPONSE
        && phase == Phase.LISTENING && heardAnything && !awaitingPlayer) {
      releasePlayerNotesInModel(t);
      startPlaying(t);
    }
  }

  private void programChange(int program) {
    for (int i = 0; i < presets.size(); i++) {
      Preset p = presets.get(i);
      if (p.program() == program) {
        requestPreset(p);
        return;
      }
    }
  }

  /**
   * The preset controller's range 0..127 is split evenly among the presets, in their order: moving
   * it into another preset's stretch asks for that preset once, however many values the knob sends
   * on its way.
   */
  private void presetController(int value) {
    if (presets.isEmpty()) {
      return;
    }
    int choice = value * presets.size() / 128;
    if (choice == presetCcChoice) {
      return;
    }
    presetCcChoice = choice;
    Preset p = presets.get(choice);
    if (!p.name().equals(preset.name())) {
      requestPreset(p);
    }
  }

  private void requestPreset(Preset p) {
    if (switcher != null) {
      switcher.request(p, recentHistory(), historyCount); // allocates: a switch is not steady state
    }
  }

  private void thru(long t, int msg, boolean on) {
    if (!preset.thru()) {
      return;
    }
    int key = (MidiMessage.channel(msg) - 1) * 128 + MidiMessage.data1(msg);
    if (!on && !thruOn[key]) {
      return;
    }
    thruOn[key] = on;
    long at = t + outputLead;
    if (on && MidiMessage.channel(msg) == outChannel) {
      at = Math.max(at, lastOffNanos[MidiMessage.data1(msg)]);
    }
    output.offer(at, msg);
  }

  // ---------------------------------------------------------------- the model's timeline

  private void feedTime(long t) {
    long dt = t - lastEventNanos;
    if (dt > 0) {
      for (long steps = shiftSteps(dt); steps > 0; steps -= TIME_SHIFT_STEPS) {
        feed(PerformanceEncoding.timeShift((int) Math.min(TIME_SHIFT_STEPS, steps)));
      }
      lastEventNanos = t;
    }
  }

  /** A gap in 10 ms TIME_SHIFT steps, rounded, capped at {@link #MAX_GAP_STEPS}. */
  private static long shiftSteps(long gapNanos) {
    return gapNanos <= 0 ? 0 : Math.min(MAX_GAP_STEPS, (gapNanos + SHIFT_NANOS / 2) / SHIFT_NANOS);
  }

  private void feed(int token) {
    stepper.step(live, token, liveLogits);
    history[(int) (historyCount++ % HISTORY)] = token;
  }

  private int[] recentHistory() {
    int n = (int) Math.min(HISTORY, historyCount);
    int[] copy = new int[n];
    for (int i = 0; i < n; i++) {
      copy[i] = history[(int) ((historyCount - n + i) % HISTORY)];
    }
    return copy;
  }

  // ---------------------------------------------------------------- turn taking

  private int decide(long now) {
    if (phase == Phase.PLAYING) {
      if (genFinished && schedule.isEmpty() && soundingCount == 0) {
        finishPlaying();
        return 1;
      }
      return 0;
    }
    if (awaitingPlayer || !heardAnything || playerHeld > 0) {
      return 0;
    }
    if (now - lastPlayerNanos >= preset.responseGapMs() * MS) {
      startPlaying(now);
      return 1;
    }
    return 0;
  }

  private void startPlaying(long now) {
    gen.copyFrom(live);
    System.arraycopy(liveLogits, 0, genLogits, 0, VOCAB_SIZE);
    // Tell the look-ahead state about the pause that led here.
    genNanos = lastEventNanos;
    for (long steps = shiftSteps(now - lastEventNanos); steps > 0; steps -= TIME_SHIFT_STEPS) {
      int s = (int) Math.min(TIME_SHIFT_STEPS, steps);
      stepper.step(gen, PerformanceEncoding.timeShift(s), genLogits);
      genNanos += s * SHIFT_NANOS;
    }
    // The first answer note can be no earlier than the backend can still place it exactly, nor
    // before the notes of the last answer are released (a negative latency offset included).
    genNanos = Math.max(genNanos, Math.max(now + outputLead, lastReleaseNanos)
        - Math.min(0, preset.latencyOffsetMs()) * MS);
    if (preset.mode() == Mode.CALL_RESPONSE) {
      long length = preset.responseLengthMs() > 0 ? preset.responseLengthMs() * MS
          : Math.max(1_000 * MS, lastPlayerNanos - callStartNanos);
      answerEndNanos = genNanos + length;
    } else {
      answerEndNanos = Long.MAX_VALUE;
    }
    genVelocity = lastVelocityBin < 0 ? 80 : PerformanceEncoding.velocityOfBin(lastVelocityBin);
    genFinished = false;
    heardSlot = -1;
    genHeld = 0;
    java.util.Arrays.fill(genOn, false);
    phase = Phase.PLAYING;
  }

  /** The answer played out: what was generated and heard becomes the live state. */
  private void finishPlaying() {
    commitHeard();
    phase = Phase.LISTENING;
    awaitingPlayer = true;
  }

  /** Stops at once: cancels what was not played, releases what sounds, rolls back to what was heard. */
  private void stopPlaying(long now) {
    if (phase != Phase.PLAYING) {
      return;
    }
    schedule.clear();
    long offAt = now;
    for (int p = 0; p < 128; p++) {
      if (sounding[p]) {
        offAt = Math.max(offAt, soundingSince[p]);
      }
    }
    commitHeard();
    feedTime(offAt);
    for (int p = 0; p < 128; p++) {
      if (sounding[p]) {
        // The model heard this note start; tell it the note stopped, as the listener hears it.
        feed(PerformanceEncoding.noteOff(p));
      }
    }
    releaseSounding(now);
    phase = Phase.LISTENING;
    awaitingPlayer = true;
  }

  /**
   * Turns off every note continuo has on, as soon as the backend can place it, and never before
   * its note-on (which may have been handed to the backend slightly ahead of time).
   */
  private void releaseSounding(long now) {
    for (int p = 0; p < 128; p++) {
      if (sounding[p]) {
        noteOff(Math.max(now + outputLead, soundingSince[p]), p);
      }
    }
  }

  /** Stops without asking the model anything (it may be what failed) and releases every note. */
  private void releaseAfterError(long now) {
    schedule.clear();
    releaseSounding(now);
    heardSlot = -1;
    phase = Phase.LISTENING;
    awaitingPlayer = true;
  }

  private void commitHeard() {
    if (heardSlot >= 0) {
      live.copyFrom(snapshots[heardSlot]);
      System.arraycopy(snapshotLogits[heardSlot], 0, liveLogits, 0, VOCAB_SIZE);
      lastEventNanos = heardNanos;
      heardSlot = -1;
    }
  }

  private void releasePlayerNotesInModel(long t) {
    for (int p = 0; p < 128; p++) {
      if (playerOn[p]) {
        playerNoteOff(t, p);
      }
    }
  }

  private void panic(long now) {
    stopPlaying(now);
    releaseSounding(now);
    output.offer(now + outputLead, MidiMessage.of(MidiMessage.CONTROL_CHANGE, outChannel,
        MidiMessage.CC_ALL_NOTES_OFF, 0));
    releaseThru(now);
    awaitingPlayer = true;
  }

  private void releaseThru(long now) {
    for (int key = 0; key < thruOn.length; key++) {
      if (thruOn[key]) {
        thruOn[key] = false;
        output.offer(now + outputLead,
            MidiMessage.pack(MidiMessage.NOTE_OFF | (key >> 7), key & 127, 0));
      }
    }
  }

  private void silenceAll(long now) {
    stopPlaying(now);
    releaseSounding(now);
    releaseThru(now);
  }

  // ---------------------------------------------------------------- generation

  private int generate(long now) {
    if (phase != Phase.PLAYING || genFinished) {
      return 0;
    }
    int done = 0;
    long horizon = now + preset.lookaheadMs() * MS;
    while (done < TOKENS_PER_WORK && genNanos < horizon && schedule.size() < MAX_PENDING
        && !releaseDue(clock.nanoTime())) {
      if (genNanos >= answerEndNanos) {
        endAnswer();
        return done + 1;
      }
      long start = clock.nanoTime();
      generateOne();
      lastStepNanos = clock.nanoTime() - start;
      done++;
    }
    return done;
  }

  private void generateOne() {
    int forced = overlongNote();
    int token;
    if (forced >= 0) {
      token = NOTE_OFF + forced;
      forcedOff.increment();
    } else {
      mask();
      token = sampler.sample(genLogits, temperature, (float) preset.topP());
      if (PerformanceEncoding.isTimeShift(token)) {
        token = shortenToNoteLimit(token);
      }
    }
    stepper.step(gen, token, genLogits);
    if (PerformanceEncoding.isTimeShift(token)) {
      genNanos += PerformanceEncoding.shiftMillis(token) * MS;
    } else if (PerformanceEncoding.isVelocity(token)) {
      genVelocity = PerformanceEncoding.velocityOfBin(PerformanceEncoding.velocityBin(token));
    } else if (PerformanceEncoding.isNoteOn(token)) {
      int p = PerformanceEncoding.pitch(token);
      genOn[p] = true;
      genOnNanos[p] = genNanos;
      genHeld++;
      schedule(MidiMessage.of(MidiMessage.NOTE_ON, outChannel, p, genVelocity));
    } else {
      int p = PerformanceEncoding.pitch(token);
      genOn[p] = false;
      genHeld--;
      schedule(MidiMessage.of(MidiMessage.NOTE_OFF, outChannel, p, 0));
    }
  }

  /**
   * A time shift that would carry a held note past the length limit is shortened to end at the
   * limit (the next step then closes that note), so no note sounds longer than allowed.
   */
  private int shortenToNoteLimit(int token) {
    if (genHeld == 0) {
      return token;
    }
    long deadline = Long.MAX_VALUE;
    for (int p = 0; p < 128; p++) {
      if (genOn[p]) {
        deadline = Math.min(deadline, genOnNanos[p] + preset.maxNoteLengthMs() * MS);
      }
    }
    long steps = (deadline - genNanos) / SHIFT_NANOS;
    if (steps >= PerformanceEncoding.shiftMillis(token) / TIME_SHIFT_MS) {
      return token;
    }
    return steps >= 1 ? PerformanceEncoding.timeShift((int) steps) : token;
  }

  /** A generated note that has sounded too long, or -1. */
  private int overlongNote() {
    if (genHeld == 0) {
      return -1;
    }
    long limit = preset.maxNoteLengthMs() * MS;
    for (int p = 0; p < 128; p++) {
      if (genOn[p] && genNanos - genOnNanos[p] > limit - SHIFT_NANOS) {
        return p;
      }
    }
    return -1;
  }

  /** Only tokens that make sense now: no second note-on of a sounding pitch, no orphan note-off. */
  private void mask() {
    boolean full = genHeld >= preset.maxPolyphony();
    int echoed = (outChannel - 1) * 128;
    for (int p = 0; p < 128; p++) {
      if (genOn[p] || full || thruOn[echoed + p]) {
        genLogits[NOTE_ON + p] = Float.NEGATIVE_INFINITY;
      }
      if (!genOn[p]) {
        genLogits[NOTE_OFF + p] = Float.NEGATIVE_INFINITY;
      }
    }
  }

  private void schedule(int msg) {
    int slot = genEvents++ & (SNAPSHOTS - 1);
    snapshots[slot].copyFrom(gen);
    System.arraycopy(genLogits, 0, snapshotLogits[slot], 0, VOCAB_SIZE);
    long t = genNanos + preset.latencyOffsetMs() * MS;
    schedule.add(t, msg | GENERATED | slot << 24);
  }

  /** Call-response: the answer is as long as it should be; close every generated note at its end. */
  private void endAnswer() {
    for (int p = 0; p < 128; p++) {
      if (genOn[p]) {
        stepper.step(gen, NOTE_OFF + p, genLogits);
        genOn[p] = false;
        schedule(MidiMessage.of(MidiMessage.NOTE_OFF, outChannel, p, 0));
      }
    }
    genHeld = 0;
    genFinished = true;
  }

  // ---------------------------------------------------------------- output

  /** True when a scheduled event must go to the backend now; generation waits for it. */
  private boolean releaseDue(long now) {
    return !schedule.isEmpty() && schedule.peekTime() - outputLead <= now + RELEASE_MARGIN_NANOS;
  }

  private int release(long now) {
    int n = 0;
    while (releaseDue(now)) {
      long t = schedule.peekTime();
      int e = schedule.peekMessage();
      schedule.poll();
      int msg = e & 0xFFFFFF;
      int p = MidiMessage.data1(msg);
      heardSlot = (e >>> 24) & (SNAPSHOTS - 1);
      heardNanos = t;
      if (MidiMessage.isNoteOn(msg)) {
        if (now - t > preset.dropLateMs() * MS) {
          droppedLate.increment();
        } else if (soundingCount >= preset.maxPolyphony() || sounding[p]
            || thruOn[(outChannel - 1) * 128 + p]) {
          droppedPolyphony.increment();
        } else {
          send(t, msg);
          sounding[p] = true;
          soundingSince[p] = t;
          soundingCount++;
          notesOut.increment();
        }
      } else if (sounding[p]) {
        noteOff(Math.max(t, soundingSince[p]), p);
      }
      n++;
    }
    return n;
  }

  /** Turns continuo's note {@code p} off at {@code t} (already including any output lead). */
  private void noteOff(long t, int p) {
    send(t, MidiMessage.of(MidiMessage.NOTE_OFF, outChannel, p, 0));
    lastOffNanos[p] = t;
    lastReleaseNanos = Math.max(lastReleaseNanos, t);
    sounding[p] = false;
    soundingCount--;
  }

  private void send(long t, int msg) {
    output.offer(t, msg);
    if (record != null) {
      record.offer(t, msg | RECORD_CONTINUO);
    }
  }

  private int enforceNoteLength(long now) {
    if (soundingCount == 0) {
      return 0;
    }
    long limit = preset.maxNoteLengthMs() * MS;
    int n = 0;
    for (int p = 0; p < 128; p++) {
      if (sounding[p] && now - soundingSince[p] > limit + RELEASE_MARGIN_NANOS) {
        noteOff(now + outputLead, p);
        forcedOff.increment();
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- preset switch

  private int swapPresetIfReady(long now) {
    if (switcher == null) {
      return 0;
    }
    PresetSwitcher.Ready r = switcher.poll();
    if (r == null) {
      return 0;
    }
    stopPlaying(now);
    // Catch the new state up with what was played while it loaded.
    long missed = Math.min(historyCount - r.warmedTokens(), HISTORY);
    for (long i = historyCount - missed; i < historyCount; i++) {
      r.stepper().step(r.state(), history[(int) (i % HISTORY)], r.logits());
    }
    LstmStepper old = stepper;
    install(r.preset(), r.stepper(), r.state(), r.logits());
    switcher.retire(old);
    presetSwitches.increment();
    return 1;
  }

  private void install(Preset p, LstmStepper s, LstmState state, float[] logits) {
    boolean sameShape = snapshots != null && live.layers() == state.layers()
        && live.hiddenSize() == state.hiddenSize();
    stepper = s;
    if (!sameShape) {
      live = s.newState();
      gen = s.newState();
      snapshots = new LstmState[SNAPSHOTS];
      for (int i = 0; i < SNAPSHOTS; i++) {
        snapshots[i] = s.newState();
      }
    }
    live.copyFrom(state);
    System.arraycopy(logits, 0, liveLogits, 0, VOCAB_SIZE);
    if (outChannel != 0 && outChannel != p.outputChannel()) {
      // Notes are released on the old channel before it changes (stopPlaying did that already).
      releaseThru(clock.nanoTime());
    }
    preset = p;
    outChannel = p.outputChannel();
    temperature = (float) p.temperature();
    // A learned controller stays learned across preset switches.
    temperatureCc = learned == Learn.TEMPERATURE ? learnedCc : p.temperatureCc();
    panicCc = learned == Learn.PANIC ? learnedCc : p.panicCc();
    endOfPhraseCc = learned == Learn.END_OF_PHRASE ? learnedCc : p.endOfPhraseCc();
    presetCc = learned == Learn.PRESET ? learnedCc : p.presetCc();
  }
}
