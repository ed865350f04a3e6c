package continuo.midifile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TempoMapTest {
  /** 480 ppq: 120 bpm, then 60 bpm from tick 960 (1 s), then 240 bpm from tick 1440 (2 s). */
  private final TempoMap map = new TempoMap(480, new long[] {960, 1440},
      new int[] {1_000_000, 250_000});

  @Test
  void ticksBecomeMicrosecondsThroughEveryTempoChange() {
    assertEquals(0, map.micros(0));
    assertEquals(500_000, map.micros(480));
    assertEquals(1_000_000, map.micros(960));
    assertEquals(2_000_000, map.micros(1440));
    assertEquals(2_250_000, map.micros(1920));
  }

  @Test
  void microsecondsGoBackToTheSameTicks() {
    for (long tick = 0; tick < 3000; tick += 7) {
      assertEquals(tick, map.tick(map.micros(tick)), "tick " + tick);
    }
    assertEquals(0, map.tick(-5));
  }

  @Test
  void theTempoAtATimeIsTheSegmentsTempo() {
    assertEquals(500_000, map.tempoAt(999_999));
    assertEquals(1_000_000, map.tempoAt(1_000_000));
    assertEquals(250_000, map.tempoAt(5_000_000));
    assertEquals(240.0, map.bpmAt(5_000_000), 1e-9);
    assertEquals(3, map.segments());
  }

  @Test
  void ofSeveralChangesAtOneTickTheLastCounts() {
    TempoMap m = new TempoMap(96, new long[] {0, 0, 96}, new int[] {1_000_000, 250_000, 500_000});
    assertEquals(2, m.segments());
    assertEquals(250_000, m.micros(96));
  }

  @Test
  void smpteTicksHaveAFixedLengthWhateverTheTempo() {
    // 25 frames per second, 40 ticks per frame: one tick is one millisecond.
    TempoMap m = new TempoMap(0xE728, new long[] {10}, new int[] {1_000_000});
    assertEquals(1_000_000, m.micros(1000));
    assertEquals(1000, m.tick(1_000_000));
  }

  @Test
  void changesOutOfOrderAreAProgrammingError() {
    assertThrows(IllegalArgumentException.class,
        () -> new TempoMap(480, new long[] {960, 480}, new int[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> TempoMap.constant(480, 0));
  }
}
