package continuo.engine;

import continuo.encoding.IncrementalEncoder;
import continuo.encoding.TokenSink;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import java.util.Arrays;

/**
 * Which metrical level of the beat tracker's tempo the model should hear the player at, chosen by
 * asking the model. The tracker's beat is its guess (a reel at 180 bpm in eighths has the onsets of
 * one at 90 in sixteenths, and a jig's dotted-quarter beat is two thirds of its written quarter),
 * so each candidate tempo L = B * 2^a * 3^b (b in -1..1) of the tracker's B within 2.5 times of
 * the model's reference tempo R either way is tried: the player's recent notes are warped at the
 * constant scale L / R, encoded as training encodes, and the model, from a fresh state, is asked how
 * surprised it is. The level taken minimises
 *
 * <pre>  nll / notes + LAMBDA * (ln(r * 60 / L / D))^2 + KAPPA * [b != 0]</pre>
 *
 * where nll is the model's summed surprise (nats), r the player's onset rate (onsets per second,
 * chords as one, pauses of over {@link #PAUSE} median gaps left out) and D the model's onsets per
 * beat at R ({@code encoding.onsets_per_beat}; the term is left out for a model without it), less
 * {@link #HYSTERESIS} for the level heard before. The surprise tells a jig from a reel, which a
 * density cannot; the density keeps a piano model, which finds most music likeliest heard slow, at
 * the written level; the third term keeps to the tracker's octaves unless the model is clearly
 * surer of a third. Measured on every tenth Nottingham tune and every 25th POP909 song, 8 bars
 * at 0.67x, 1.0x and 1.5x of their written tempo ({@code LevelChoiceCorpusTest}): the written level
 * for 97/84/86 % of the tunes and 85/82/79 % of the songs, where the density alone over the
 * tracker's octaves found 82/65/55 % and 76/82/85 % (docs/tempo.md).
 *
 * <p>Not thread safe: one thread (the {@link LevelJudge}'s, or {@code generate}'s) owns it.
 * Allocation free after construction, but for a window larger than any before.
 */
public final class LevelChoice {
  /** The weight of the onset density's term. */
  static final double LAMBDA = 7;
  /** The cost of a level a third (not an octave) away from the tracker's. */
  static final double KAPPA = 1.5;
  /** How much cheaper (nats per note) the level heard before is: it is kept when in doubt. */
  static final double HYSTERESIS = 0.3;
  /** Candidates lie within this factor of the reference tempo, either way. */
  static final double RANGE = 2.5;
  /** Note-ons within this of the first of a chord are one onset. */
  static final long CHORD_NANOS = 30_000_000L;
  /** A gap over this many times the median gap between onsets is a pause, not rhythm. */
  static final long PAUSE = 4;

  /** The player's recent note events, oldest first: what the model is asked about. */
  public static final class Window {
    final long[] nanos;
    /** Per event: channel << 16 | pitch << 8 | velocity (0: a note-off). */
    final int[] events;
    int count;

    public Window(int capacity) {
      nanos = new long[capacity];
      events = new int[capacity];
    }

    /** Adds an event (in time order); false when the window is full. */
    public boolean add(long t, int channel, int pitch, int velocity) {
      if (count == nanos.length) {
        return false;
      }
      nanos[count] = t;
      events[count++] = channel << 16 | pitch << 8 | velocity;
      return true;
    }

    public void clear() {
      count = 0;
    }

    public int size() {
      return count;
    }

    public int capacity() {
      return nanos.length;
    }

    void copyFrom(Window w) {
      System.arraycopy(w.nanos, 0, nanos, 0, w.count);
      System.arraycopy(w.events, 0, events, 0, w.count);
      count = w.count;
    }
  }

  private final LstmStepper stepper;
  private final LstmState state;
  private final float[] logits;
  private final TokenSink surprise = this::surprise;
  private final IncrementalEncoder encoder =
      new IncrementalEncoder(surprise, IncrementalEncoder.UNCAPPED);
  private double nll;
  private boolean first;
  private long[] gaps = new long[0];
  private final double[] levels = new double[3 * 11];
  private final double[] costs = new double[3 * 11];

  /** Asks {@code stepper}'s model; the stepper is this choice's alone. */
  public LevelChoice(LstmStepper stepper) {
    this.stepper = stepper;
    this.state = stepper.newState();
    this.logits = new float[stepper.config().vocabSize()];
  }

  public LstmStepper stepper() {
    return stepper;
  }

