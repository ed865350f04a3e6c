package continuo.engine;

import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static continuo.encoding.PerformanceEncoding.velocity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.preset.Preset;
import continuo.preset.Settings;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The live engine places its answer on the beat grid of the timekeeper's tempo and beat, and
 * drives clock out at that tempo: a DAW's clock in, or continuo as the master, on a fake clock.
 */
class LiveEngineGridTest {
  private static final long MS = 1_000_000L;
  /** Notes 130 ms apart, off the grid of any tempo here, each held 70 ms. */
  private static final int[] TUNE = {velocity(20), noteOn(60), timeShift(7), noteOff(60),
      timeShift(6), noteOn(64), timeShift(7), noteOff(64), timeShift(6)};

  private final FakeClock clock = new FakeClock();
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(4096, counters.newCounter("in.dropped"));
  private final RecordingOutput out = new RecordingOutput();
  private Preset preset = Preset.forModel(Path.of("scripted.cmodel")).withTiming(150, 0, false)
      .with("grid", "1/16").with("quantize", 100);
  private LiveEngine engine;
  private final long lead = 3 * MS;

  // The DAW's clock, when one runs: Start at clockStart, ticks jittered by up to +-1 ms.
  private double clockBpm;
  private long clockStart = -1;
  private int nextTick;
  private final Random jitter = new Random(7);

  private LiveEngine engine() {
    if (engine == null) {
      engine = new LiveEngine(clock, input, out.ring, lead, preset, new ScriptedStepper(TUNE),
          new ArgmaxSampler(), null, List.of(), counters);
    }
    return engine;
  }

  private void send(int status, int d1, int d2) {
    input.offer(clock.nanoTime(), MidiMessage.pack(status, d1, d2));
    engine().doWork();
  }

  /** {@code ms} of 1 ms duty cycles, with the DAW's clock ticks in between when one runs. */
  private void run(long ms) {
    for (long i = 0; i < ms; i++) {
      long next = clock.nanoTime() + MS;
      while (clockStart >= 0) {
        long nominal = clockStart + Math.round(nextTick * 60e9 / clockBpm / 24);
        long at = nominal + (nextTick == 0 ? 0 : (long) ((jitter.nextDouble() * 2 - 1) * MS));
        if (at >= next) {
          break;
        }
        clock.advanceNanos(Math.max(0, at - clock.nanoTime()));
        send(nextTick == 0 ? MidiMessage.START : MidiMessage.CLOCK, 0, 0);
        if (nextTick == 0) {
          send(MidiMessage.CLOCK, 0, 0);
        }
        nextTick++;
      }
      clock.advanceNanos(next - clock.nanoTime());
      engine().doWork();
    }
  }

  private static final int[] PHRASE = {62, 66, 69, 74};

  private void phrase() {
    for (int p : PHRASE) {
      send(0x90, p, 90);
      run(180);
      send(0x80, p, 0);
      run(40);
    }
  }

  /** Beats from {@code origin} at {@code bpm}, for each of continuo's note-ons. */
  private List<Double> noteOnBeats(long origin, double bpm) {
    List<Double> beats = new ArrayList<>();
    for (long[] e : out.noteOns()) {
      beats.add((e[0] - origin) * bpm / 60e9);
    }
    return beats;
  }

  /** Nanoseconds from {@code beat} to the nearest line of a grid of {@code perBeat} at bpm. */
  private static double offGrid(double beat, int perBeat, double bpm) {
    double steps = beat * perBeat;
    return Math.abs(steps - Math.rint(steps)) / perBeat * 60e9 / bpm;
  }

