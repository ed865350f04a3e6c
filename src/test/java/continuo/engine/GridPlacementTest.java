package continuo.engine;

import static continuo.encoding.PerformanceEncoding.noteOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.midi.MidiMessage;
import continuo.preset.Preset;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.PresetEdits;
import continuo.testkit.ScriptedStepper;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Quantise and swing in the output gate, on a fake clock: where note-ons land on the grid of the
 * tempo and beat the engine tells, that note-offs move with their notes, and that the gate's
 * limits still hold.
 */
class GridPlacementTest {
  private static final long MS = Parts.MS;
  private static final long LEAD = 5 * MS;

  private static Parts parts(Preset p) {
    return new Parts(new ScriptedStepper(noteOn(60)), new ArgmaxSampler(), LEAD, p, null,
        List.of());
  }

  private static Preset grid(Preset p, String grid, int quantize, int swing) {
    return p.with("grid", grid).with("quantize", quantize).with("swing", swing);
  }

  private static int on(int pitch) {
    return MidiMessage.of(MidiMessage.NOTE_ON, 1, pitch, 80);
  }

  private static int off(int pitch) {
    return MidiMessage.of(MidiMessage.NOTE_OFF, 1, pitch, 0);
  }

  /** Releases everything scheduled (1 ms duty cycles) and returns {time, msg} of what went out. */
  private static List<long[]> playOut(Parts parts, long ms) {
    for (long i = 0; i < ms; i++) {
      parts.clock.advanceMillis(1);
      parts.gate.release(parts.clock.nanoTime());
      parts.gate.enforceNoteLength(parts.clock.nanoTime());
    }
    parts.out.drain();
    return parts.out.events;
  }

  /** The beat position of {@code t} when beat {@code beat0} fell at {@code t0} at {@code bpm}. */
  private static double beatOf(long t, long t0, double beat0, double bpm) {
    return beat0 + (t - t0) * bpm / 60e9;
  }

  /** How far (in nanoseconds) {@code beat} is from the nearest multiple of {@code step} beats. */
  private static double offGridNanos(double beat, double step, double bpm) {
    double steps = beat / step;
    return Math.abs(steps - Math.rint(steps)) * step * 60e9 / bpm;
  }

  @Test
  void atFullStrengthEveryNoteOnLandsOnTheSixteenthGridAndEveryNoteKeepsItsLength() {
    Parts parts = parts(grid(Parts.preset(), "1/16", 100, 0));
    long t0 = parts.clock.nanoTime();
    double bpm = 97;
    double beat0 = 3.37; // the clock's song position: the grid is not aligned with t0
    parts.gate.keepTime(t0, bpm, beat0);
    Random random = new Random(5);
    long[] meant = new long[40];
    long[] length = new long[40];
    long t = t0 + 50 * MS;
    for (int i = 0; i < meant.length; i++) {
      t += (30 + random.nextInt(400)) * MS;
      meant[i] = t;
      length[i] = (10 + random.nextInt(300)) * MS;
      int pitch = 40 + i;
      parts.gate.schedule(t, on(pitch), 2 * i);
      parts.gate.schedule(t + length[i], off(pitch), 2 * i + 1);
    }
    List<long[]> out = playOut(parts, (t - t0) / MS + 1_000);
    long[] onAt = new long[128];
    int ons = 0;
    for (long[] e : out) {
      int msg = (int) e[1];
      int i = MidiMessage.data1(msg) - 40;
      if (MidiMessage.isNoteOn(msg)) {
        ons++;
        onAt[i] = e[0];
        double beat = beatOf(e[0], t0, beat0, bpm);
        assertTrue(offGridNanos(beat, 0.25, bpm) <= 1, "note " + i + " at beat " + beat);
        double sixteenth = 60e9 / bpm / 4;
        assertTrue(Math.abs(e[0] - meant[i]) <= sixteenth / 2 + 1,
            "moved to the nearest line: " + (e[0] - meant[i]) / 1e6 + " ms");
      } else {
        assertEquals(length[i], e[0] - onAt[i], "note " + i + " keeps its length");
      }
    }
    assertEquals(40, ons);
    assertEquals(List.of(), parts.out.sounding());
  }

  @Test
  void halfStrengthMovesEachNoteOnHalfWayToItsLine() {
    Parts parts = parts(grid(Parts.preset(), "1/8", 50, 0));
    long t0 = parts.clock.nanoTime();
    parts.gate.keepTime(t0, 120, 0); // an eighth is 250 ms, lines at t0 + k * 250 ms
    parts.gate.schedule(t0 + 1_090 * MS, on(60), 0); // line at 1 000: half way is 1 045
    parts.gate.schedule(t0 + 1_190 * MS, off(60), 1);
    parts.gate.schedule(t0 + 1_420 * MS, on(62), 2); // line at 1 500: half way is 1 460
    parts.gate.schedule(t0 + 1_430 * MS, off(62), 3);
    List<long[]> out = playOut(parts, 2_000);
    assertEquals(List.of(1_045L, 1_145L, 1_460L, 1_470L),
        out.stream().map(e -> (e[0] - t0) / MS).toList());
  }

