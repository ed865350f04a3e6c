package continuo.encoding;

import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_MS;
import static continuo.encoding.PerformanceEncoding.TIME_SHIFT_STEPS;

import java.util.Arrays;

/**
 * The one way timed note events become {@code performance} tokens, offline ({@link EventEncoder})
 * and live (the engine's listener) alike. Times are nanoseconds of <em>model time</em>: the caller
 * converts the player's clock first (a tempo's time warp goes there).
 *
 * <p>The rules: every event time is rounded to the 10 ms grid on its own (absolute time, so
 * rounding never drifts: notes 14 ms apart become shifts of 10, 20, 10 ms); a note lasts at least
 * one step; channels merge into one stream, where a note of a pitch that is still sounding ends
 * the earlier one, and two notes of one pitch starting in the same step are one note, lasting the
 * longer, with the velocity of the one that came first; in each step NOTE_OFFs come before
 * NOTE_ONs, each by ascending pitch; a VELOCITY token precedes a NOTE_ON whenever the velocity bin
 * changes (the first NOTE_ON always has one); gaps become TIME_SHIFTs of at most 1 s each, and a
 * silence (no note told sounding) longer than the encoder's cap is told as the cap. Until {@link #startAt} the grid is
 * anchored at time 0 and the stream starts at the first event (leading silence is dropped).
 *
 * <p>To order the events of a step, the encoder holds them until the step is over: until an event
 * of a later step arrives, {@link #advance} says the clock passed it, or {@link #flush}. Events
 * must come in time order; a late one is placed in the earliest step still open.
 *
 * <p>Not thread safe: one owner (the engine thread live). Allocation free after construction.
 */
public final class IncrementalEncoder {
  /** One TIME_SHIFT step. */
  public static final long STEP_NANOS = TIME_SHIFT_MS * 1_000_000L;
  /** No cap on silence: every gap is told in full (training data). */
  public static final int UNCAPPED = Integer.MAX_VALUE;

  private static final long NONE = Long.MIN_VALUE;
  private static final int PITCHES = 128;
  private static final int CHANNELS = 16;

  private final TokenSink sink;
  private final int maxGapSteps;

  private boolean started;
  private long toldNanos;

  // Events held back until their step is over: at most two steps are ever open (a note that
  // ends in the step it started in ends one step later).
  private final long[] slotNanos = {NONE, NONE};
  private final boolean[][] offs = new boolean[2][PITCHES];
  private final boolean[][] ons = new boolean[2][PITCHES];
  private final int[][] onVelocity = new int[2][PITCHES];
  private final int[] slotEvents = new int[2];

  // One sounding note per pitch, merged from every channel (and every voice offline).
  private final int[] generation = new int[PITCHES];
  private final int[] members = new int[PITCHES];
  private final long[] onsetNanos = new long[PITCHES];
  private final long[] endNanos = new long[PITCHES];
  private final long[] pendingOffNanos = new long[PITCHES];

  // The generation of the pitch's note each channel's sounding note joined; 0 = not sounding.
  private final int[][] held = new int[CHANNELS][PITCHES];
  // Released while the channel's sustain pedal was down: sounding until the pedal lifts.
  private final boolean[][] sustained = new boolean[CHANNELS][PITCHES];
  private final boolean[] pedal = new boolean[CHANNELS];
  private int velocityBin = -1;
  /** Notes told on and not yet off: while any sounds, a gap is not silence and is not capped. */
  private int soundingTold;

  /**
   * @param maxGapSteps the longest silence told, in 10 ms steps ({@link #UNCAPPED} for none); a
   *     gap while a note sounds is told in full
   */
  public IncrementalEncoder(TokenSink sink, int maxGapSteps) {
    if (maxGapSteps < 1) {
      throw new IllegalArgumentException("the silence cap must be at least one step, got "
          + maxGapSteps);
    }
    this.sink = sink;
    this.maxGapSteps = maxGapSteps;
    Arrays.fill(pendingOffNanos, NONE);
  }

