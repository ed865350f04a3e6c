package continuo.steer;

import continuo.encoding.PerformanceEncoding;

/**
 * Steers the model's next event by changing its logits in place, before sampling: a key (out-of-key
 * NOTE_ONs masked, or made less likely below full strength), a register (NOTE_ONs outside {@code
 * [low, high]} masked, or folded onto the same pitch class inside it), and a density (more or
 * fewer notes per second). Masks set a logit to -infinity, so the density bias never brings a
 * masked note back. Works on the {@code performance} vocabulary ({@link PerformanceEncoding}).
 *
 * <p>Single writer: the thread that samples (the live engine's, or a generator's) calls the
 * setters and {@link #apply}; a knob turned on another thread reaches it as a command the owner
 * drains. {@link #apply} allocates nothing.
 */
public final class LogitBias {
  public static final double MIN_DENSITY = 0.25;
  public static final double MAX_DENSITY = 4.0;
  /** A TIME_SHIFT of this many ms moves by ln(density); shorter ones proportionally less. */
  static final double DENSITY_SHIFT_MS = 500;
  /** Logits this far below the step's largest are not folded into the register. */
  static final float NEGLIGIBLE = 20f;
  /** NOTE_ONs move by this many times ln(density): measured on the folk model (docs/steering.md). */
  static final double NOTE_GAIN = 2.5;

  private int keyPitchClasses = 0xFFF;
  private boolean keyOn;
  private float keyPenalty = Float.POSITIVE_INFINITY;
  private double keyStrength = 1;
  private int low = 0;
  private int high = 127;
  private boolean fold;
  private float noteBias;
  private double density = 1;
  private final float[] shiftBias = new float[PerformanceEncoding.TIME_SHIFT_STEPS];

  /** No key, full register, density 1: {@link #apply} leaves the logits as they are. */
  public LogitBias() {}

  /** Steers towards {@code key} (null: no key). */
  public void setKey(Key key) {
    keyOn = key != null;
    keyPitchClasses = key == null ? 0xFFF : key.pitchClasses();
  }

  /**
   * How hard the key holds, 0..1. At 1 out-of-key NOTE_ONs are masked; below, their logits are
   * lowered by ln(1 / (1 - strength)), so at temperature 1 an out-of-key note is (1 - strength)
   * times as likely as the model wanted (0.5: half, 0.9: a tenth); 0 changes nothing.
   */
  public void setKeyStrength(double strength) {
    if (!(strength >= 0 && strength <= 1)) {
      throw new IllegalArgumentException("key_strength must be 0..1, got " + strength);
    }
    keyStrength = strength;
    keyPenalty = strength >= 1 ? Float.POSITIVE_INFINITY : (float) -Math.log1p(-strength);
  }

  /**
   * The register: NOTE_ONs below {@code low} or above {@code high} are never played. With {@code
   * fold}, a note the model wants outside is kept an octave (or more) inside: its probability is
   * added to the in-range note of the same pitch class nearest to it (see {@link #toRegister}).
   */
  public void setRange(int low, int high, boolean fold) {
    if (low < 0 || high > 127 || low > high) {
      throw new IllegalArgumentException(
          "pitch_range must be [low, high] with 0 <= low <= high <= 127, got [" + low + ", " + high
              + "]");
    }
    this.low = low;
    this.high = high;
    this.fold = fold;
  }

  /**
   * Notes per second relative to the model's own, 0.25..4: adds 2.5 ln(density) to every NOTE_ON
   * logit and takes ln(density) x (shift / 500 ms) from every TIME_SHIFT logit, so a busier
   * answer both starts notes sooner and waits less between them. On the folk model notes per
   * second rise monotonically with the knob, 8x from 0.25 to 4 here and 2.6x in the live engine
   * at 8 notes of polyphony (most of it below 1: the model keeps its beat grid, so above 1 it adds
   * notes slowly; docs/steering.md).
   */
  public void setDensity(double density) {
    if (!(density >= MIN_DENSITY && density <= MAX_DENSITY)) {
      throw new IllegalArgumentException("density must be 0.25..4, got " + density);
    }
    this.density = density;
    double log = Math.log(density);
    noteBias = (float) (NOTE_GAIN * log);
    for (int k = 0; k < shiftBias.length; k++) {
      int ms = (k + 1) * PerformanceEncoding.TIME_SHIFT_MS;
      shiftBias[k] = (float) (-log * ms / DENSITY_SHIFT_MS);
    }
  }

  public double density() {
    return density;
  }

  public double keyStrength() {
    return keyStrength;
  }

  /** Applies the density bias, then the key and the register, to {@code logits} in place. */
  public void apply(float[] logits) {
    if (noteBias != 0) {
      for (int p = 0; p < 128; p++) {
        logits[PerformanceEncoding.NOTE_ON + p] += noteBias;
      }
      for (int k = 0; k < shiftBias.length; k++) {
        logits[PerformanceEncoding.TIME_SHIFT + k] += shiftBias[k];
      }
    }
    if (keyOn && keyStrength > 0) {
      for (int p = 0; p < 128; p++) {
        if ((keyPitchClasses & (1 << (p % 12))) == 0) {
          logits[PerformanceEncoding.NOTE_ON + p] -= keyPenalty;
        }
      }
    }
    if (low > 0 || high < 127) {
      // A note under e^-20 of the likeliest event would never be drawn: not worth an exp and a log.
      float floor = fold ? max(logits) - NEGLIGIBLE : Float.POSITIVE_INFINITY;
      for (int p = 0; p < 128; p++) {
        if (p < low || p > high) {
          int t = PerformanceEncoding.NOTE_ON + p;
          if (fold && logits[t] > floor) {
            int target = toRegister(p);
            if (target >= 0) {
              logits[PerformanceEncoding.NOTE_ON + target] =
                  logAddExp(logits[PerformanceEncoding.NOTE_ON + target], logits[t]);
            }
          }
          logits[t] = Float.NEGATIVE_INFINITY;
        }
      }
    }
  }

  /**
   * {@code pitch} moved by whole octaves to the nearest pitch inside the register (itself when it
   * is inside), or -1 when the register holds no pitch of its class (a range under an octave).
   */
  public int toRegister(int pitch) {
    return toRegister(pitch, low, high);
  }

  /** As {@link #toRegister(int)}, for the register {@code [low, high]}. */
  public static int toRegister(int pitch, int low, int high) {
    if (pitch >= low && pitch <= high) {
      return pitch;
    }
    int p = pitch;
    if (p < low) {
      p += ((low - p + 11) / 12) * 12;
    } else {
      p -= ((p - high + 11) / 12) * 12;
    }
    return p >= low && p <= high ? p : -1;
  }

  private static float max(float[] logits) {
    float max = Float.NEGATIVE_INFINITY;
    for (float x : logits) {
      max = Math.max(max, x);
    }
    return max;
  }

  private static float logAddExp(float a, float b) {
    if (a == Float.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Float.NEGATIVE_INFINITY) {
      return a;
    }
    float max = Math.max(a, b);
    float gap = Math.min(a, b) - max;
    // Below e^-17 the smaller term does not change a float; Math.log is an intrinsic, log1p is not.
    return gap < -17f ? max : max + (float) Math.log(1.0 + Math.exp(gap));
  }
}
