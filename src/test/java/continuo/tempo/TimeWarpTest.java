package continuo.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimeWarpTest {
  @Test
  void aPlayerAtEightyBpmHasGapsShortenedForAModelAtOneTwenty() {
    TimeWarp warp = new TimeWarp(120);
    warp.setBpm(80);
    // A quarter note at 80 bpm (750 ms) is a quarter note at 120 bpm (500 ms) to the model.
    assertEquals(500_000, warp.toModel(750_000));
    // The model's eighth (250 ms at 120) is played as an eighth at 80 bpm.
    assertEquals(375_000, warp.toPlayer(250_000));
  }

  @Test
  void atTheReferenceTempoTimeIsUnchanged() {
    TimeWarp warp = new TimeWarp(96);
    assertEquals(1.0, warp.scale());
    assertEquals(12_345, warp.toModel(12_345));
    assertEquals(12_345, warp.toPlayer(12_345));
  }

  @Test
  void aRoundTripLosesAtMostOneUnit() {
    TimeWarp warp = new TimeWarp(120);
    for (double bpm = 40; bpm <= 240; bpm += 7.3) {
      warp.setBpm(bpm);
      for (long gap = 0; gap < 3_000_000; gap += 12_347) {
        assertEquals(gap, warp.toPlayer(warp.toModel(gap)), 1.0 / warp.scale() + 1);
      }
    }
  }

  @Test
  void theNearestOctaveFoldsHalfAndDoubleTimeOntoTheReference() {
    TimeWarp warp = new TimeWarp(120);
    assertEquals(100, warp.nearestOctave(200), 1e-9);
    assertEquals(140, warp.nearestOctave(70), 1e-9);
    assertEquals(150, warp.nearestOctave(150), 1e-9);
    assertEquals(120, warp.nearestOctave(0), 1e-9);
  }

  @Test
  void tempoOutOfRangeIsClampedAndAReferenceOutOfRangeRefused() {
    TimeWarp warp = new TimeWarp(120);
    warp.setBpm(1_000);
    assertEquals(400, warp.bpm());
    warp.setBpm(Double.NaN);
    assertEquals(120, warp.bpm());
    assertThrows(IllegalArgumentException.class, () -> new TimeWarp(5));
  }
}
