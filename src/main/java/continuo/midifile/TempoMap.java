package continuo.midifile;

import java.util.Arrays;

/**
 * The clock of a MIDI file: ticks to microseconds and back, and the tempo at any time. Built from
 * the file's time division and its tempo changes (120 bpm until the first one); an SMPTE division
 * (frames per second, ticks per frame) has a fixed tick length and ignores tempo changes.
 * Immutable; safe from any thread.
 */
public final class TempoMap {
  /** The tempo of a file until its first tempo change: 120 bpm. */
  public static final int DEFAULT_TEMPO = 500_000;

  private final int division;
  private final long[] ticks;
  private final int[] tempo;
  private final double[] micros;
  private final int ppq;
  private final double smpteMicrosPerTick;

  /**
   * {@code division} as in the file's header; {@code changeTicks} ascending with
   * {@code changeTempos} (microseconds per quarter, above 0): of several changes at one tick, the
   * last counts.
   */
  public TempoMap(int division, long[] changeTicks, int[] changeTempos) {
    if (division <= 0 || division > 0xFFFF || changeTicks.length != changeTempos.length) {
      throw new IllegalArgumentException("division " + division + ", " + changeTicks.length
          + " change ticks, " + changeTempos.length + " tempos");
    }
    this.division = division;
    if ((division & 0x8000) != 0) {
      int fps = -(byte) (division >> 8);
      int perFrame = division & 0xFF;
      smpteMicrosPerTick = 1e6 / (Math.max(1, fps == 29 ? 29.97 : fps) * Math.max(1, perFrame));
      ppq = 1;
    } else {
      smpteMicrosPerTick = 0;
      ppq = division;
    }
    long[] t = new long[changeTicks.length + 1];
    int[] q = new int[changeTicks.length + 1];
    q[0] = DEFAULT_TEMPO;
    int n = 1;
    for (int i = 0; i < changeTicks.length; i++) {
      if (changeTempos[i] <= 0 || changeTicks[i] < t[n - 1]) {
        throw new IllegalArgumentException("tempo change " + i + ": " + changeTempos[i]
            + " us per quarter at tick " + changeTicks[i]);
      }
      if (changeTicks[i] != t[n - 1]) {
        n++;
      }
      t[n - 1] = changeTicks[i];
      q[n - 1] = changeTempos[i];
    }
    ticks = Arrays.copyOf(t, n);
    tempo = Arrays.copyOf(q, n);
    micros = new double[n];
    for (int i = 1; i < n; i++) {
      micros[i] = micros[i - 1] + (ticks[i] - ticks[i - 1]) * (double) tempo[i - 1] / ppq;
    }
  }

  /** One tempo for the whole piece, {@code ppq} ticks per quarter note. */
  public static TempoMap constant(int ppq, int microsPerQuarter) {
    if (ppq <= 0 || ppq >= 0x8000) {
      throw new IllegalArgumentException("ticks per quarter must be 1..32767, got " + ppq);
    }
    return new TempoMap(ppq, new long[] {0}, new int[] {microsPerQuarter});
  }

  /** The time division as a MIDI file header holds it. */
  public int division() {
    return division;
  }

  public boolean isSmpte() {
    return smpteMicrosPerTick > 0;
  }

  /** The time of {@code tick}, exact to the microsecond (rounded). */
  public long micros(long tick) {
    return Math.round(exactMicros(tick));
  }

  /** The tick nearest to {@code micros} (the inverse of {@link #micros}). */
  public long tick(long micros) {
    if (micros <= 0) {
      return 0;
    }
    if (isSmpte()) {
      return Math.round(micros / smpteMicrosPerTick);
    }
    int i = Arrays.binarySearch(this.micros, micros);
    if (i < 0) {
      i = -i - 2;
    }
    return ticks[i] + Math.round((micros - this.micros[i]) * ppq / tempo[i]);
  }

  /** Microseconds per quarter note at {@code micros} from the start (for SMPTE files, 120 bpm). */
  public int tempoAt(long micros) {
    if (isSmpte()) {
      return DEFAULT_TEMPO;
    }
    int i = Arrays.binarySearch(this.micros, micros);
    return tempo[i < 0 ? -i - 2 : i];
  }

  /** Beats per minute at {@code micros} from the start. */
  public double bpmAt(long micros) {
    return 60e6 / tempoAt(micros);
  }

  /** Number of tempo segments: the first starts at tick 0. */
  public int segments() {
    return ticks.length;
  }

  public long segmentTick(int i) {
    return ticks[i];
  }

  public int segmentTempo(int i) {
    return tempo[i];
  }

  private double exactMicros(long tick) {
    if (isSmpte()) {
      return tick * smpteMicrosPerTick;
    }
    int i = Arrays.binarySearch(ticks, tick);
    if (i < 0) {
      i = -i - 2;
    }
    return micros[i] + (tick - ticks[i]) * (double) tempo[i] / ppq;
  }
}
