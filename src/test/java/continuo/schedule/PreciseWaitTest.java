package continuo.schedule;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.testkit.FakeClock;
import org.junit.jupiter.api.Test;

class PreciseWaitTest {
  @Test
  void aDeadlineInThePastNeedsNoWait() {
    FakeClock clock = new FakeClock();
    assertTrue(PreciseWait.until(clock, clock.nanoTime() - 1, 1_000));
    assertTrue(PreciseWait.until(clock, clock.nanoTime(), 1_000));
  }

  @Test
  void aFarDeadlineReturnsAfterTheMaximumWaitSoTheCallerCanLookAgain() {
    FakeClock clock = new FakeClock();
    assertFalse(PreciseWait.until(clock, clock.nanoTime() + 5_000_000_000L, 1_000));
  }

  @Test
  void theLastStretchIsSpunUntilTheClockGetsThere() throws Exception {
    FakeClock clock = new FakeClock();
    long deadline = clock.nanoTime() + 100_000; // inside the spin stretch
    Thread mover = new Thread(() -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
      clock.advanceNanos(100_000);
    });
    mover.start();
    assertTrue(PreciseWait.until(clock, deadline, 1_000_000));
    // Returning true without waiting would pass the line above; the clock must be there.
    assertTrue(clock.nanoTime() >= deadline, "returned before the deadline");
    mover.join();
  }
}
