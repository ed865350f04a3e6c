package continuo.schedule;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.NanoClock;

/**
 * Waits for a deadline the way a scheduler must: park while the deadline is far (cheap, but the OS
 * wakes late by tens of microseconds), then spin the last stretch (exact). For the threads that
 * send MIDI at its time; never for a thread that must not spin.
 */
public final class PreciseWait {
  private PreciseWait() {}

  /** How long before the deadline parking stops and spinning starts. */
  public static final long SPIN_NANOS = 200_000;

  /**
   * Waits until {@code clock} reaches {@code deadline}, but no longer than {@code maxWaitNanos}
   * (so the caller can look at its queues again); returns true when the deadline was reached.
   */
  public static boolean until(NanoClock clock, long deadline, long maxWaitNanos) {
    long start = clock.nanoTime();
    long left = deadline - start;
    if (left <= 0) {
      return true;
    }
    if (left > SPIN_NANOS) {
      LockSupport.parkNanos(Math.min(left - SPIN_NANOS, maxWaitNanos));
      return clock.nanoTime() >= deadline;
    }
    while (clock.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return true;
  }
}