  /**
   * Anchors the grid at {@code nanos} and starts the model's clock there: the first event's gap is
   * told from it. Also used after a roll-back: what the model heard last happened at
   * {@code nanos}, and the last VELOCITY it heard was of bin {@code velocityBin} (-1: none or
   * unknown, so the next NOTE_ON brings one). Events still held are told first.
   */
  public void startAt(long nanos, int velocityBin) {
    flush();
    started = true;
    toldNanos = nanos;
    this.velocityBin = velocityBin;
  }

  /**
   * Channel {@code channel} (0..15) pressed {@code pitch} (velocity 1..127); a second press of a
   * sounding note (held or sustained) first ends it, as the file reader does.
   */
  public void noteOn(int channel, int pitch, int velocity, long nanos) {
    if (held[channel][pitch] != 0) {
      endNote(channel, pitch, nanos);
    }
    held[channel][pitch] = begin(pitch, velocity, nanos);
  }

  /**
   * Channel {@code channel} released {@code pitch}: the note ends, or sounds on while the
   * channel's sustain pedal is down. False (and nothing told) when the key was not down.
   */
  public boolean noteOff(int channel, int pitch, long nanos) {
    if (!holds(channel, pitch)) {
      return false;
    }
    if (pedal[channel]) {
      sustained[channel][pitch] = true;
    } else {
      endNote(channel, pitch, nanos);
    }
    return true;
  }

  /**
   * Channel {@code channel}'s sustain pedal (controller 64) went down or up; lifting it ends every
   * note it sustained, as the file reader does.
   */
  public void sustain(int channel, boolean down, long nanos) {
    if (pedal[channel] && !down) {
      for (int p = 0; p < PITCHES; p++) {
        if (sustained[channel][p]) {
          endNote(channel, p, nanos);
        }
      }
    }
    pedal[channel] = down;
  }

  /** Ends every note sounding, held or sustained; true when there was any. */
  public boolean releaseAll(long nanos) {
    boolean any = false;
    for (int channel = 0; channel < CHANNELS; channel++) {
      for (int p = 0; p < PITCHES; p++) {
        if (held[channel][p] != 0) {
          endNote(channel, p, nanos);
          any = true;
        }
      }
    }
    return any;
  }

  /** Whether channel {@code channel}'s key {@code pitch} is down. */
  public boolean holds(int channel, int pitch) {
    return held[channel][pitch] != 0 && !sustained[channel][pitch];
  }

  private void endNote(int channel, int pitch, long nanos) {
    int voice = held[channel][pitch];
    held[channel][pitch] = 0;
    sustained[channel][pitch] = false;
    end(pitch, voice, nanos);
  }

  /** The clock reached {@code nanos}: every step no later event can fall into is told. */
  public void advance(long nanos) {
    tellBefore(grid(nanos));
  }

  /** Tells every held event now (the end of a file, or before the model's state is used). */
  public void flush() {
    tellBefore(Long.MAX_VALUE);
  }

  /**
   * Tells the model the time up to {@code nanos} (rounded to the grid): every held event first,
   * then TIME_SHIFTs, so that tokens the caller feeds the model itself happen then.
   */
  public void tellTime(long nanos) {
    long at = grid(nanos);
    tellBefore(at + 1);
    if (started) {
      shiftTo(at);
    } else {
      started = true;
      toldNanos = at;
    }
  }

  /** The model time of the last event told (or of the start), on the grid. */
  public long toldNanos() {
    return toldNanos;
  }

  /** The velocity bin of the last VELOCITY token told, or -1 before any. */
  public int velocityBin() {
    return velocityBin;
  }

  // ---------------------------------------------------------------- voices (merged per pitch)