  /**
   * The tempo the model hears {@code w} at best: one of the candidates of {@code trackerBpm}, as
   * the class says, for a model whose reference tempo is {@code referenceBpm} and whose onsets per
   * beat there are {@code onsetsPerBeat} (0 or NaN: unknown); the candidate within 5 % of
   * {@code current} (the level heard before, or NaN) costs {@link #HYSTERESIS} less. NaN when the
   * window has fewer than two note-ons or the tracker has no tempo.
   */
  public double choose(Window w, double trackerBpm, double referenceBpm, double onsetsPerBeat,
      double current) {
    int notes = 0;
    for (int i = 0; i < w.count; i++) {
      notes += (w.events[i] & 0xFF) > 0 ? 1 : 0;
    }
    if (notes < 2 || !(trackerBpm > 0) || !(referenceBpm > 0)) {
      return Double.NaN;
    }
    double rate = onsetsPerSecond(w);
    boolean density = onsetsPerBeat > 0 && rate > 0;
    int n = 0;
    for (int b = -1; b <= 1; b++) {
      for (int a = -5; a <= 5; a++) {
        double level = trackerBpm * Math.pow(2, a) * Math.pow(3, b);
        if (level < referenceBpm / RANGE || level > referenceBpm * RANGE || level < 20
            || level > 400) {
          continue;
        }
        double cost = 0;
        if (density) {
          double d = Math.log(rate * 60 / level / onsetsPerBeat);
          cost += LAMBDA * d * d;
        }
        cost += b != 0 ? KAPPA : 0;
        if (Math.abs(Math.log(level / current)) < 0.05) {
          cost -= HYSTERESIS;
        }
        levels[n] = level;
        costs[n] = cost + surprise(w, level / referenceBpm) / notes;
        n++;
      }
    }
    return n == 0 ? Double.NaN : levels[lowest(n, -1)];
  }

  /** The index of the lowest of the first {@code n} costs, leaving out {@code except}. */
  private int lowest(int n, int except) {
    int best = -1;
    for (int i = 0; i < n; i++) {
      if (i != except && (best < 0 || costs[i] < costs[best])) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The model's summed surprise (nats) at {@code w} with its times scaled by {@code scale}. Times
   * are rounded to the 10 ms step as training rounds them, from an anchor that moves to every
   * onset landing within a quarter step of the grid: the tracker's tempo is a fraction of a
   * percent off, and over a window of 20 s that would move notes played exactly on the beat off
   * it by several steps (which a model trained on exact notes is surprised by), while notes off
   * the grid (a dotted rhythm's short note at 12.5 steps) keep the rounding training gave them.
   */
  double surprise(Window w, double scale) {
    state.reset();
    nll = 0;
    first = true;
    encoder.startAt(0, -1);
    long step = IncrementalEncoder.STEP_NANOS;
    long anchorPlayer = w.count > 0 ? w.nanos[0] : 0;
    long anchorModel = 0;
    long t = 0;
    for (int i = 0; i < w.count; i++) {
      // A tenth of a step later: a note exactly half a step off the grid (a 16th at 120 bpm is
      // 12.5 steps) rounds up as training rounds it even when the tempo is a hair slow.
      t = anchorModel + Math.round((w.nanos[i] - anchorPlayer) * scale) + step / 10;
      long grid = Math.floorDiv(t + step / 2, step) * step; // as the encoder rounds t
      int e = w.events[i];
      int channel = e >>> 16 & 0x0F;
      int pitch = e >>> 8 & 0x7F;
      int velocity = e & 0xFF;
      if (velocity > 0) {
        if (Math.abs(t - grid) < step / 4) {
          anchorPlayer = w.nanos[i];
          anchorModel = grid;
        }
        encoder.noteOn(channel, pitch, velocity, t);
      } else {
        encoder.noteOff(channel, pitch, t);
      }
    }
    encoder.releaseAll(t);
    encoder.flush();
    return nll;
  }

  /** Feeds a token, adding its surprise given what came before (the first token's is not counted). */
  private void surprise(int token) {
    if (!first) {
      float max = Float.NEGATIVE_INFINITY;
      for (float l : logits) {
        max = Math.max(max, l);
      }
      double sum = 0;
      for (float l : logits) {
        sum += Math.exp(l - max);
      }
      nll += max + Math.log(sum) - logits[token];
    }
    first = false;
    stepper.step(state, token, logits);
  }

  /**
   * Onsets per second in {@code w}, chords as one, leaving out pauses (gaps over
   * {@link #PAUSE} times the median gap, so that it is the same whatever level the tracker counts).
   */
  double onsetsPerSecond(Window w) {
    if (gaps.length < w.count) {
      gaps = new long[w.nanos.length];
    }
    long last = Long.MIN_VALUE;
    int n = 0;
    for (int i = 0; i < w.count; i++) {
      if ((w.events[i] & 0xFF) == 0) {
        continue;
      }
      long t = w.nanos[i];
      if (last != Long.MIN_VALUE) {
        if (t - last <= CHORD_NANOS) {
          continue;
        }
        gaps[n++] = t - last;
      }
      last = t;
    }
    if (n == 0) {
      return Double.NaN;
    }
    Arrays.sort(gaps, 0, n);
    long pause = PAUSE * gaps[n / 2];
    long sum = 0;
    int used = 0;
    for (int i = 0; i < n && gaps[i] <= pause; i++) {
      sum += gaps[i];
      used++;
    }
    return sum <= 0 ? Double.NaN : used * 1e9 / sum;
  }
}
