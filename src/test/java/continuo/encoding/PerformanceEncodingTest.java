package continuo.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PerformanceEncodingTest {

  @Test
  void tokenRangesFollowPerformanceRnnOrder() {
    assertEquals(0, PerformanceEncoding.noteOn(0));
    assertEquals(127, PerformanceEncoding.noteOn(127));
    assertEquals(128, PerformanceEncoding.noteOff(0));
    assertEquals(255, PerformanceEncoding.noteOff(127));
    assertEquals(256, PerformanceEncoding.timeShift(1));
    assertEquals(355, PerformanceEncoding.timeShift(100));
    assertEquals(356, PerformanceEncoding.velocity(0));
    assertEquals(387, PerformanceEncoding.velocity(31));
    assertEquals(388, PerformanceEncoding.VOCAB_SIZE);
  }

  @Test
  void timeShiftTokensCarryTenToOneThousandMillis() {
    assertEquals(10, PerformanceEncoding.shiftMillis(PerformanceEncoding.timeShift(1)));
    assertEquals(1000, PerformanceEncoding.shiftMillis(PerformanceEncoding.timeShift(100)));
    assertThrows(IllegalArgumentException.class, () -> PerformanceEncoding.timeShift(0));
    assertThrows(IllegalArgumentException.class, () -> PerformanceEncoding.timeShift(101));
  }

  @Test
  void everyVelocityBinPlaysBackAsAVelocityInThatBin() {
    for (int bin = 0; bin < PerformanceEncoding.VELOCITY_BINS; bin++) {
      int v = PerformanceEncoding.velocityOfBin(bin);
      assertTrue(v >= 1 && v <= 127);
      assertEquals(bin, PerformanceEncoding.binOfVelocity(v));
    }
  }

  @Test
  void everyMidiVelocityFallsInABinAndAllBinsAreUsed() {
    boolean[] used = new boolean[PerformanceEncoding.VELOCITY_BINS];
    for (int v = 1; v <= 127; v++) {
      used[PerformanceEncoding.binOfVelocity(v)] = true;
    }
    for (boolean u : used) {
      assertTrue(u);
    }
  }
}
