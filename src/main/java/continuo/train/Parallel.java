package continuo.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

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

  /** Part {@code part} of {@code parts} of a loop whose parts meet at {@code barrier} each step. */
  interface Gang {
    void run(int part, int parts, Barrier barrier);
  }

  /**
   * Where the parts of a {@link Gang} wait for each other: each spins briefly (the others are
   * usually a few microseconds away), then parks until the last to arrive wakes it, so that a
   * part whose thread the operating system has set aside gets the core. A part that fails breaks
   * it, and the others then fail instead of waiting.
   */
  static final class Barrier {
    private static final int SPINS = 2_000;
    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicReferenceArray<Thread> waiting;
    private volatile int generation;
    private volatile boolean broken;

    Barrier(int parties) {
      this.parties = parties;
      waiting = new AtomicReferenceArray<>(parties);
    }

    void await() {
      if (parties == 1) {
        return;
      }
      int gen = generation;
      int ticket = arrived.incrementAndGet();
      if (ticket == parties) {
        arrived.set(0);
        generation = gen + 1;
        for (int i = 0; i < parties; i++) {
          Thread t = waiting.getAndSet(i, null);
          if (t != null) {
            LockSupport.unpark(t);
          }
        }
        return;
      }
      for (int spins = 0; spins < SPINS && generation == gen; spins++) {
        Thread.onSpinWait();
      }
      if (generation == gen) {
        waiting.set(ticket, Thread.currentThread());
        while (generation == gen && !broken) {
          LockSupport.parkNanos(this, 1_000_000L);
        }
      }
      if (generation == gen && broken) {
        throw new Broken();
      }
    }

    void breakIt() {
      broken = true;
    }
  }

  /** A part gave up because another failed; that other failure is the one reported. */
  private static final class Broken extends IllegalStateException {
    Broken() {
      super("another training thread failed");
    }
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
    await(parts, failure);
  }

  /** Waits for parts 1..parts-1, then throws the first failure of any part. */
  private void await(int parts, RuntimeException first) {
    RuntimeException failure = first;
    for (int p = 1; p < parts; p++) {
      try {
        pending[p].get();
      } catch (ExecutionException e) {
        if (failure == null || failure instanceof Broken) {
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

  /**
   * Runs {@code parts} (at most one per thread) parts of {@code task} at once, every part on a
   * thread of its own so that they can meet at the barrier, and returns when all are done.
   */
  void together(int parts, Gang task) {
    int n = Math.max(1, Math.min(threads, parts));
    if (n == 1) {
      task.run(0, 1, new Barrier(1));
      return;
    }
    Barrier barrier = new Barrier(n);
    for (int p = 1; p < n; p++) {
      int part = p;
      pending[p] = pool.submit(() -> runPart(task, part, n, barrier));
    }
    RuntimeException failure = null;
    try {
      runPart(task, 0, n, barrier);
    } catch (RuntimeException e) {
      failure = e;
    }
    await(n, failure);
  }

  private static void runPart(Gang task, int part, int parts, Barrier barrier) {
    try {
      task.run(part, parts, barrier);
    } catch (RuntimeException | Error e) {
      barrier.breakIt();
      throw e;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
