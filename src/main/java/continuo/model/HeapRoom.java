package continuo.model;

import java.nio.file.Path;

/**
 * Whether a model's parameters fit in the heap before any of them is allocated. A model file's
 * arrays compress to almost nothing when they are all zeros, so the file's size says nothing about
 * what loading it costs: a 797 KB file can declare 204 M parameters. Loading holds the arrays read
 * from the file and the stepper's own prepared copy of them at once, and the Vector API stepper
 * builds one layer's concatenated matrix on the way; so a model needs {@link #bytesNeeded} bytes,
 * which must fit in what the heap can still grow to, less {@link #MARGIN} for the rest of the
 * program. Set-up only; safe from any thread.
 */
interface HeapRoom {
  /** Kept free for the rest of the program (engine, rings, the switcher's next load). */
  long MARGIN = 32L * 1024 * 1024;

  /** Bytes the heap can still take: its maximum less what is in use. */
  long available();

  /** Asks the JVM to free what it can before a load is refused for want of room. */
  default void reclaim() {}

  /** This JVM's heap. */
  HeapRoom JVM = new HeapRoom() {
    @Override
    public long available() {
      Runtime r = Runtime.getRuntime();
      return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    @Override
    public void reclaim() {
      // Only on the way to refusing a model: garbage (a replaced model's arrays) may be what is
      // in the way, and a collection then is cheaper than a refusal that was not needed.
      System.gc();
    }
  };

  /** Bytes a model with this config takes while it is loaded and prepared for stepping. */
  static long bytesNeeded(ModelConfig c) {
    long h = c.hiddenSize();
    long largestLayer = c.layers() > 1 ? 4 * h * 2 * h : 0;
    return 4 * (2 * ModelFile.parameters(c) + largestLayer);
  }

  /**
   * Refuses, in one line naming the file, the parameter count and the memory it needs against what
   * is available, a model that does not fit.
   */
  static void check(Path file, ModelConfig c, HeapRoom heap) throws ModelFormatException {
    long needed = bytesNeeded(c);
    if (needed + MARGIN <= heap.available()) {
      return;
    }
    heap.reclaim();
    long available = Math.max(0, heap.available() - MARGIN);
    if (needed <= available) {
      return;
    }
    throw ModelFile.bad(file, "has " + ModelFile.parameters(c) + " parameters ("
        + ModelFile.describe(c) + "), which need " + mib(needed) + " MB of heap to load, but "
        + mib(available) + " MB are available; give Java more, e.g. CONTINUO_JAVA_OPTS=-Xmx"
        + suggestedGigabytes(needed) + "g");
  }

  private static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }

  /** A heap that holds this model beside what the program uses now, in whole gigabytes. */
  private static long suggestedGigabytes(long needed) {
    Runtime r = Runtime.getRuntime();
    long inUse = r.totalMemory() - r.freeMemory();
    long gib = 1024L * 1024 * 1024;
    return Math.max(1, (needed + inUse + 2 * MARGIN + gib - 1) / gib);
  }
}
