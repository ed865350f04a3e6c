package continuo.sample;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.steer.LogitBias;
import java.util.Arrays;

/**
 * Continues a token sequence offline: primes a model state with a sequence, then samples tokens
 * until a given stretch of musical time has been generated. Only musically valid tokens are
 * sampled: a NOTE_OFF only for a sounding pitch, a NOTE_ON only for a silent one, so that what the
 * model is fed is exactly what a listener hears. With a note-length limit, a note that reaches it is
 * released (the model is told so); the key, register and density of {@link #bias()} steer every
 * step: the rules of {@link Playability}, which the live engine shares. Single-threaded.
 */
public final class Generator {
  private static final long MS = 1_000_000L;
  private final LstmStepper stepper;
  private final Sampler sampler;
  private final LstmState state;
  private final float[] logits;
  private final Playability playable = new Playability();
  /** The clock of everything fed, in ns (whole 10 ms steps). */
  private long clockNanos;
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

  /** The steering (key, register, density) applied to every step; none until it is set. */
  public LogitBias bias() {
    return playable.bias();
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
    playable.setLimits(128, millis >= Long.MAX_VALUE / MS ? Playability.NO_LENGTH_LIMIT
        : millis * MS);
  }

  /** Feeds {@code tokens} from the zero state; afterwards the model predicts what comes next. */
  public void prime(int[] tokens) {
    if (tokens.length == 0) {
      throw new IllegalArgumentException("nothing to prime with: the primer has no events");
    }
    state.reset();
    playable.clear();
    clockNanos = 0;
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
   * @throws NonFiniteLogitsException when the model's scores stop being finite numbers
   */
  public int[] continueFor(long millis, float temperature, float topP, int maxTokens) {
    if (!primed) {
      throw new IllegalStateException("prime() must come before continueFor()");
    }
    int[] out = new int[4096];
    int n = 0;
    long elapsed = 0;
    while (elapsed < millis && n < maxTokens) {
      int token = playable.overdueNoteOff(clockNanos);
      if (token < 0) {
        playable.mask(logits);
        token = sampler.sample(logits, temperature, topP);
        if (token == Sampler.NOT_FINITE) {
          throw new NonFiniteLogitsException(stepper.config().name(), n);
        }
        token = playable.shorten(token, clockNanos);
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
      if (playable.sounding(pitch)) {
        int off = PerformanceEncoding.noteOff(pitch);
        out[n++] = off;
        track(off);
        stepper.step(state, off, logits);
      }
    }
    return Arrays.copyOf(out, n);
  }

  private void track(int token) {
    playable.played(token, clockNanos);
    if (PerformanceEncoding.isTimeShift(token)) {
      clockNanos += PerformanceEncoding.shiftMillis(token) * MS;
    }
  }
}
