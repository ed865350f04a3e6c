package continuo.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A set of measured durations in nanoseconds, summarised as the benchmarks report them. */
public final class Latencies {
  private final long[] sorted;

  public Latencies(long[] nanos, int count) {
    this.sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** Nearest-rank percentile in microseconds (0 when nothing was measured). */
  public double percentileMicros(double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
  }

  public double maxMicros() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0;
  }

  long[] sortedNanos() {
    return sorted;
  }

  /** {@code PREFIX_us_p50}, {@code _p99}, {@code _max} and {@code PREFIX_count}, rounded to 0.01. */
  public Map<String, Object> fields(String prefix) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(prefix + "_count", count());
    m.put(prefix + "_us_p50", round(percentileMicros(0.50)));
    m.put(prefix + "_us_p99", round(percentileMicros(0.99)));
    m.put(prefix + "_us_max", round(maxMicros()));
    return m;
  }

  /** {@code x} rounded to two decimals, as every figure of the benchmarks' output is. */
  public static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