  @Test
  void swingDelaysEverySecondLineAndTripletsDivideTheBeatInThree() {
    long[] swung = placeOne(grid(Parts.preset(), "1/8", 100, 50),
        new long[] {980, 1_300, 1_320, 1_600});
    // At 120 bpm a beat is 500 ms; triplet swing puts the off-beat eighth at 2/3 of it (333 ms).
    assertEquals(List.of(1_000L, 1_333L, 1_333L, 1_500L), List.of(swung[0], swung[1], swung[2],
        swung[3]));
    long[] dotted = placeOne(grid(Parts.preset(), "1/8", 100, 75), new long[] {1_300, 1_460});
    assertEquals(List.of(1_375L, 1_500L), List.of(dotted[0], dotted[1]), "75 %: dotted");
    long[] sixteenths = placeOne(grid(Parts.preset(), "1/16", 100, 50), new long[] {1_150, 1_230});
    // A sixteenth is 125 ms: the second sixteenth of each pair moves by 2/3 * 50 % of one.
    assertEquals(List.of(1_167L, 1_250L), List.of(sixteenths[0], sixteenths[1]));
    long[] triplets = placeOne(grid(Parts.preset(), "1/8T", 100, 50),
        new long[] {1_150, 1_200, 1_400});
    assertEquals(List.of(1_167L, 1_167L, 1_333L), List.of(triplets[0], triplets[1], triplets[2]),
        "triplets: three per beat, never swung");
  }

  /** Each time (ms after the tempo was told, at 120 bpm from beat 0) placed alone; in ms. */
  private static long[] placeOne(Preset p, long[] ms) {
    long[] placed = new long[ms.length];
    for (int i = 0; i < ms.length; i++) {
      Parts parts = parts(p);
      long t0 = parts.clock.nanoTime();
      parts.gate.keepTime(t0, 120, 0);
      parts.gate.schedule(t0 + ms[i] * MS, on(60), 0);
      placed[i] = Math.round((playOut(parts, ms[i] + 400).get(0)[0] - t0) / 1e6);
    }
    return placed;
  }

  @Test
  void aChangeOfTempoMovesTheGridOfTheNotesScheduledAfterIt() {
    Parts parts = parts(grid(Parts.preset(), "1/8", 100, 0));
    long t0 = parts.clock.nanoTime();
    parts.gate.keepTime(t0, 120, 0);
    parts.gate.schedule(t0 + 380 * MS, on(60), 0); // 120 bpm: lines every 250 ms, 380 -> 500
    parts.gate.schedule(t0 + 400 * MS, off(60), 1);
    playOut(parts, 200);
    // At 200 ms, beat 0.4, the tempo turns 90: eighths of 333 ms from beat 0.5 = 200 + 67 ms.
    parts.gate.keepTime(t0 + 200 * MS, 90, 0.4);
    parts.gate.schedule(t0 + 560 * MS, on(62), 2); // 90 bpm lines at 267, 600, 933: -> 600
    parts.gate.schedule(t0 + 580 * MS, off(62), 3);
    List<long[]> out = playOut(parts, 1_000);
    List<Long> ms = out.stream().map(e -> Math.round((e[0] - t0) / 1e6)).toList();
    assertEquals(List.of(500L, 520L, 600L, 620L), ms);
  }

  @Test
  void aNoteOnNeverMovesEarlierThanTheBackendCanPlaceIt() {
    Parts parts = parts(grid(Parts.preset(), "1/8", 100, 0));
    long t0 = parts.clock.nanoTime();
    // The line at beat 1 is 5 ms away, closer than the output lead and margin (7 ms) allow.
    parts.gate.keepTime(t0, 120, 0.99);
    parts.gate.schedule(t0 + 12 * MS, on(60), 0);
    List<long[]> out = playOut(parts, 400);
    assertEquals(255, Math.round((out.get(0)[0] - t0) / 1e6), "the next line: beat 1.5");
  }

  @Test
  void aRepeatedNoteIsNeverPlacedBeforeTheNoteOffOfTheOneBeforeIt() {
    Parts parts = parts(grid(Parts.preset(), "1/8", 100, 0));
    long t0 = parts.clock.nanoTime();
    parts.gate.keepTime(t0, 120, 0);
    parts.gate.schedule(t0 + 740 * MS, on(60), 0); // -> 750, its note-off 30 ms later: 780
    parts.gate.schedule(t0 + 770 * MS, off(60), 1);
    parts.gate.schedule(t0 + 780 * MS, on(60), 2); // nearest line 750 is before 780: -> 1 000
    parts.gate.schedule(t0 + 800 * MS, off(60), 3);
    List<long[]> out = playOut(parts, 1_500);
    assertEquals(List.of(750L, 780L, 1_000L, 1_020L),
        out.stream().map(e -> Math.round((e[0] - t0) / 1e6)).toList());
    assertEquals(0, parts.count("engine.dropped.polyphony"));
    assertEquals(List.of(), parts.out.sounding());
  }

