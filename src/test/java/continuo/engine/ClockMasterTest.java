package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.midi.MidiMessage;
import continuo.preset.Preset;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clock out driven by the engine's tempo, on a fake clock. */
class ClockMasterTest {
  private static final long MS = 1_000_000L;
  private static final long LEAD = 5 * MS;

  private final FakeClock clock = new FakeClock();
  private final RecordingOutput out = new RecordingOutput();
  private final ClockMaster master = new ClockMaster(out.ring);

  private static Preset clockOut(boolean on) {
    return Parts.preset().with("clock_out", on);
  }

  /** {@code ms} duty cycles 1 ms apart at {@code bpm}, beat {@code beat0} falling at {@code t0}. */
  private void run(long ms, long t0, double beat0, double bpm) {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      long now = clock.nanoTime();
      master.turn(now, LEAD, bpm, beat0 + (now - t0) * bpm / 60e9);
    }
  }

  private List<long[]> sent() {
    out.drain();
    return out.events;
  }

  @Test
  void startsOnAWholeBeatAndTicksTwentyFourTimesABeatAtTheTempo() {
    master.use(clockOut(true));
    long t0 = clock.nanoTime();
    run(2_000, t0, 0.3, 120); // beat 1 falls 350 ms after t0
    List<long[]> sent = sent();
    assertEquals(0xFA, MidiMessage.status((int) sent.get(0)[1]), "Start first");
    long start = sent.get(0)[0];
    assertTrue(Math.abs(t0 + 350 * MS - start) <= 1, "on beat 1: " + (start - t0));
    double period = 60e9 / (120 * 24);
    for (int k = 0; k + 1 < sent.size(); k++) {
      long[] tick = sent.get(k + 1);
      assertEquals(0xF8, MidiMessage.status((int) tick[1]));
      assertEquals(start + Math.round(k * period), tick[0], "tick " + k);
    }
    // Handed over one output lead (and the margin) before they are due, not earlier.
    long[] last = sent.get(sent.size() - 1);
    assertTrue(last[0] <= clock.nanoTime() + LEAD + OutputGate.RELEASE_MARGIN_NANOS);
    assertTrue(last[0] + period > clock.nanoTime() + LEAD + OutputGate.RELEASE_MARGIN_NANOS);
    assertEquals((2_000 - 350 + 7) * 24 / 500 + 1, sent.size() - 1, "every tick due so far");
  }

  @Test
  void aNewTempoTakesOverFromTheNextTick() {
    master.use(clockOut(true));
    long t0 = clock.nanoTime();
    run(1_000, t0, 0, 120);
    long at = clock.nanoTime();
    double beat = (at - t0) * 120 / 60e9;
    int before = sent().size();
    run(1_000, at, beat, 90);
    List<long[]> sent = sent();
    long p90 = Math.round(60e9 / (90 * 24));
    for (int i = before + 1; i < sent.size(); i++) {
      assertEquals((double) p90, sent.get(i)[0] - sent.get(i - 1)[0], 1.0,
          "tick " + i + " at 90 bpm");
    }
    long p120 = Math.round(60e9 / (120 * 24));
    assertEquals((double) p120, sent.get(before - 1)[0] - sent.get(before - 2)[0], 1.0,
        "at 120 before");
  }

  @Test
  void theSessionsEndSendsTheTicksDueThenStopAndNothingAfter() {
    master.use(clockOut(true));
    long t0 = clock.nanoTime();
    run(700, t0, 0, 140);
    master.stop(clock.nanoTime(), LEAD);
    List<long[]> sent = sent();
    long[] stop = sent.get(sent.size() - 1);
    assertEquals(0xFC, MidiMessage.status((int) stop[1]), "Stop last");
    assertEquals(clock.nanoTime() + LEAD + OutputGate.RELEASE_MARGIN_NANOS, stop[0]);
    assertTrue(sent.get(sent.size() - 2)[0] < stop[0], "no tick at or after Stop");
    int n = sent.size();
    run(500, t0, 0, 140);
    assertEquals(n, sent().size(), "nothing after Stop");
  }

  @Test
  void aPresetWithoutClockOutStopsItAndOneWithItStartsItAgain() {
    master.use(clockOut(false));
    long t0 = clock.nanoTime();
    run(500, t0, 0, 120);
    assertTrue(sent().isEmpty(), "no clock unless asked for");
    master.use(clockOut(true));
    run(500, t0, 0, 120);
    master.use(clockOut(false));
    run(500, t0, 0, 120);
    master.use(clockOut(true));
    run(500, t0, 0, 120);
    List<Integer> transport = new ArrayList<>();
    for (long[] e : sent()) {
      int status = MidiMessage.status((int) e[1]);
      if (status != 0xF8) {
        transport.add(status);
      }
    }
    assertEquals(List.of(0xFA, 0xFC, 0xFA), transport);
  }

  @Test
  void drivingTheClockAllocatesNothing() {
    master.use(clockOut(true));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long t0 = clock.nanoTime();
    List<Long> windows = new ArrayList<>();
    for (int w = 0; w < 5; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 2_000; i++) {
        clock.advanceMillis(1);
        long now = clock.nanoTime();
        double bpm = 100 + (i / 500) * 7;
        master.turn(now, LEAD, bpm, (now - t0) * bpm / 60e9);
        out.ring.drain((t, m) -> { });
      }
      windows.add(threads.getCurrentThreadAllocatedBytes() - before);
      if (windows.get(w) == 0) {
        return;
      }
    }
    throw new AssertionError("every window allocated: " + windows);
  }
}
