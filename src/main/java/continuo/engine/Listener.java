package continuo.engine;

import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_MS;
import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_STEPS;
import static continuo.encoding.PerformanceEncoding.VOCAB_SIZE;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Listening: tells the model what the room heard, as it happens. Every note the player plays (and
 * every note of continuo's that was heard, after a roll-back) becomes tokens fed into the live
 * state, preceded by TIME_SHIFTs for the time since the previous event. Owns the playing model,
 * the live state and its logits, the player's held notes and the recent token history a preset
 * switch warms its new model with. Engine thread only; allocation free except
 * {@link #recentHistory()}.
 *
 * <p>The model hears in model time: {@link #tellTime} converts the player's clock through the
 * {@link Timekeeper}'s time warp (the identity for a model without a reference tempo), and every
 * time kept here ({@link #lastEventNanos}) is model time.
 */
final class Listener {
  static final long MS = 1_000_000L;
  static final long SHIFT_NANOS = TIME_SHIFT_MS * MS;
  /** Silence longer than this is told to the model as this long: nothing changes after it. */
  private static final int MAX_GAP_STEPS = 3 * TIME_SHIFT_STEPS;
  private static final int HISTORY = 512;

  private final AtomicCounter notesIn;
  private final Timekeeper time;
  private LstmStepper stepper;
  private LstmState live;
  private final float[] logits = new float[VOCAB_SIZE];
  private long lastEventNanos;
  private int lastVelocityBin = -1;
  private final int[] history = new int[HISTORY];
  private long historyCount;
  private final boolean[] playerOn = new boolean[128];
  private int playerHeld;

  /** A listener whose model time is the player's (no tempo, no warp). */
  Listener(long startNanos, AtomicCounter notesIn) {
    this(startNanos, notesIn, new Timekeeper(startNanos));
  }

  /** A listener that converts the player's time to model time through {@code time}. */
  Listener(long startNanos, AtomicCounter notesIn, Timekeeper time) {
    this.time = time;
    this.lastEventNanos = time.toModel(startNanos);
    this.notesIn = notesIn;
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

  /** The player pressed {@code pitch}; a second press of a held key first ends the held note. */
  void noteOn(long t, int pitch, int velocity) {
    notesIn.increment();
    if (playerOn[pitch]) {
      tellTime(t);
      tell(PerformanceEncoding.noteOff(pitch));
      playerHeld--;
    }
    tellTime(t);
    int bin = PerformanceEncoding.binOfVelocity(velocity);
    if (bin != lastVelocityBin) {
      tell(PerformanceEncoding.velocity(bin));
      lastVelocityBin = bin;
    }
    tell(PerformanceEncoding.noteOn(pitch));
    playerOn[pitch] = true;
    playerHeld++;
  }

  /**
   * The player released {@code pitch}. False (and nothing told) for a note-off of a note never
   * heard to start: it says nothing.
   */
  boolean noteOff(long t, int pitch) {
    if (!playerOn[pitch]) {
      return false;
    }
    tellTime(t);
    tell(PerformanceEncoding.noteOff(pitch));
    playerOn[pitch] = false;
    playerHeld--;
    return true;
  }

  /** Ends every note the player holds, in the model only; true when there was any. */
  boolean releaseHeldNotes(long t) {
    boolean any = false;
    for (int p = 0; p < 128; p++) {
      any |= noteOff(t, p);
    }
    return any;
  }

  /** Keys the player holds down. */
  int playerHeld() {
    return playerHeld;
  }

  /** Tells the model the time from the last event told to {@code t} (player time). */
  void tellTime(long t) {
    long m = time.toModel(t);
    long dt = m - lastEventNanos;
    if (dt > 0) {
      for (long steps = shiftSteps(dt); steps > 0; steps -= TIME_SHIFT_STEPS) {
        tell(PerformanceEncoding.timeShift((int) Math.min(TIME_SHIFT_STEPS, steps)));
      }
      lastEventNanos = m;
    }
  }

  /** Feeds one token into the live state. */
  void tell(int token) {
    stepper.step(live, token, logits);
    history[(int) (historyCount++ % HISTORY)] = token;
  }

  /**
   * Roll-back: what was heard of an answer becomes the live state ({@code heard}, the look-ahead's
   * snapshot after the last event released, which happened at {@code heardNanos} of model time).
   */
  void adopt(LstmState heard, float[] heardLogits, long heardNanos) {
    live.copyFrom(heard);
    System.arraycopy(heardLogits, 0, logits, 0, VOCAB_SIZE);
    lastEventNanos = heardNanos;
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

  /** When the last event the model was told of happened, in model time. */
  long lastEventNanos() {
    return lastEventNanos;
  }

  /** The velocity bin of the player's last note, or -1 before any. */
  int lastVelocityBin() {
    return lastVelocityBin;
  }
}
