package continuo.engine;

import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_STEPS;
import static continuo.encoding.PerformanceEncoding.VOCAB_SIZE;

import continuo.encoding.IncrementalEncoder;
import continuo.encoding.PerformanceEncoding;
import continuo.encoding.TokenSink;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import java.util.Arrays;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Listening: tells the model what the room heard, as it happens. Every note the player plays (and
 * every note of continuo's that was heard, after a roll-back) becomes tokens fed into the live
 * state through the same {@link IncrementalEncoder} training encodes with, so the model hears the
 * player exactly as it heard its corpus (absolute-time rounding, the order of a step's events, the
 * caps). Owns the playing model, the live state and its logits, what the player holds (keys and
 * the sustain pedal, some of it perhaps excused from holding up an answer) and the recent token
 * history a preset switch warms its new model with. Engine thread only; allocation free except
 * {@link #recentHistory()}.
 *
 * <p>The model hears in model time: {@link #modelNanos} converts the player's clock through the
 * {@link Timekeeper}'s time warp (the identity for a model without a reference tempo) before the
 * encoder sees it, and every time kept here ({@link #lastEventNanos}) is model time. A step's
 * events reach the model once the step is over ({@link #advance}), at most a step and a half
 * after they happened.
 */
final class Listener {
  static final long MS = 1_000_000L;
  static final long SHIFT_NANOS = IncrementalEncoder.STEP_NANOS;
  /**
   * Silence (no note of the player's sounding) longer than this is told to the model as this long:
   * nothing changes after it.
   */
  private static final int MAX_GAP_STEPS = 3 * TIME_SHIFT_STEPS;
  /** Input stamped this long before it reaches the engine still falls into its own step. */
  private static final long INPUT_LAG_NANOS = SHIFT_NANOS;
  private static final int HISTORY = 512;

  private final AtomicCounter notesIn;
  private final Timekeeper time;
  private final TokenSink tell = this::tell;
  private final IncrementalEncoder encoder = new IncrementalEncoder(tell, MAX_GAP_STEPS);
  private LstmStepper stepper;
  private LstmState live;
  private final float[] logits = new float[VOCAB_SIZE];
  private int playerVelocityBin = -1;
  private final int[] history = new int[HISTORY];
  private long historyCount;
  private int playerHeld;
  /** Held keys (channel * 128 + pitch) that no longer hold up an answer: {@link #excuseHeld}. */
  private final boolean[] excused = new boolean[16 * 128];
  private int excusedHeld;
  private boolean pedalDown;
  private boolean pedalExcused;

  /** A listener whose model time is the player's (no tempo, no warp). */
  Listener(long startNanos, AtomicCounter notesIn) {
    this(startNanos, notesIn, new Timekeeper());
  }

  /** A listener that converts the player's time to model time through {@code time}. */
  Listener(long startNanos, AtomicCounter notesIn, Timekeeper time) {
    this.time = time;
    this.notesIn = notesIn;
    encoder.startAt(modelNanos(startNanos), -1);
  }

  /** The timekeeper whose time warp converts the player's time to the model's. */
  Timekeeper time() {
    return time;
  }

  /** Makes {@code s} the playing model, its live state a copy of {@code state}. */
  void install(LstmStepper s, LstmState state, float[] stateLogits) {
    if (live == null || live.layers() != state.layers()
        || live.hiddenSize() != state.hiddenSize()) {
      live = s.newState();
    }
    stepper = s;
    live.copyFrom(state);
    System.arraycopy(stateLogits, 0, logits, 0, VOCAB_SIZE);
  }

  /** The player's clock to the model's, through the timekeeper's time warp. */
  private long modelNanos(long playerNanos) {
    return time.toModel(playerNanos);
  }

  /**
   * The player pressed {@code pitch} on {@code channel} (0..15, as in the status byte); a second
   * press of a held key first ends the held note.
   */
  void noteOn(long t, int channel, int pitch, int velocity) {
    notesIn.increment();
    if (!encoder.holds(channel, pitch)) {
      playerHeld++;
    } else {
      unexcuse(channel, pitch); // pressed again: held for real
    }
    encoder.noteOn(channel, pitch, velocity, modelNanos(t));
    playerVelocityBin = PerformanceEncoding.binOfVelocity(velocity);
  }

  /**
   * The player released {@code pitch} on {@code channel}. False (and nothing told) for a note-off
   * of a note never heard to start: it says nothing.
   */
  boolean noteOff(long t, int channel, int pitch) {
    if (!encoder.noteOff(channel, pitch, modelNanos(t))) {
      return false;
    }
    playerHeld--;
    unexcuse(channel, pitch);
    return true;
  }

  private void unexcuse(int channel, int pitch) {
    if (excused[channel * 128 + pitch]) {
      excused[channel * 128 + pitch] = false;
      excusedHeld--;
    }
  }

  /** The player's sustain pedal on {@code channel} went down or up. */
  void sustain(long t, int channel, boolean down) {
    encoder.sustain(channel, down, modelNanos(t));
  }

  /**
   * Ends every note the player holds (or sustains with the pedal), in the model only; true when
   * there was any.
   */
  boolean releaseHeldNotes(long t) {
    playerHeld = 0;
    Arrays.fill(excused, false);
    excusedHeld = 0;
    return encoder.releaseAll(modelNanos(t));
  }

  /**
   * Lifts the sustain pedal on every channel, in the model and for turn taking (its release may
   * have been lost); true when it was down.
   */
  boolean liftPedal(long t) {
    for (int channel = 0; channel < 16; channel++) {
      encoder.sustain(channel, false, modelNanos(t));
    }
    return pedal(false);
  }

  /** The sustain pedal went down or up; true when that changed it. */
  boolean pedal(boolean down) {
    if (down == pedalDown) {
      return false;
    }
    pedalDown = down;
    pedalExcused = false;
    return true;
  }

  /**
   * What the player holds now (keys and the pedal) no longer holds up an answer; a key pressed or
   * the pedal put down later does again. The model is told nothing: the keys may really be down
   * (a pad continuo may answer over) or their note-offs lost.
   */
  void excuseHeld() {
    for (int channel = 0; channel < 16; channel++) {
      for (int p = 0; p < 128; p++) {
        if (encoder.holds(channel, p) && !excused[channel * 128 + p]) {
          excused[channel * 128 + p] = true;
          excusedHeld++;
        }
      }
    }
    pedalExcused = pedalDown;
  }

  /** Whether the player holds a key or the pedal that holds up an answer. */
  boolean holding() {
    return playerHeld > excusedHeld || (pedalDown && !pedalExcused);
  }

  /** Keys the player holds down. */
  int playerHeld() {
    return playerHeld;
  }

  boolean pedalDown() {
    return pedalDown;
  }

  /** The clock reached {@code now}: the steps that are over are told. */
  void advance(long now) {
    encoder.advance(modelNanos(now) - INPUT_LAG_NANOS);
  }

  /** Tells every event still held back, before the live state is used. */
  void flush() {
    encoder.flush();
  }

  /**
   * Tells the model the time from the last event told to {@code t} (player time; what the player
   * played first), so that the tokens {@link #tell} feeds next happen then.
   */
  void tellTime(long t) {
    encoder.tellTime(modelNanos(t));
  }

  /** Feeds one token into the live state. */
  void tell(int token) {
    stepper.step(live, token, logits);
    history[(int) (historyCount++ % HISTORY)] = token;
  }

  /**
   * Roll-back: what was heard of an answer becomes the live state ({@code heard}, the look-ahead's
   * snapshot after the last event released, which happened at {@code heardNanos} of model time,
   * when the last VELOCITY the model had heard was {@code heardBin}).
   */
  void adopt(LstmState heard, float[] heardLogits, int heardBin, long heardNanos) {
    encoder.startAt(heardNanos, heardBin);
    live.copyFrom(heard);
    System.arraycopy(heardLogits, 0, logits, 0, VOCAB_SIZE);
  }

  /** A gap in 10 ms TIME_SHIFT steps, rounded, capped at three seconds. */
  static long shiftSteps(long gapNanos) {
    return gapNanos <= 0 ? 0 : Math.min(MAX_GAP_STEPS, (gapNanos + SHIFT_NANOS / 2) / SHIFT_NANOS);
  }

  /** Catches a freshly loaded model up with what was played while it loaded. */
  void catchUp(PresetSwitcher.Ready r) {
    long missed = Math.min(historyCount - r.warmedTokens(), HISTORY);
    for (long i = historyCount - missed; i < historyCount; i++) {
      r.stepper().step(r.state(), history[(int) (i % HISTORY)], r.logits());
    }
  }

  /** The last tokens told, oldest first (allocates: for a preset switch, not steady state). */
  int[] recentHistory() {
    int n = (int) Math.min(HISTORY, historyCount);
    int[] copy = new int[n];
    for (int i = 0; i < n; i++) {
      copy[i] = history[(int) ((historyCount - n + i) % HISTORY)];
    }
    return copy;
  }

  long historyCount() {
    return historyCount;
  }

  LstmStepper stepper() {
    return stepper;
  }

  LstmState state() {
    return live;
  }

  float[] logits() {
    return logits;
  }

  /** When the last event the model was told of happened, on the 10 ms grid (model time). */
  long lastEventNanos() {
    return encoder.toldNanos();
  }

  /** The bin of the last VELOCITY the live state heard, or -1 before any. */
  int toldVelocityBin() {
    return encoder.velocityBin();
  }

  /** The velocity bin of the player's last note, or -1 before any. */
  int lastVelocityBin() {
    return playerVelocityBin;
  }
}
