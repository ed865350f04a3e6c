package continuo.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a kernel over row ranges on a fixed set of threads: the calling thread takes the first
 * range, pooled daemon threads the others, and the call returns when all are done. Results never
 * depend on the number of threads: kernels write disjoint rows and reduce in fixed row order.
 * Called by the training thread only; {@link #close} ends the pool.
 */
final class Parallel implements AutoCloseable {
  /** A kernel over rows {@code from} (inclusive) to {@code to} (exclusive). */
  interface Rows {
    void run(int from, int to);
  }

  private final int threads;
  private final ExecutorService pool;
  private final Future<?>[] pending;

  Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "continuo-train-kernel");
      t.setDaemon(true);
      return t;
    });
    pending = new Future<?>[threads];
  }

  int threads() {
    return threads;
  }

  /** Runs {@code task} over 0..rows, split into at most one range per thread. */
  void forRows(int rows, Rows task) {
    int parts = Math.min(threads, rows);
    if (parts <= 1) {
      task.run(0, rows);
      return;
    }
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) rows * p / parts);
      int to = (int) ((long) rows * (p + 1) / parts);
      pending[p] = pool.submit(() -> task.run(from, to));
    }
    RuntimeException failure = null;
    try {
      task.run(0, rows / parts);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (int p = 1; p < parts; p++) {
      try {
        pending[p].get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while training", e);
      }
      pending[p] = null;
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