  /** A note starts; returns the voice that {@link #end} ends it with. */
  int begin(int pitch, int velocity, long nanos) {
    PerformanceEncoding.noteOn(pitch); // checks the pitch
    long at = grid(nanos);
    tellBefore(at);
    boolean sounding = members[pitch] > 0 || pendingOffNanos[pitch] > at;
    if (sounding && onsetNanos[pitch] == at) {
      // Two notes of one pitch starting in one step are one note, lasting the longer.
      if (pendingOffNanos[pitch] != NONE) {
        int s = slot(pendingOffNanos[pitch]);
        offs[s][pitch] = false;
        if (--slotEvents[s] == 0) {
          slotNanos[s] = NONE;
        }
        pendingOffNanos[pitch] = NONE;
      }
      members[pitch]++;
      return generation[pitch];
    }
    if (sounding) {
      hold(offs, pitch, at);
    }
    generation[pitch]++;
    members[pitch] = 1;
    pendingOffNanos[pitch] = NONE; // an earlier note's end, held in this step, stays as it is
    onsetNanos[pitch] = at;
    endNanos[pitch] = at + STEP_NANOS;
    int s = hold(ons, pitch, at);
    onVelocity[s][pitch] = velocity;
    return generation[pitch];
  }

  /** The note {@code voice} of {@code pitch} ends; nothing if a later note already ended it. */
  void end(int pitch, int voice, long nanos) {
    if (voice != generation[pitch] || members[pitch] == 0) {
      return;
    }
    long at = grid(nanos);
    tellBefore(at);
    endNanos[pitch] = Math.max(endNanos[pitch], at);
    if (--members[pitch] == 0) {
      hold(offs, pitch, endNanos[pitch]);
      pendingOffNanos[pitch] = endNanos[pitch];
    }
  }

  // ---------------------------------------------------------------- the grid and the held steps

  /** {@code nanos} rounded to the grid (half up), no earlier than what was told. */
  private long grid(long nanos) {
    long anchor = started ? toldNanos : 0;
    long at = anchor + Math.floorDiv(nanos - anchor + STEP_NANOS / 2, STEP_NANOS) * STEP_NANOS;
    return started ? Math.max(at, toldNanos) : at;
  }

  private int hold(boolean[][] events, int pitch, long at) {
    int s = slot(at);
    events[s][pitch] = true;
    slotEvents[s]++;
    return s;
  }

  private int slot(long at) {
    for (int s = 0; s < 2; s++) {
      if (slotNanos[s] == at) {
        return s;
      }
    }
    for (int s = 0; s < 2; s++) {
      if (slotNanos[s] == NONE) {
        slotNanos[s] = at;
        return s;
      }
    }
    throw new IllegalStateException("a third step opened at " + at + " while "
        + slotNanos[0] + " and " + slotNanos[1] + " are held");
  }

  /** Tells every held step earlier than {@code limit}, in time order. */
  private void tellBefore(long limit) {
    while (true) {
      int s = slotNanos[0] == NONE ? 1 : slotNanos[1] == NONE ? 0
          : slotNanos[0] < slotNanos[1] ? 0 : 1;
      if (slotNanos[s] == NONE || slotNanos[s] >= limit) {
        return;
      }
      tellStep(s);
    }
  }

  private void tellStep(int s) {
    long at = slotNanos[s];
    if (started) {
      shiftTo(at);
    } else {
      started = true;
      toldNanos = at;
    }
    boolean[] off = offs[s];
    boolean[] on = ons[s];
    for (int p = 0; p < PITCHES; p++) {
      if (off[p]) {
        off[p] = false;
        if (pendingOffNanos[p] == at) {
          pendingOffNanos[p] = NONE;
        }
        soundingTold--;
        sink.token(PerformanceEncoding.noteOff(p));
      }
    }
    for (int p = 0; p < PITCHES; p++) {
      if (on[p]) {
        on[p] = false;
        int bin = PerformanceEncoding.binOfVelocity(onVelocity[s][p]);
        if (bin != velocityBin) {
          velocityBin = bin;
          sink.token(PerformanceEncoding.velocity(bin));
        }
        soundingTold++;
        sink.token(PerformanceEncoding.noteOn(p));
      }
    }
    slotNanos[s] = NONE;
    slotEvents[s] = 0;
  }

  private void shiftTo(long at) {
    long steps = (at - toldNanos) / STEP_NANOS;
    toldNanos = Math.max(toldNanos, at);
    for (long left = soundingTold > 0 ? steps : Math.min(steps, maxGapSteps); left > 0;
        left -= TIME_SHIFT_STEPS) {
      sink.token(PerformanceEncoding.timeShift((int) Math.min(TIME_SHIFT_STEPS, left)));
    }
  }
}
