package continuo.bench;

import org.HdrHistogram.Histogram;

/**
 * How long this machine keeps a runnable thread from running: one thread does nothing but read the
 * clock, never blocking and allocating nothing, and every gap between two consecutive reads longer
 * than {@link #RECORD_NANOS} is a stall it did not ask for (the kernel, an interrupt, or the host
 * running something else on the virtual CPU). No code on the thread can be timed better than this:
 * it is the floor under the scheduler's and the engine's worst cases.
 */
public final class HiccupBenchmark {
  private HiccupBenchmark() {}

  /** Gaps shorter than this are the loop itself and are not recorded. */
  static final long RECORD_NANOS = 20_000;

  /**
   * The recorded stalls (at least {@link #RECORD_NANOS} each), how many clock reads there were and
   * how long the thread ran, in seconds.
   */
  public record Result(Latencies stalls, long reads, double seconds) {
    /** Stalls of at least {@code micros}. */
    public long countAtLeast(double micros) {
      return stalls.countAtLeast(micros);
    }
  }

  /** Reads the clock for {@code seconds}, the other cores busy if {@code load}. */
  public static Result run(double seconds, boolean load) {
    Histogram gaps = Latencies.newHistogram();
    long reads = 0;
    try (CpuLoad busy = load ? CpuLoad.onOtherCores() : CpuLoad.none()) {
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long last = start;
      while (last < end) {
        long now = System.nanoTime();
        long gap = now - last;
        if (gap >= RECORD_NANOS) {
          Latencies.record(gaps, gap); // allocation free: the histogram's range is fixed
        }
        last = now;
        reads++;
      }
      return new Result(new Latencies(gaps), reads, (last - start) / 1e9);
    }
  }
}
