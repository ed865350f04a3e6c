package continuo.engine;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Empties the young generation just before the jam starts. The model's warm-up allocates about a
 * gigabyte (the Vector API boxes vectors until C2 has compiled the step) and leaves the young
 * generation anywhere from empty to nearly full; the jam itself allocates only about 1 KB/s, so
 * where the warm-up left off decided whether the jam's first collection came after seconds or
 * after hours. Allocating until one collection has run
 * costs a few milliseconds of start-up, where {@code System.gc()}, a full collection with the
 * serial collector, costs 20-30 ms. Called once, by the thread that opens the session.
 */
final class YoungGeneration {
  private static final int CHUNK_BYTES = 256 * 1024;

  /** Keeps the chunks from being optimized away; nothing reads it. */
  @SuppressWarnings("unused")
  private static volatile byte[] sink;

  private YoungGeneration() {
  }

  /**
   * Allocates until a collection has run. Gives up after allocating the whole maximum heap, which
   * only a collector that never collects would make it do.
   */
  static void empty() {
    List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    long before = collections(collectors);
    long limit = Runtime.getRuntime().maxMemory();
    long allocated = 0;
    while (collections(collectors) == before && allocated < limit) {
      sink = new byte[CHUNK_BYTES];
      allocated += CHUNK_BYTES;
    }
    sink = null;
  }

  private static long collections(List<GarbageCollectorMXBean> collectors) {
    long n = 0;
    for (GarbageCollectorMXBean c : collectors) {
      n += Math.max(0, c.getCollectionCount());
    }
    return n;
  }
}
