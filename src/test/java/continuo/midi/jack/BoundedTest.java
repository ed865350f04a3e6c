package continuo.midi.jack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BoundedTest {
  /** Stands for a JACK client: something that must be closed once opened. */
  private static final class Opened implements AutoCloseable {
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Test
  void aCallThatDoesNotAnswerInTimeIsGivenUpAndWhatItOpensLaterIsClosed() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    Opened late = new Opened();
    long start = System.nanoTime();
    Bounded.TimedOut e = assertThrows(Bounded.TimedOut.class, () -> Bounded.call("test-frozen",
        200, () -> {
          answer.await();
          return late;
        }));
    long waited = (System.nanoTime() - start) / 1_000_000;
    assertTrue(waited >= 200 && waited < 2_000, "waited " + waited + " ms");
    assertTrue(e.getMessage().contains("0.2 s"), e.getMessage());
    answer.countDown(); // the server thaws: the client it opens now has no one to use it
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!late.closed.get() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertTrue(late.closed.get(), "closed by the abandoned call itself");
  }

  @Test
  void aCallThatAnswersGivesItsResultOrItsOwnException() throws Exception {
    Opened opened = new Opened();
    assertEquals(opened, Bounded.call("test-ok", 5_000, () -> opened));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Bounded.call("test-fails", 5_000, () -> {
          throw new IllegalStateException("no server");
        }));
    assertEquals("no server", e.getMessage());
  }
}
