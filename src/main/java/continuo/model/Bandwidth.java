package continuo.model;

/**
 * Measures how fast one thread can read memory, for the step's bandwidth floor (bytes of weights
 * a step reads divided by this rate). The sweep sums an int array with SIMD loads and several
 * independent accumulators (Vector API when present, else a loop C2 vectorizes), and keeps the
 * best of several passes. A working set far larger than the caches gives the
 * DRAM rate; one the size of a model's weights gives the rate at which those weights can be
 * streamed when they stay cache-resident between steps.
 */
public final class Bandwidth {
  private Bandwidth() {}

  private static volatile long sink;

  /** Best read rate over {@code passes} sweeps of {@code bytes} bytes, in bytes per second. */
  public static double readBytesPerSecond(long bytes, int passes) {
    int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1024, bytes / 4));
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    // Repeat small working sets so each timed pass lasts long enough for nanoTime.
    int repeats = (int) Math.max(1, (64L << 20) / (4L * n));
    for (int w = 0; w < 3; w++) {
      sink += sweep(a, repeats);
    }
    double best = 0;
    for (int p = 0; p < passes; p++) {
      long t0 = System.nanoTime();
      sink += sweep(a, repeats);
      long t1 = System.nanoTime();
      best = Math.max(best, 4.0 * n * repeats / ((t1 - t0) / 1e9));
    }
    return best;
  }

  private static long sweep(int[] a, int repeats) {
    if (Models.vectorApiAvailable()) {
      return VectorSweep.sweep(a, repeats);
    }
    long total = 0;
    for (int r = 0; r < repeats; r++) {
      int s = 0;
      for (int i = 0; i < a.length; i++) {
        s += a[i];
      }
      total += s;
    }
    return total;
  }
}
