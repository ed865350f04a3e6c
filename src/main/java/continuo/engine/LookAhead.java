package continuo.engine;

import static continuo.encoding.PerformanceEncoding.NOTE_OFF;
import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_STEPS;
import static continuo.encoding.PerformanceEncoding.VOCAB_SIZE;

import continuo.encoding.PerformanceEncoding;
import continuo.midi.MidiMessage;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.preset.Preset;
import continuo.sample.Playability;
import continuo.sample.Sampler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Look-ahead: while continuo answers, samples the answer a short window ahead of the clock into the
 * output gate's schedule. Runs a copy of the live state forward, and keeps a snapshot of that state
 * after every scheduled note event, so that when the player barges in the live state rolls back to
 * exactly what was heard ({@link #commitHeard}). What may be played next is {@link Playability}'s
 * rule, steered by {@link Steering}'s key, register and density, with the notes the player's echo
 * holds added; {@link Steering} also gives each note its velocity. Engine thread only; allocation
 * free.
 *
 * <p>The look-ahead runs in model time ({@code genNanos}, the model's TIME_SHIFTs summed); each
 * event is scheduled at the player's time the {@link Timekeeper}'s time warp maps it to, so the
 * model's TIME_SHIFTs are played at the current tempo. Roll-back returns to model time too.
 */
final class LookAhead {
  static final int SNAPSHOTS = 128;
  private static final int MAX_PENDING = 96;
  private static final int TOKENS_PER_WORK = 4;
  private static final long MS = Listener.MS;

  private final NanoClock clock;
  private final TokenSampler sampler;
  private final Listener listener;
  private final OutputGate gate;
  private final Steering steering;
  private final Playability playable;
  private final AtomicCounter forcedOff;
  private final AtomicCounter nonFinite;

  private LstmStepper stepper;
  private LstmState gen;
  private final float[] logits = new float[VOCAB_SIZE];
  private LstmState[] snapshots;
  private final float[][] snapshotLogits = new float[SNAPSHOTS][VOCAB_SIZE];
  /** The model time of each snapshot's event as scheduled (the latency offset included). */
  private final long[] snapshotNanos = new long[SNAPSHOTS];
  /** The velocity bin the model last heard at each snapshot, so a roll-back knows it. */
  private final int[] snapshotBins = new int[SNAPSHOTS];
  private int heardBin = -1;

  private final Timekeeper time;
  private long genNanos;
  private long answerEndNanos;
  private boolean finished = true;
  /** The model's last VELOCITY token: the note's velocity is {@link Steering}'s from it. */
  private int velocityToken = PerformanceEncoding.velocity(PerformanceEncoding.binOfVelocity(80));
  private int events;
  private volatile long lastStepNanos;

  private long lookaheadNanos;
  private int maxPolyphony;
  private long maxNoteNanos;
  private long latencyOffsetNanos;
  private float topP;
  private float temperature = 1f;

  LookAhead(NanoClock clock, TokenSampler sampler, Listener listener, OutputGate gate,
      Steering steering, AtomicCounter forcedOff, AtomicCounter nonFinite) {
    this.clock = clock;
    this.steering = steering;
    this.playable = new Playability(steering.bias());
    this.sampler = sampler;
    this.listener = listener;
    this.time = listener.time();
    this.gate = gate;
    this.forcedOff = forcedOff;
    this.nonFinite = nonFinite;
  }

  /** Runs {@code s} from now on; new states only when its shape differs from the last model's. */
  void install(LstmStepper s) {
    LstmState shape = listener.state();
    if (gen == null || gen.layers() != shape.layers() || gen.hiddenSize() != shape.hiddenSize()) {
      gen = s.newState();
      snapshots = new LstmState[SNAPSHOTS];
      for (int i = 0; i < SNAPSHOTS; i++) {
        snapshots[i] = s.newState();
      }
    }
    stepper = s;
  }

  void use(Preset p) {
    lookaheadNanos = p.lookaheadMs() * MS;
    latencyOffsetNanos = p.latencyOffsetMs() * MS;
    topP = (float) p.topP();
    maxPolyphony = p.maxPolyphony();
    maxNoteNanos = p.maxNoteLengthMs() * MS;
    playable.setLimits(maxPolyphony, maxNoteNanos);
  }

  /**
   * The note-length limit is the player's time; notes are generated in model time, which runs
   * {@link Timekeeper#warpScale} times as fast: the limit follows the warp.
   */
  private void limitNotesAtTheCurrentTempo() {
    long limit = Math.max(Listener.SHIFT_NANOS, (long) (maxNoteNanos * time.warpScale()));
    playable.setLimits(maxPolyphony, limit);
  }

  /**
   * Starts an answer from what was heard: the look-ahead state catches up with the pause that led
   * here, and the first note comes no earlier than {@code earliest} (when the backend can still
   * place it; a negative latency offset moves it later by as much). Times are the player's.
   *
   * @param lengthNanos how long the answer may be, or {@code Long.MAX_VALUE} for no end
   * @return when the answer starts (model time)
   */
  long begin(long now, long earliest, long lengthNanos) {
    // Telling the events still held back takes model steps: the answer can start only after them.
    long flushStart = clock.nanoTime();
    listener.flush();
    long flushed = clock.nanoTime() - flushStart;
    now += flushed;
    earliest += flushed;
    gen.copyFrom(listener.state());
    System.arraycopy(listener.logits(), 0, logits, 0, VOCAB_SIZE);
    genNanos = listener.lastEventNanos();
    long pause = time.toModel(now) - genNanos;
    for (long steps = Listener.shiftSteps(pause); steps > 0; steps -= TIME_SHIFT_STEPS) {
      int s = (int) Math.min(TIME_SHIFT_STEPS, steps);
      stepper.step(gen, PerformanceEncoding.timeShift(s), logits);
      genNanos += s * Listener.SHIFT_NANOS;
    }
    genNanos = Math.max(genNanos, time.toModel(earliest - Math.min(0, latencyOffsetNanos)));
    answerEndNanos = lengthNanos == Long.MAX_VALUE ? Long.MAX_VALUE
        : time.toModel(time.toPlayer(genNanos) + lengthNanos);
    int bin = listener.lastVelocityBin();
    velocityToken = PerformanceEncoding.velocity(bin < 0 ? PerformanceEncoding.binOfVelocity(80)
        : bin);
    heardBin = listener.toldVelocityBin();
    finished = false;
    playable.clear();
    gate.forgetHeard();
    return genNanos;
  }

  /** True once the answer has no more to generate. */
  boolean finished() {
    return finished;
  }

  /** Generates up to a few tokens while they fall inside the window and nothing is due. */
  int generate(long now) {
    int done = 0;
    long horizon = time.toModel(now + lookaheadNanos);
    while (!finished && done < TOKENS_PER_WORK && genNanos < horizon
        && gate.pending() < MAX_PENDING && !gate.releaseDue(clock.nanoTime())) {
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
    limitNotesAtTheCurrentTempo();
    int token = playable.overdueNoteOff(genNanos);
    if (token >= 0) {
      forcedOff.increment();
    } else {
      playable.mask(logits);
      gate.maskEchoed(logits);
      token = sampler.sample(logits, temperature, topP);
      if (token == Sampler.NOT_FINITE) {
        // The model's arithmetic overflowed: nothing it says now means anything. End this answer.
        nonFinite.increment();
        endAnswer();
        return;
      }
      token = playable.shorten(token, genNanos);
    }
    stepper.step(gen, token, logits);
    if (PerformanceEncoding.isTimeShift(token)) {
      genNanos += PerformanceEncoding.shiftMillis(token) * MS;
    } else if (PerformanceEncoding.isVelocity(token)) {
      velocityToken = token;
      heardBin = PerformanceEncoding.velocityBin(token);
    } else {
      int p = PerformanceEncoding.pitch(token);
      boolean on = PerformanceEncoding.isNoteOn(token);
      playable.played(token, genNanos);
      schedule(on ? MidiMessage.of(MidiMessage.NOTE_ON, gate.outChannel(), p,
              steering.outputVelocity(velocityToken))
          : MidiMessage.of(MidiMessage.NOTE_OFF, gate.outChannel(), p, 0));
    }
  }

  /** The temperature the next tokens are sampled at (the controls set it). */
  void setTemperature(float t) {
    temperature = t;
  }

  /** Keeps the state after a note event and schedules the event with its snapshot's slot. */
  private void schedule(int msg) {
    int slot = events++ & (SNAPSHOTS - 1);
    snapshots[slot].copyFrom(gen);
    System.arraycopy(logits, 0, snapshotLogits[slot], 0, VOCAB_SIZE);
    snapshotBins[slot] = heardBin;
    long t = time.toPlayer(genNanos) + latencyOffsetNanos;
    snapshotNanos[slot] = time.toModel(t);
    gate.schedule(t, msg, slot);
  }

  /** The answer ends here: every generated note is closed at this moment. */
  private void endAnswer() {
    for (int p = 0; p < 128; p++) {
      if (playable.sounding(p)) {
        stepper.step(gen, NOTE_OFF + p, logits);
        playable.played(NOTE_OFF + p, genNanos);
        schedule(MidiMessage.of(MidiMessage.NOTE_OFF, gate.outChannel(), p, 0));
      }
    }
    finished = true;
  }

  /** Roll-back: what was generated and heard (up to the last event released) becomes live. */
  void commitHeard() {
    int slot = gate.heardSlot();
    if (slot >= 0) {
      listener.adopt(snapshots[slot], snapshotLogits[slot], snapshotBins[slot],
          snapshotNanos[slot]);
      gate.forgetHeard();
    }
  }

  /** Duration of the last generation step, for the status line (any thread). */
  long lastStepNanos() {
    return lastStepNanos;
  }

  /** The look-ahead state; tests only. */
  LstmState state() {
    return gen;
  }
}
