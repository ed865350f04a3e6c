package continuo.encoding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The list-based encoder continuo trained with before {@link IncrementalEncoder}, kept as the
 * oracle the incremental one is checked against: notes to {@code performance} event tokens.
 * Every note-on and note-off time is rounded to the 10 ms grid on its own (absolute time, so rounding never drifts); a note lasts at least one
 * step; channels merge into one stream, where a note of a pitch that is still sounding ends the
 * earlier one (two notes of one pitch starting together become one, lasting the longer). At equal
 * times NOTE_OFFs come before NOTE_ONs, each by ascending pitch; gaps become TIME_SHIFTs of at most
 * 1 s each; a VELOCITY token precedes a NOTE_ON whenever the velocity bin changes (the first
 * NOTE_ON always has one). The stream starts at the first onset: leading silence is dropped.
 */
final class BatchEncoder {
  private static final long STEP_MICROS = PerformanceEncoding.TIME_SHIFT_MS * 1000L;

  private BatchEncoder() {}

  static int[] encode(List<Note> notes) {
    List<long[]> quantised = new ArrayList<>(notes.size());
    for (Note n : notes) {
      long on = Math.round((double) n.startMicros() / STEP_MICROS);
      long off = Math.max(on + 1, Math.round((double) n.endMicros() / STEP_MICROS));
      quantised.add(new long[] {on, off, n.pitch(), n.velocity()});
    }
    quantised.sort(Comparator.<long[]>comparingLong(q -> q[0]).thenComparingLong(q -> q[2]));
    // Merge channels: one sounding note per pitch at a time.
    long[][] last = new long[128][];
    List<long[]> kept = new ArrayList<>(quantised.size());
    for (long[] q : quantised) {
      long[] previous = last[(int) q[2]];
      if (previous != null && previous[1] > q[0]) {
        if (previous[0] == q[0]) {
          previous[1] = Math.max(previous[1], q[1]);
          continue;
        }
        previous[1] = q[0];
      }
      last[(int) q[2]] = q;
      kept.add(q);
    }
    // Events as {time, 0 = off / 1 = on, pitch, velocity}.
    List<long[]> events = new ArrayList<>(2 * kept.size());
    for (long[] q : kept) {
      events.add(new long[] {q[0], 1, q[2], q[3]});
      events.add(new long[] {q[1], 0, q[2], 0});
    }
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
        .thenComparingLong(e -> e[2]));
    int[] out = new int[4 * events.size() + 16];
    int size = 0;
    long now = events.isEmpty() ? 0 : events.get(0)[0];
    int bin = -1;
    for (long[] e : events) {
      long gap = e[0] - now;
      now = e[0];
      while (gap > 0) {
        int steps = (int) Math.min(gap, PerformanceEncoding.TIME_SHIFT_STEPS);
        out = ensure(out, size + 1);
        out[size++] = PerformanceEncoding.timeShift(steps);
        gap -= steps;
      }
      int pitch = (int) e[2];
      out = ensure(out, size + 2);
      if (e[1] == 1) {
        int b = PerformanceEncoding.binOfVelocity((int) e[3]);
        if (b != bin) {
          out[size++] = PerformanceEncoding.velocity(b);
          bin = b;
        }
        out[size++] = PerformanceEncoding.noteOn(pitch);
      } else {
        out[size++] = PerformanceEncoding.noteOff(pitch);
      }
    }
    return java.util.Arrays.copyOf(out, size);
  }

  private static int[] ensure(int[] a, int size) {
    return size <= a.length ? a : java.util.Arrays.copyOf(a, Math.max(size, a.length * 2));
  }
}
