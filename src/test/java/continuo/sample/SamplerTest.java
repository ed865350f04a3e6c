package continuo.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
  static final int V = 388;

  static float[] randomLogits(long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] l = new float[V];
    for (int i = 0; i < V; i++) {
      l[i] = (float) (r.nextDouble() * scale);
    }
    return l;
  }

  static double[] softmax(float[] logits, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) max = Math.max(max, l);
    double[] p = new double[logits.length];
    double z = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp((logits[i] - max) / temperature);
      z += p[i];
    }
    for (int i = 0; i < p.length; i++) p[i] /= z;
    return p;
  }

  @Test
  void aTemperatureNearZeroAlwaysPicksTheMostLikelyToken() {
    float[] logits = randomLogits(1, 5);
    logits[123] = 50;
    Sampler s = new Sampler(3, V);
    for (int i = 0; i < 100; i++) {
      assertEquals(123, s.sample(logits, 0f, 1f));
      assertEquals(123, s.sample(logits, 1e-7f, 0.9f));
    }
  }

  @Test
  void atTemperatureOneTheDrawsFollowTheSoftmax() {
    float[] logits = randomLogits(2, 6);
    double[] p = softmax(logits, 1.0);
    Sampler s = new Sampler(11, V);
    int n = 400_000;
    int[] counts = new int[V];
    for (int i = 0; i < n; i++) {
      counts[s.sample(logits, 1f, 1f)]++;
    }
    // Every token within 5 standard deviations of its binomial expectation, and a chi-square check.
    double chi2 = 0;
    for (int t = 0; t < V; t++) {
      double expected = n * p[t];
      double sd = Math.sqrt(n * p[t] * (1 - p[t]));
      assertTrue(Math.abs(counts[t] - expected) <= 5 * sd + 1, "token " + t + ": " + counts[t] + " vs " + expected);
      chi2 += (counts[t] - expected) * (counts[t] - expected) / expected;
    }
    // 387 degrees of freedom: mean 387, sd ~ 27.8; 550 is ~6 sd.
    assertTrue(chi2 < 550, "chi-square " + chi2);
  }

  @Test
  void temperatureSharpensAndFlattensTheDistribution() {
    float[] logits = randomLogits(4, 3);
    Sampler s = new Sampler(5, V);
    int n = 200_000;
    for (double temp : new double[] {0.5, 2.0}) {
      double[] p = softmax(logits, temp);
      int[] counts = new int[V];
      for (int i = 0; i < n; i++) counts[s.sample(logits, (float) temp, 1f)]++;
      for (int t = 0; t < V; t++) {
        double sd = Math.sqrt(n * p[t] * (1 - p[t]));
        assertTrue(Math.abs(counts[t] - n * p[t]) <= 5 * sd + 1, "T=" + temp + " token " + t);
      }
    }
  }

  @Test
  void topPNeverDrawsFromTheTailAndKeepsTheNucleusProportions() {
    float[] logits = new float[V];
    java.util.Arrays.fill(logits, -5f);
    logits[10] = 3f; // the three head tokens hold ~ 0.87 of the mass
    logits[20] = 2.5f;
    logits[30] = 2f;
    double[] p = softmax(logits, 1.0);
    assertTrue(p[10] + p[20] < 0.8 && p[10] + p[20] + p[30] > 0.8);
    Sampler s = new Sampler(9, V);
    int[] counts = new int[V];
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      counts[s.sample(logits, 1f, 0.8f)]++;
    }
    assertEquals(n, counts[10] + counts[20] + counts[30], "only the nucleus is ever drawn");
    double kept = p[10] + p[20] + p[30];
    assertEquals(p[10] / kept, counts[10] / (double) n, 0.01);
    assertEquals(p[30] / kept, counts[30] / (double) n, 0.01);
    // A tiny top-p keeps only the most likely token.
    for (int i = 0; i < 100; i++) {
      assertEquals(10, s.sample(logits, 1f, 0.01f));
    }
  }

  @Test
  void maskedTokensAreNeverChosen() {
    float[] logits = randomLogits(6, 4);
    logits[7] = 40f;
    boolean[] disallowed = new boolean[V];
    for (int t = 0; t < 128; t++) disallowed[t] = true;
    Sampler s = new Sampler(1, V);
    for (int i = 0; i < 20_000; i++) {
      assertTrue(s.sample(logits, 1.5f, i % 2 == 0 ? 1f : 0.9f, disallowed) >= 128);
    }
    assertTrue(s.sample(logits, 0f, 1f, disallowed) >= 128, "argmax respects the mask");
  }

  @Test
  void negativeInfinityLogitsAreNeverChosen() {
    // The offline generator rules out invalid note events this way, starting with token 0.
    float[] logits = randomLogits(6, 9);
    for (int t = 0; t < 256; t++) logits[t] = Float.NEGATIVE_INFINITY;
    Sampler s = new Sampler(3, V);
    for (int i = 0; i < 20_000; i++) {
      float temperature = i % 3 == 0 ? 0.3f : 1.7f;
      int t = s.sample(logits, temperature, i % 2 == 0 ? 1f : 0.9f);
      assertTrue(t >= 256, "drew token " + t + " whose logit is -inf");
    }
    assertTrue(s.sample(logits, 0f, 1f) >= 256, "argmax skips -inf");
  }

  @Test
  void theSameSeedGivesTheSameSequence() {
    float[] logits = randomLogits(8, 3);
    int[] a = new int[1000];
    int[] b = new int[1000];
    Sampler s1 = new Sampler(42, V);
    Sampler s2 = new Sampler(42, V);
    for (int i = 0; i < a.length; i++) {
      a[i] = s1.sample(logits, 1f, i % 3 == 0 ? 0.9f : 1f);
      b[i] = s2.sample(logits, 1f, i % 3 == 0 ? 0.9f : 1f);
    }
    assertArrayEquals(a, b);
    Sampler s3 = new Sampler(43, V);
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (s3.sample(logits, 1f, i % 3 == 0 ? 0.9f : 1f) == a[i]) same++;
    }
    assertTrue(same < 200, "another seed gives another sequence");
  }

  @Test
  void samplingAllocatesNothing() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    float[] logits = randomLogits(10, 5);
    boolean[] mask = new boolean[V];
    mask[3] = true;
    Sampler s = new Sampler(1, V);
    for (int i = 0; i < 20_000; i++) {
      s.sample(logits, 1f, 0.9f, mask);
      s.sample(logits, 1f, 1f);
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      s.sample(logits, 1f, 0.9f, mask);
      s.sample(logits, 0.8f, 1f);
      s.sample(logits, 0f, 1f);
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
  }

  @Test
  void scoresThatAreNotFiniteNumbersGiveNotFiniteInsteadOfAToken() {
    Sampler s = new Sampler(1, V);
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
      float[] logits = randomLogits(4, 5);
      logits[200] = bad;
      for (float t : new float[] {0f, 1f}) {
        assertEquals(Sampler.NOT_FINITE, s.sample(logits, t, 1f), bad + " at temperature " + t);
        assertEquals(Sampler.NOT_FINITE, s.sample(logits, t, 0.9f), bad + " with top-p");
        assertEquals(Sampler.NOT_FINITE, s.sample(logits, t, 1f, new boolean[V]), bad + " masked");
      }
    }
    float[] nothing = new float[V];
    java.util.Arrays.fill(nothing, Float.NEGATIVE_INFINITY);
    assertEquals(Sampler.NOT_FINITE, s.sample(nothing, 1f, 1f), "nothing can be chosen");
    float[] fine = randomLogits(4, 5);
    fine[0] = Float.NEGATIVE_INFINITY; // a masked token is a finite choice among the others
    assertTrue(s.sample(fine, 1f, 1f) > 0);
  }

  @Test
  void detectingScoresThatAreNotFiniteAllocatesNothing() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    float[] logits = randomLogits(10, 5);
    logits[7] = Float.NaN;
    Sampler s = new Sampler(1, V);
    for (int i = 0; i < 20_000; i++) {
      s.sample(logits, 1f, 0.9f);
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    int bad = 0;
    for (int i = 0; i < 10_000; i++) {
      bad += s.sample(logits, 1f, 0.9f) == Sampler.NOT_FINITE ? 1 : 0;
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertEquals(10_000, bad);
    assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
  }
}