  @Test
  void underADawClockAtNinetyAndOneFortyEveryNoteOnIsOnTheClocksSixteenthsWithinAMillisecond() {
    for (double bpm : new double[] {90, 140}) {
      out.drain();
      out.events.clear();
      engine = null;
      clockBpm = bpm;
      nextTick = 0;
      clockStart = clock.nanoTime() + 10 * MS;
      run(2_000); // the clock runs, is followed and present
      phrase();
      run(1_500);
      List<Double> beats = noteOnBeats(clockStart, bpm);
      assertTrue(beats.size() >= 6, "an answer of several notes: " + beats);
      for (double b : beats) {
        // The follower's grid against the DAW's own (without the jitter): within a millisecond.
        assertTrue(offGrid(b, 4, bpm) < 1 * MS, bpm + " bpm: a note-on "
            + offGrid(b, 4, bpm) / 1e6 + " ms off the grid at beat " + b);
      }
      send(MidiMessage.STOP, 0, 0);
      assertEquals(List.of(), out.sounding(), "Stop leaves nothing sounding");
      clockStart = -1;
      engine.requestShutdown();
      engine.doWork();
    }
  }

  @Test
  void swingAndTripletsFollowTheTempoOfThePreset() {
    preset = preset.with(Settings.BPM, 100.0).with("grid", "1/8").with("swing", 50);
    engine();
    run(10);
    long origin = clock.nanoTime() - Math.round(engine.timekeeper().beatAt(clock.nanoTime())
        * 60e9 / 100);
    phrase();
    run(2_000);
    List<Double> beats = noteOnBeats(origin, 100);
    assertTrue(beats.size() >= 6, beats.toString());
    for (double b : beats) {
      double inBeat = b - Math.floor(b + 1e-9);
      assertTrue(Math.abs(inBeat) < 1e-4 || Math.abs(inBeat - 1) < 1e-4
          || Math.abs(inBeat - 2 / 3.0) < 1e-4, "on the beat or 2/3 of it (swung eighth): " + b);
    }
  }

  @Test
  void asTheMasterItsClockStartsOnABeatAtThePresetsTempoAndItsAnswerIsOnThatGrid() {
    preset = preset.with(Settings.BPM, 140.0).with(Settings.CLOCK_OUT, true);
    engine();
    run(500);
    phrase();
    run(2_000);
    engine.requestShutdown();
    engine.doWork();
    out.drain();
    List<long[]> clockOut = new ArrayList<>();
    for (long[] e : out.events) {
      if (MidiMessage.status((int) e[1]) >= 0xF8) {
        clockOut.add(e);
      }
    }
    assertEquals(MidiMessage.START, MidiMessage.status((int) clockOut.get(0)[1]), "Start first");
    assertEquals(MidiMessage.STOP,
        MidiMessage.status((int) clockOut.get(clockOut.size() - 1)[1]), "Stop last");
    long start = clockOut.get(0)[0];
    double tick = 60e9 / 140 / 24;
    for (int k = 0; k < clockOut.size() - 2; k++) {
      long[] e = clockOut.get(k + 1);
      assertEquals(MidiMessage.CLOCK, MidiMessage.status((int) e[1]));
      assertEquals(start + Math.round(k * tick), e[0], "tick " + k);
    }
    assertTrue(clockOut.size() > 24 * 140 / 60 * 2.5, "about three seconds of ticks: "
        + clockOut.size());
    List<Double> beats = noteOnBeats(start, 140);
    assertTrue(beats.size() >= 4, beats.toString());
    for (double b : beats) {
      assertTrue(offGrid(b, 4, 140) <= 2, "on a sixteenth of continuo's own clock: " + b);
    }
    assertEquals(List.of(), out.sounding());
  }

  @Test
  void playingOnTheGridAndDrivingTheClockAllocatesNothingInSteadyState() {
    preset = preset.with(Settings.CLOCK_OUT, true).with("swing", 30);
    engine();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 10; i++) {
      phrase();
      run(1_000);
      out.ring.drain((t, m) -> { });
    }
    long[] windows = new long[10];
    for (int w = 0; w < windows.length; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      phrase();
      run(1_000);
      out.ring.drain((t, m) -> { });
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      if (windows[w] == 0) {
        return;
      }
    }
    throw new AssertionError("every window allocated: " + java.util.Arrays.toString(windows));
  }
}
