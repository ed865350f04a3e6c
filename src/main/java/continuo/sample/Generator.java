package continuo.sample;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import java.util.Arrays;

/**
 * Continues a token sequence offline: primes a model state with a sequence, then samples tokens
 * until a given stretch of musical time has been generated. Only musically valid tokens are
 * sampled: a NOTE_OFF only for a sounding pitch, a NOTE_ON only for a silent one, so that what the
 * model is fed is exactly what a listener hears. With a note-length limit, a note that reaches it is
 * released (the model is told so), as the live engine does. Single-threaded.
 */
public final class Generator {
  private final LstmStepper stepper;
  private final Sampler sampler;
  private final LstmState state;
  private final float[] logits;
  private final boolean[] sounding = new boolean[128];
  /** When each sounding note started, in ms of the clock of everything fed. */
  private final long[] onsetMillis = new long[128];
  private long clockMillis;
  private long maxNoteMillis = Long.MAX_VALUE;
  private boolean primed;

  public Generator(LstmStepper stepper, long seed) {
    this.stepper = stepper;
    this.sampler = new Sampler(seed, stepper.config().vocabSize());
    this.state = stepper.newState();
    this.logits = new float[stepper.config().vocabSize()];
  }

  /**
   * A bound on the events sampled for {@code millis} of music, so that a model that never moves the
   * clock cannot run forever: ten events per 10 ms time step, far beyond any real performance.
   */
  public static int maxTokensFor(long millis) {
    long steps = millis / PerformanceEncoding.TIME_SHIFT_MS + 1;
    return (int) Math.min(10_000_000L, steps * 10 + 1000);
  }

  /**
   * No generated note (nor a primer note still sounding at its end) lasts longer than this: when it
   * would, the time step is cut short and the note released. Default: no limit.
   */
  public void setMaxNoteMillis(long millis) {
    if (millis < PerformanceEncoding.TIME_SHIFT_MS) {
      throw new IllegalArgumentException("a note-length limit must be at least "
          + PerformanceEncoding.TIME_SHIFT_MS + " ms, got " + millis);
    }
    maxNoteMillis = millis;
  }

  /** Feeds {@code tokens} from the zero state; afterwards the model predicts what comes next. */
  public void prime(int[] tokens) {
    if (tokens.length == 0) {
      throw new IllegalArgumentException("nothing to prime with: the primer has no events");
    }
    state.reset();
    Arrays.fill(sounding, false);
    clockMillis = 0;
    for (int i = 0; i < tokens.length - 1; i++) {
      stepper.advance(state, tokens[i]);
      track(tokens[i]);
    }
    stepper.step(state, tokens[tokens.length - 1], logits);
    track(tokens[tokens.length - 1]);
    primed = true;
  }

  /**
   * Samples a continuation covering {@code millis} of musical time and returns its tokens, ending
   * with a NOTE_OFF for every note still sounding.
   *
   * @param maxTokens a bound on the number of sampled tokens, so a model that never advances the
   *     clock cannot loop forever
   */
  public int[] continueFor(long millis, float temperature, float topP, int maxTokens) {
    if (!primed) {
      throw new IllegalStateException("prime() must come before continueFor()");
    }
    int[] out = new int[4096];
    int n = 0;
    long elapsed = 0;
    while (elapsed < millis && n < maxTokens) {
      int token = overdueNote();
      if (token < 0) {
        maskInvalid();
        token = limitShift(sampler.sample(logits, temperature, topP));
      }
      if (n + 128 >= out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      out[n++] = token;
      if (PerformanceEncoding.isTimeShift(token)) {
        elapsed += PerformanceEncoding.shiftMillis(token);
      }
      track(token);
      stepper.step(state, token, logits);
    }
    for (int pitch = 0; pitch < 128; pitch++) {
      if (sounding[pitch]) {
        int off = PerformanceEncoding.noteOff(pitch);
        out[n++] = off;
        track(off);
        stepper.step(state, off, logits);
      }
    }
    return Arrays.copyOf(out, n);
  }

  private void maskInvalid() {
    for (int pitch = 0; pitch < 128; pitch++) {
      if (sounding[pitch]) {
        logits[PerformanceEncoding.noteOn(pitch)] = Float.NEGATIVE_INFINITY;
      } else {
        logits[PerformanceEncoding.noteOff(pitch)] = Float.NEGATIVE_INFINITY;
      }
    }
  }

  /** The NOTE_OFF of a note that has reached the length limit, or -1. */
  private int overdueNote() {
    for (int pitch = 0; pitch < 128; pitch++) {
      if (sounding[pitch] && clockMillis - onsetMillis[pitch] >= maxNoteMillis) {
        return PerformanceEncoding.noteOff(pitch);
      }
    }
    return -1;
  }

  /** A time step cut short where it would carry a sounding note past the length limit. */
  private int limitShift(int token) {
    if (!PerformanceEncoding.isTimeShift(token) || maxNoteMillis == Long.MAX_VALUE) {
      return token;
    }
    long left = Long.MAX_VALUE;
    for (int pitch = 0; pitch < 128; pitch++) {
      if (sounding[pitch]) {
        left = Math.min(left, onsetMillis[pitch] + maxNoteMillis - clockMillis);
      }
    }
    int shift = PerformanceEncoding.shiftMillis(token);
    if (left >= shift) {
      return token;
    }
    long steps = Math.max(1, left / PerformanceEncoding.TIME_SHIFT_MS);
    return PerformanceEncoding.timeShift((int) steps);
  }

  private void track(int token) {
    if (PerformanceEncoding.isTimeShift(token)) {
      clockMillis += PerformanceEncoding.shiftMillis(token);
    } else if (PerformanceEncoding.isNoteOn(token)) {
      sounding[PerformanceEncoding.pitch(token)] = true;
      onsetMillis[PerformanceEncoding.pitch(token)] = clockMillis;
    } else if (PerformanceEncoding.isNoteOff(token)) {
      sounding[PerformanceEncoding.pitch(token)] = false;
    }
  }
}
