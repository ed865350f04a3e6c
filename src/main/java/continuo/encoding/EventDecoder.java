package continuo.encoding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code performance} event tokens back to notes, on channel 0: TIME_SHIFTs advance the clock,
 * VELOCITY sets the velocity of later NOTE_ONs (64 before any), a NOTE_ON of a sounding pitch ends
 * it first, a NOTE_OFF of a silent pitch is ignored, and every note still sounding at the end is
 * closed at the final time (at least one 10 ms step after its onset). Also usable incrementally:
 * {@link #accept} one token at a time, then {@link #finish}.
 */
public final class EventDecoder {
  private static final long STEP_MICROS = PerformanceEncoding.TIME_SHIFT_MS * 1000L;
  private static final int DEFAULT_VELOCITY = 64;

  private final long[] start = new long[128];
  private final int[] velocityOf = new int[128];
  private final List<Note> notes = new ArrayList<>();
  private final long offsetMicros;
  private long now;
  private int velocity = DEFAULT_VELOCITY;

  /** A decoder whose time 0 is at {@code offsetMicros}. */
  public EventDecoder(long offsetMicros) {
    this.offsetMicros = offsetMicros;
    java.util.Arrays.fill(start, -1);
  }

  public static List<Note> decode(int[] tokens) {
    EventDecoder d = new EventDecoder(0);
    for (int t : tokens) {
      d.accept(t);
    }
    return d.finish();
  }

  /** Applies one token. */
  public void accept(int token) {
    if (!PerformanceEncoding.isValid(token)) {
      throw new IllegalArgumentException("token " + token + " is outside 0..387");
    }
    if (PerformanceEncoding.isTimeShift(token)) {
      now += PerformanceEncoding.shiftMillis(token) * 1000L;
    } else if (PerformanceEncoding.isVelocity(token)) {
      velocity = PerformanceEncoding.velocityOfBin(PerformanceEncoding.velocityBin(token));
    } else {
      int pitch = PerformanceEncoding.pitch(token);
      if (start[pitch] >= 0) {
        notes.add(new Note(pitch, velocityOf[pitch], offsetMicros + start[pitch],
            offsetMicros + now, 0));
        start[pitch] = -1;
      }
      if (PerformanceEncoding.isNoteOn(token)) {
        start[pitch] = now;
        velocityOf[pitch] = velocity;
      }
    }
  }

  /** Microseconds of music decoded so far (the sum of the TIME_SHIFTs). */
  public long elapsedMicros() {
    return now;
  }

  /** Closes every sounding note and returns all notes, sorted by onset, then pitch. */
  public List<Note> finish() {
    for (int p = 0; p < 128; p++) {
      if (start[p] >= 0) {
        long end = Math.max(now, start[p] + STEP_MICROS);
        notes.add(new Note(p, velocityOf[p], offsetMicros + start[p], offsetMicros + end, 0));
        start[p] = -1;
      }
    }
    List<Note> sorted = new ArrayList<>(notes);
    sorted.sort(Comparator.comparingLong(Note::startMicros).thenComparingInt(Note::pitch));
    return sorted;
  }
}
