package continuo.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MidiClockFollowerTest {
  private static final long T0 = 5_000_000_000L;

  private final MidiClockFollower clock = new MidiClockFollower();
  private long now = T0;

  /** Sends {@code ticks} clock ticks at {@code bpm}, each off by up to +-jitter ns (uniform). */
  private void ticks(int ticks, double bpm, long jitter, SplittableRandom random) {
    double period = 60e9 / (bpm * 24);
    for (int i = 0; i < ticks; i++) {
      long off = jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1);
      clock.onMessage(0xF8, 0, 0, now + off);
      now += Math.round(period);
    }
  }

  @Test
  void ninetyAndOneFortyBpmAreWithinHalfABpmAfterOneBeatOfJitteryClock() {
    for (double bpm : new double[] {90, 140}) {
      double worst = 0;
      for (int seed = 0; seed < 500; seed++) {
        MidiClockFollower c = new MidiClockFollower();
        SplittableRandom random = new SplittableRandom(seed);
        double period = 60e9 / (bpm * 24);
        long t = T0 + seed * 1_000_003L;
        for (int i = 0; i < 24; i++) {
          c.onMessage(0xF8, 0, 0, t + Math.round(i * period) + random.nextLong(-1_000_000, 1_000_001));
        }
        worst = Math.max(worst, Math.abs(c.bpm() - bpm));
      }
      assertTrue(worst < 0.5, bpm + " bpm: worst error after one beat " + worst);
    }
  }

  @Test
  void aSteadyJitteryClockDoesNotWobbleTheEstimate() {
    SplittableRandom random = new SplittableRandom(7);
    ticks(24 * 8, 120, 1_000_000, random);
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int beat = 0; beat < 32; beat++) {
      ticks(24, 120, 1_000_000, random);
      min = Math.min(min, clock.bpm());
      max = Math.max(max, clock.bpm());
    }
    assertTrue(max - min < 0.1, "estimate moved between " + min + " and " + max);
    assertEquals(120, clock.bpm(), 0.05);
  }

  @Test
  void aJumpInTempoIsFollowedWithinOneBeat() {
    SplittableRandom random = new SplittableRandom(3);
    ticks(24 * 4, 120, 1_000_000, random);
    ticks(24, 90, 1_000_000, random);
    assertEquals(90, clock.bpm(), 0.5);
    assertTrue(clock.relocks() >= 1);
  }

  @Test
  void aTempoRampIsFollowedClosely() {
    SplittableRandom random = new SplittableRandom(5);
    ticks(24 * 4, 100, 1_000_000, random);
    for (int beat = 0; beat < 16; beat++) {
      ticks(24, 100 + beat, 1_000_000, random);
    }
    // A loop with four beats of memory lags a ramp of 1 bpm per beat by about two beats.
    assertEquals(115, clock.bpm(), 2.5);
    ticks(24 * 4, 115, 1_000_000, random);
    assertEquals(115, clock.bpm(), 0.2);
  }

  @Test
  void startPutsTheNextTickAtBeatZeroAndEachTwentyFourTicksMakeABeat() {
    SplittableRandom random = new SplittableRandom(1);
    ticks(24, 120, 0, random); // a clock that runs before the transport starts
    assertEquals(0, clock.beatAt(now), 1e-9);
    assertFalse(clock.running());
    assertEquals(MidiClockFollower.START, clock.onMessage(0xFA, 0, 0, now - 1000));
    assertEquals(0, clock.beatAt(now), 1e-9, "no tick yet: still at the start");
    ticks(1, 120, 0, random);
    long firstTick = now - 20_833_333L;
    assertEquals(0, clock.beatAt(firstTick), 1e-6);
    ticks(47, 120, 0, random);
    assertEquals(47 / 24.0, clock.beatAt(now - 20_833_333L), 1e-4);
    // Half a tick after the last one, the position moves on smoothly.
    assertEquals(47.5 / 24, clock.beatAt(now - 10_416_667L), 1e-4);
  }

  /**
   * JACK stamps a tick with the time of its frame, which is up to a period after the moment it is
   * handed over: a time before the last tick is counted back along the clock, not held at it.
   */
  @Test
  void aTimeBeforeTheLastTickIsCountedBackAlongTheClock() {
    SplittableRandom random = new SplittableRandom(1);
    clock.onMessage(0xFA, 0, 0, now);
    ticks(48, 120, 0, random);
    long lastTick = now - 20_833_333L;
    assertEquals(47 / 24.0, clock.beatAt(lastTick), 1e-4);
    assertEquals(44.5 / 24, clock.beatAt(lastTick - 52_083_333L), 1e-4, "2.5 ticks before");
    assertEquals(47.9 / 24, clock.beatAt(lastTick + 18_750_000L), 1e-4);
    assertEquals(48 / 24.0, clock.beatAt(lastTick + 60_000_000L), 1e-9, "never past the next");
  }

  @Test
  void stopFreezesThePositionAndContinueResumesFromIt() {
    SplittableRandom random = new SplittableRandom(1);
    clock.onMessage(0xFA, 0, 0, now);
    ticks(36, 120, 0, random);
    assertEquals(MidiClockFollower.STOP, clock.onMessage(0xFC, 0, 0, now));
    assertFalse(clock.running());
    assertEquals(1.5, clock.beatAt(now), 1e-9);
    ticks(48, 120, 0, random); // the DAW keeps sending clock while stopped
    assertEquals(1.5, clock.beatAt(now), 1e-9);
    assertEquals(120, clock.bpm(), 0.01);
    clock.onMessage(0xFB, 0, 0, now);
    ticks(24, 120, 0, random);
    assertEquals(1.5 + 23 / 24.0, clock.beatAt(now - 20_833_333L), 1e-4);
  }

  @Test
  void songPositionCountsSixteenthsAndTheNextTickLandsThere() {
    SplittableRandom random = new SplittableRandom(1);
    ticks(24, 120, 0, random);
    // 0x81 sixteenths = 129 = 32 beats and a sixteenth: LSB 1, MSB 1.
    assertEquals(MidiClockFollower.SONG_POSITION, clock.onMessage(0xF2, 0x01, 0x01, now));
    assertEquals(129 / 4.0, clock.beatAt(now), 1e-9);
    clock.onMessage(0xFB, 0, 0, now);
    ticks(7, 120, 0, random);
    assertEquals(129 / 4.0 + 6 / 24.0, clock.beatAt(now - 20_833_333L), 1e-4);
  }

  @Test
  void aSongPositionWithADataByteOver127IsCountedAndSkipped() {
    clock.onMessage(0xF2, 0x10, 0, now);
    assertEquals(MidiClockFollower.MALFORMED, clock.onMessage(0xF2, 0x80, 0, now));
    assertEquals(1, clock.malformed());
    assertEquals(4, clock.beatAt(now), 1e-9);
  }

  @Test
  void otherMessagesAreIgnored() {
    assertEquals(MidiClockFollower.IGNORED, clock.onMessage(0x90, 60, 100, now));
    assertEquals(MidiClockFollower.IGNORED, clock.onMessage(0xFE, 0, 0, now));
    assertEquals(0, clock.bpm());
  }

  @Test
  void theClockIsPresentAfterASixteenthAndLostAfterThreeMissingTicks() {
    SplittableRandom random = new SplittableRandom(1);
    ticks(5, 120, 0, random);
    assertFalse(clock.available(now), "five ticks are not yet a clock");
    ticks(1, 120, 0, random);
    long last = now - 20_833_333L;
    assertTrue(clock.available(last + 3 * 20_833_333L - 1000));
    assertFalse(clock.available(last + 3 * 20_833_333L + 1000));
    // Ticks coming back after the gap start a new lock, at the new tempo.
    now = last + 2_000_000_000L;
    ticks(6, 100, 0, random);
    assertTrue(clock.available(now - 25_000_000L));
    assertEquals(100, clock.bpm(), 0.01);
  }

  @Test
  void followingTheClockAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    SplittableRandom random = new SplittableRandom(1);
    clock.onMessage(0xFA, 0, 0, now);
    ticks(24 * 200, 120, 1_000_000, random); // warm-up: JIT compiles the tick path
    // Windows until one allocates nothing (at most 20): allocation on the path would recur in
    // every window, a late JIT recompilation shows in one only.
    long[] windows = new long[20];
    for (int w = 0; w < windows.length; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      double sink = 0;
      for (int i = 0; i < 24 * 100; i++) {
        clock.onMessage(0xF8, 0, 0, now);
        sink += clock.beatAt(now) + clock.bpm();
        now += 20_833_333L;
      }
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      assertTrue(sink > 0);
      if (windows[w] == 0) {
        return;
      }
    }
    throw new AssertionError("every window of 2400 ticks allocated: "
        + java.util.Arrays.toString(windows) + " bytes");
  }
}
