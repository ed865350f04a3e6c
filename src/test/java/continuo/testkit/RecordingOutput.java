package continuo.testkit;

import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's output ring plus a record of everything drained from it, with the checks every test
 * wants: each note-on is matched by exactly one note-off, and nothing is left sounding.
 */
public final class RecordingOutput {
  public final MidiEventRing ring = new MidiEventRing(8192, new Counters().newCounter("dropped"));
  public final List<long[]> events = new ArrayList<>();

  /** Moves what the engine offered into {@link #events}. */
  public RecordingOutput drain() {
    ring.drain((t, m) -> events.add(new long[] {t, m}));
    return this;
  }

  public List<long[]> noteOns() {
    drain();
    return events.stream().filter(e -> MidiMessage.isNoteOn((int) e[1])).toList();
  }

  /** Pitches sounding after everything drained so far, by channel*128+pitch; fails on a double on. */
  public List<Integer> sounding() {
    drain();
    boolean[] on = new boolean[16 * 128];
    for (long[] e : events) {
      int m = (int) e[1];
      int key = (MidiMessage.channel(m) - 1) * 128 + MidiMessage.data1(m);
      if (MidiMessage.isNoteOn(m)) {
        if (on[key]) {
          throw new AssertionError("note " + key + " turned on twice without a note-off");
        }
        on[key] = true;
      } else if (MidiMessage.isNoteOff(m)) {
        if (!on[key]) {
          throw new AssertionError("note-off for note " + key + " that was not on");
        }
        on[key] = false;
      }
    }
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < on.length; k++) {
      if (on[k]) {
        out.add(k);
      }
    }
    return out;
  }

  /** The most notes sounding at once, in time order. */
  public int maxPolyphony() {
    drain();
    List<long[]> sorted = new ArrayList<>(events);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    int on = 0;
    int max = 0;
    for (long[] e : sorted) {
      int m = (int) e[1];
      if (MidiMessage.isNoteOn(m)) {
        max = Math.max(max, ++on);
      } else if (MidiMessage.isNoteOff(m)) {
        on--;
      }
    }
    return max;
  }
}
