package continuo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentilesAreNearestRankWithinATenthOfAPercent() {
    long[] ns = new long[1000];
    for (int i = 0; i < ns.length; i++) {
      ns[i] = (ns.length - i) * 1_000L; // 1..1000 us, unsorted
    }
    Latencies l = new Latencies(ns, ns.length);
    assertEquals(1000, l.count());
    assertEquals(500, l.percentileMicros(0.50), 0.5);
    assertEquals(990, l.percentileMicros(0.99), 0.99);
    assertEquals(1000, l.maxMicros(), 1.0);
    assertEquals(1, l.percentileMicros(0), 0.001);
    assertEquals(501, l.countAtLeast(500));
    assertEquals(1000, l.countAtLeast(0));
  }

  @Test
  void nothingMeasuredIsZeroEverywhere() {
    Latencies l = new Latencies(new long[4], 0);
    assertEquals(Map.of("x_count", 0, "x_us_p50", 0.0, "x_us_p99", 0.0, "x_us_max", 0.0),
        l.fields("x"));
  }

  @Test
  void durationsBeyondTheRangeCountAsItsEnd() {
    Latencies l = new Latencies(new long[] {-5, Long.MAX_VALUE}, 2);
    assertEquals(2, l.count());
    assertEquals(Latencies.HIGHEST_NANOS / 1000.0, l.maxMicros(), Latencies.HIGHEST_NANOS / 1e6);
  }
}