  @Test
  void polyphonyAndNoteLengthLimitsStillHoldOnTheGrid() {
    Parts parts = parts(grid(PresetEdits.limits(Parts.preset(), 2, 300, 50), "1/8", 100, 0));
    long t0 = parts.clock.nanoTime();
    parts.gate.keepTime(t0, 120, 0);
    // Three notes meant apart collapse onto the line at 500 ms: the third is over the limit.
    parts.gate.schedule(t0 + 440 * MS, on(60), 0);
    parts.gate.schedule(t0 + 470 * MS, on(64), 1);
    parts.gate.schedule(t0 + 530 * MS, on(67), 2);
    parts.gate.schedule(t0 + 600 * MS, off(67), 3);
    parts.gate.schedule(t0 + 2_000 * MS, off(60), 4); // too long: ended at the length limit
    parts.gate.schedule(t0 + 2_000 * MS, off(64), 5);
    List<long[]> out = playOut(parts, 2_500);
    assertEquals(2, parts.out.maxPolyphony());
    assertEquals(1, parts.count("engine.dropped.polyphony"));
    assertEquals(2, parts.count("engine.forced.note_off"));
    for (long[] e : out) {
      if (MidiMessage.isNoteOff((int) e[1])) {
        assertTrue(e[0] - (t0 + 500 * MS) <= 300 * MS + OutputGate.RELEASE_MARGIN_NANOS + LEAD
            + MS, "ended at the length limit: " + (e[0] - t0) / MS);
      }
    }
    assertEquals(List.of(), parts.out.sounding());
  }

  @Test
  void withTheGridOffOrNoTempoToldNothingMoves() {
    for (Preset p : new Preset[] {Parts.preset(), grid(Parts.preset(), "1/16", 0, 0),
        grid(Parts.preset(), "1/16", 100, 0)}) {
      Parts parts = parts(p);
      long t0 = parts.clock.nanoTime();
      if (p.quantize() == 0 || p.grid() == continuo.tempo.BeatGrid.Grid.OFF) {
        parts.gate.keepTime(t0, 120, 0.1);
      } // else: no tempo told yet
      parts.gate.schedule(t0 + 123 * MS, on(60), 0);
      parts.gate.schedule(t0 + 177 * MS, off(60), 1);
      List<long[]> out = playOut(parts, 300);
      assertEquals(List.of(123L, 177L), out.stream().map(e -> (e[0] - t0) / MS).toList());
    }
  }

  @Test
  void whatWasHeardIsTheLatestScheduledEventReleasedEvenWhenTheGridReordersThem() {
    Parts parts = parts(grid(Parts.preset(), "1/8", 100, 0));
    long t0 = parts.clock.nanoTime();
    parts.gate.keepTime(t0, 120, 0);
    parts.gate.schedule(t0 + 240 * MS, on(60), 7); // moved later, to 250
    parts.gate.schedule(t0 + 245 * MS, off(60), 8); // -> 255
    parts.gate.schedule(t0 + 246 * MS, off(61), 9); // not moved: 246, released before the note
    playOut(parts, 246 - 7);
    assertEquals(9, parts.gate.heardSlot());
    assertEquals(t0 + 246 * MS, parts.gate.heardNanos());
    playOut(parts, 100);
    assertEquals(9, parts.gate.heardSlot(), "never back to an event scheduled before");
  }

  @Test
  void placingAndReleasingOnTheGridAllocatesNothing() {
    Parts parts = parts(grid(Parts.preset(), "1/16", 80, 30));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<Long> windows = new ArrayList<>();
    for (int w = 0; w < 5; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 200; i++) {
        long now = parts.clock.nanoTime();
        parts.gate.keepTime(now, 90 + i % 7, i * 0.37);
        parts.gate.schedule(now + 60 * MS, on(60 + i % 12), i);
        parts.gate.schedule(now + 90 * MS, off(60 + i % 12), i + 1);
        for (int k = 0; k < 10; k++) {
          parts.clock.advanceMillis(10);
          parts.gate.release(parts.clock.nanoTime());
        }
        parts.out.ring.drain((t, m) -> { });
        parts.record.drain((t, m) -> { });
      }
      windows.add(threads.getCurrentThreadAllocatedBytes() - before);
      if (windows.get(w) == 0) {
        return;
      }
    }
    throw new AssertionError("every window allocated: " + windows);
  }
}
