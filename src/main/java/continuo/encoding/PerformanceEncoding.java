package continuo.encoding;

/**
 * The {@code performance} event vocabulary (Performance RNN order), V = 388. Fixed by the model
 * file contract:
 *
 * <pre>
 *   0..127   NOTE_ON(pitch)
 * 128..255   NOTE_OFF(pitch)
 * 256..355   TIME_SHIFT((k + 1) * 10 ms), k = 0..99
 * 356..387   VELOCITY(bin), 32 bins over MIDI velocity 1..127
 * </pre>
 *
 * Pure functions on ints; safe from any thread, allocation free.
 */
public final class PerformanceEncoding {
  private PerformanceEncoding() {}

  public static final int NOTE_ON = 0;
  public static final int NOTE_OFF = 128;
  public static final int TIME_SHIFT = 256;
  public static final int VELOCITY = 356;
  public static final int VOCAB_SIZE = 388;

  public static final int TIME_SHIFT_MS = 10;
  public static final int TIME_SHIFT_STEPS = 100;
  public static final int VELOCITY_BINS = 32;
  /** The longest gap one TIME_SHIFT token carries: 1 s. */
  public static final int MAX_SHIFT_MS = TIME_SHIFT_MS * TIME_SHIFT_STEPS;

  public static int noteOn(int pitch) {
    return NOTE_ON + checkPitch(pitch);
  }

  public static int noteOff(int pitch) {
    return NOTE_OFF + checkPitch(pitch);
  }

  /** TIME_SHIFT of {@code steps} x 10 ms, 1 <= steps <= 100. */
  public static int timeShift(int steps) {
    if (steps < 1 || steps > TIME_SHIFT_STEPS) {
      throw new IllegalArgumentException("time shift steps must be 1..100, got " + steps);
    }
    return TIME_SHIFT + steps - 1;
  }

  public static int velocity(int bin) {
    if (bin < 0 || bin >= VELOCITY_BINS) {
      throw new IllegalArgumentException("velocity bin must be 0..31, got " + bin);
    }
    return VELOCITY + bin;
  }

  public static boolean isNoteOn(int token) {
    return token >= NOTE_ON && token < NOTE_OFF;
  }

  public static boolean isNoteOff(int token) {
    return token >= NOTE_OFF && token < TIME_SHIFT;
  }

  public static boolean isTimeShift(int token) {
    return token >= TIME_SHIFT && token < VELOCITY;
  }

  public static boolean isVelocity(int token) {
    return token >= VELOCITY && token < VOCAB_SIZE;
  }

  /** The pitch of a NOTE_ON or NOTE_OFF token. */
  public static int pitch(int token) {
    return token < NOTE_OFF ? token - NOTE_ON : token - NOTE_OFF;
  }

  /** The milliseconds a TIME_SHIFT token advances the clock by (10..1000). */
  public static int shiftMillis(int token) {
    return (token - TIME_SHIFT + 1) * TIME_SHIFT_MS;
  }

  public static int velocityBin(int token) {
    return token - VELOCITY;
  }

  /** MIDI velocity 1..127 to bin 0..31 (0 is treated as 1). */
  public static int binOfVelocity(int midiVelocity) {
    int v = Math.max(1, Math.min(127, midiVelocity));
    return (v - 1) * VELOCITY_BINS / 127;
  }

  /** The MIDI velocity a bin plays back as: the middle of the bin's range. */
  public static int velocityOfBin(int bin) {
    int lo = (bin * 127 + VELOCITY_BINS - 1) / VELOCITY_BINS + 1;
    int hi = ((bin + 1) * 127 + VELOCITY_BINS - 1) / VELOCITY_BINS;
    return Math.max(1, Math.min(127, (lo + hi) / 2));
  }

  public static boolean isValid(int token) {
    return token >= 0 && token < VOCAB_SIZE;
  }

  private static int checkPitch(int pitch) {
    if (pitch < 0 || pitch > 127) {
      throw new IllegalArgumentException("pitch must be 0..127, got " + pitch);
    }
    return pitch;
  }
}
