package continuo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.PerformanceEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;

class PitchStatisticsTest {
  static int on(int pitch) {
    return PerformanceEncoding.noteOn(pitch);
  }

  static int off(int pitch) {
    return PerformanceEncoding.noteOff(pitch);
  }

  static final int SHIFT = PerformanceEncoding.timeShift(10);

  /** C major scale up and down, two octaves apart. */
  static final int[] SCALE = {
    on(60), SHIFT, off(60), on(62), SHIFT, off(62), on(64), SHIFT, off(64), on(65), SHIFT, off(65),
    on(67), SHIFT, off(67), on(69), SHIFT, off(69), on(71), SHIFT, off(71), on(84), SHIFT, off(84),
  };

  @Test
  void pitchClassesFoldOctavesAndIgnoreEverythingButNoteOns() {
    long[] counts = new long[12];
    PitchStatistics.countPitchClasses(SCALE, counts);
    assertArrayEquals(new long[] {2, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1}, counts);
  }

  @Test
  void smoothedHistogramsAreDistributionsWithNoEmptyClass() {
    double[] p = PitchStatistics.smoothed(new long[] {5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    double sum = 0;
    for (double x : p) {
      assertTrue(x > 0);
      sum += x;
    }
    assertEquals(1.0, sum, 1e-12);
    assertEquals(6.0 / 17, p[0], 1e-12);
  }

  @Test
  void klDivergenceIsZeroForTheSameMusicAndGrowsWithTheDifference() {
    double[] major = PitchStatistics.averageHistogram(List.of(SCALE));
    int[] sameClassesOtherOctave = SCALE.clone();
    for (int i = 0; i < sameClassesOtherOctave.length; i++) {
      int t = sameClassesOtherOctave[i];
      if (PerformanceEncoding.isNoteOn(t)) {
        sameClassesOtherOctave[i] = on(PerformanceEncoding.pitch(t) - 12);
      }
    }
    long[] counts = new long[12];
    PitchStatistics.countPitchClasses(sameClassesOtherOctave, counts);
    assertEquals(0.0, PitchStatistics.klDivergence(PitchStatistics.smoothed(counts), major), 1e-12);

    long[] chromaticOnly = new long[12];
    PitchStatistics.countPitchClasses(new int[] {on(61), on(63), on(66), on(68), on(70)}, chromaticOnly);
    long[] mostlyScale = new long[12];
    PitchStatistics.countPitchClasses(new int[] {on(60), on(62), on(64), on(66)}, mostlyScale);
    double far = PitchStatistics.klDivergence(PitchStatistics.smoothed(chromaticOnly), major);
    double near = PitchStatistics.klDivergence(PitchStatistics.smoothed(mostlyScale), major);
    assertTrue(near > 0);
    assertTrue(far > near, "the black keys are further from C major: " + far + " vs " + near);
  }

  @Test
  void noteBigramsFavourTheCorpusStepsAndSmoothUnseenOnes() {
    PitchStatistics.NoteBigrams bigrams = new PitchStatistics.NoteBigrams(List.of(SCALE, SCALE));
    double seen = bigrams.logProbability(60, 62);
    double unseen = bigrams.logProbability(60, 61);
    assertEquals(Math.log(3.0 / 130), seen, 1e-12);
    assertEquals(Math.log(1.0 / 130), unseen, 1e-12);
    double total = 0;
    for (int next = 0; next < 128; next++) {
      total += Math.exp(bigrams.logProbability(64, next));
    }
    assertEquals(1.0, total, 1e-12);
    // A pitch never followed by anything: uniform.
    assertEquals(Math.log(1.0 / 128), bigrams.logProbability(30, 31), 1e-12);
  }
}
