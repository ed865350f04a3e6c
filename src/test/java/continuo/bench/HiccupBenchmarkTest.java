package continuo.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HiccupBenchmarkTest {
  @Test
  void aPauseOfTheWholeJvmShowsAsAStallOfTheClockReadingThread() throws Exception {
    CompletableFuture<HiccupBenchmark.Result> run =
        CompletableFuture.supplyAsync(() -> HiccupBenchmark.run(1.5, false));
    Thread.sleep(500);
    // A full collection stops every Java thread at a safepoint: a stall the benchmark must see.
    long t0 = System.nanoTime();
    System.gc();
    long pauseMicros = (System.nanoTime() - t0) / 1000;
    HiccupBenchmark.Result r = run.get();

    assertTrue(r.reads() > 1_000_000, "the thread read the clock: " + r.reads());
    assertTrue(r.seconds() >= 1.5 && r.seconds() < 3, "ran for its time: " + r.seconds());
    assertTrue(r.stalls().maxMicros() >= pauseMicros / 2,
        "the collection's pause (" + pauseMicros + " us) was recorded: longest stall "
            + r.stalls().maxMicros() + " us");
    assertTrue(r.countAtLeast(0) == r.stalls().count());
    assertTrue(r.countAtLeast(pauseMicros / 2.0) >= 1);
  }
}
