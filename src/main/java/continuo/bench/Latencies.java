package continuo.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A set of measured durations in nanoseconds, held in an HdrHistogram (three significant digits:
 * every figure within 0.1%), summarised as the benchmarks report them. Built by one thread, read
 * by any once built.
 */
public final class Latencies {
  /** The longest duration a histogram holds (one hour); longer ones count as one hour. */
  static final long HIGHEST_NANOS = 3_600_000_000_000L;

  private final Histogram histogram;

  public Latencies(long[] nanos, int count) {
    this(newHistogram());
    for (int i = 0; i < count; i++) {
      record(histogram, nanos[i]);
    }
  }

  /** The durations recorded in {@code histogram} (one of {@link #newHistogram()}). */
  public Latencies(Histogram histogram) {
    this.histogram = histogram;
  }

  /**
   * A histogram of a fixed range (1 ns to one hour) that {@link #record} fills without allocating,
   * so that a measuring loop can record as it goes.
   */
  public static Histogram newHistogram() {
    return new Histogram(1, HIGHEST_NANOS, 3);
  }

  /** Records {@code nanos}, clamped to the histogram's range; allocation free. */
  public static void record(Histogram histogram, long nanos) {
    histogram.recordValue(Math.max(0, Math.min(HIGHEST_NANOS, nanos)));
  }

  public int count() {
    return (int) Math.min(Integer.MAX_VALUE, histogram.getTotalCount());
  }

  /** Nearest-rank percentile in microseconds (0 when nothing was measured). */
  public double percentileMicros(double q) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(q * 100) / 1000.0;
  }

  public double maxMicros() {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
  }

  /** How many durations were at least {@code micros}. */
  public long countAtLeast(double micros) {
    long nanos = (long) Math.ceil(micros * 1000);
    if (nanos <= 0) {
      return histogram.getTotalCount();
    }
    return histogram.getTotalCount()
        - histogram.getCountBetweenValues(0, histogram.lowestEquivalentValue(nanos) - 1);
  }

  Histogram histogram() {
    return histogram;
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
