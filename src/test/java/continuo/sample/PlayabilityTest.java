package continuo.sample;

import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.PerformanceEncoding;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class PlayabilityTest {
  private static final long MS = 1_000_000L;
  private final Playability playable = new Playability();
  private final float[] logits = new float[PerformanceEncoding.VOCAB_SIZE];

  @Test
  void onlyASilentPitchMayStartAndOnlyASoundingOneMayEnd() {
    playable.played(noteOn(60), 0);
    playable.mask(logits);
    assertEquals(Float.NEGATIVE_INFINITY, logits[noteOn(60)]);
    assertEquals(0f, logits[noteOff(60)]);
    assertEquals(0f, logits[noteOn(61)]);
    assertEquals(Float.NEGATIVE_INFINITY, logits[noteOff(61)]);
    assertEquals(0f, logits[timeShift(10)], "time may always pass");
    assertEquals(1, playable.held());
  }

  @Test
  void atThePolyphonyLimitNoNoteMayStart() {
    playable.setLimits(2, Playability.NO_LENGTH_LIMIT);
    playable.played(noteOn(60), 0);
    playable.played(noteOn(64), 0);
    playable.mask(logits);
    for (int p = 0; p < 128; p++) {
      assertEquals(Float.NEGATIVE_INFINITY, logits[noteOn(p)], "pitch " + p);
    }
    assertEquals(0f, logits[noteOff(64)]);
  }

  @Test
  void aNoteIsEndedBeforeOneMoreStepWouldCarryItPastTheLimit() {
    playable.setLimits(8, 500 * MS);
    playable.played(noteOn(60), 0);
    assertEquals(-1, playable.overdueNoteOff(480 * MS));
    assertEquals(noteOff(60), playable.overdueNoteOff(500 * MS));
    playable.played(noteOff(60), 500 * MS);
    assertEquals(-1, playable.overdueNoteOff(10_000 * MS), "a silent note is never overdue");
  }

  @Test
  void aLimitThatIsNotAWholeStepStillHolds() {
    playable.setLimits(8, 505 * MS);
    playable.played(noteOn(60), 0);
    assertEquals(-1, playable.overdueNoteOff(490 * MS));
    assertEquals(noteOff(60), playable.overdueNoteOff(500 * MS), "505 ms: 510 would be too long");
  }

  @Test
  void aTimeShiftIsCutShortToEndAtTheLimitOfTheOldestNote() {
    playable.setLimits(8, 500 * MS);
    playable.played(noteOn(60), 0);
    playable.played(noteOn(64), 200 * MS);
    assertEquals(timeShift(10), playable.shorten(timeShift(10), 300 * MS), "fits");
    assertEquals(timeShift(20), playable.shorten(timeShift(100), 300 * MS), "cut at 500 ms");
    assertEquals(noteOn(70), playable.shorten(noteOn(70), 300 * MS), "only time shifts");
    playable.clear();
    assertEquals(timeShift(100), playable.shorten(timeShift(100), 300 * MS), "nothing sounds");
  }

  @Test
  void withoutALimitNothingIsOverdueNorShortened() {
    playable.played(noteOn(60), 0);
    assertEquals(-1, playable.overdueNoteOff(Long.MAX_VALUE / 2));
    assertEquals(timeShift(100), playable.shorten(timeShift(100), Long.MAX_VALUE / 2));
  }

  @Test
  void limitsBelowOneStepOrOneNoteAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> playable.setLimits(0, 500 * MS));
    assertThrows(IllegalArgumentException.class, () -> playable.setLimits(4, 9 * MS));
  }

  @Test
  void theRulesAllocateNothing() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    playable.setLimits(4, 500 * MS);
    long sum = 0;
    for (int round = 0; round < 2; round++) {
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 20_000; i++) {
        playable.played(noteOn(i & 127), i * 10 * MS);
        playable.mask(logits);
        sum += playable.overdueNoteOff(i * 10 * MS) + playable.shorten(timeShift(50), i * 10 * MS);
        playable.played(noteOff(i & 127), i * 10 * MS);
      }
      long allocated = mx.getCurrentThreadAllocatedBytes() - before;
      if (round == 1) {
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes (" + sum + ")");
      }
    }
  }
}
