package continuo.testkit;

import org.agrona.concurrent.NanoClock;

/** A clock that only moves when the test says so. */
public final class FakeClock implements NanoClock {
  private volatile long now = 1_000_000_000L;

  @Override
  public long nanoTime() {
    return now;
  }

  public void advanceMillis(long ms) {
    now += ms * 1_000_000L;
  }

  public void advanceNanos(long ns) {
    now += ns;
  }
}
