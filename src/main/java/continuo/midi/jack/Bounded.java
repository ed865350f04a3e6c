package continuo.midi.jack;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A libjack call that may never return: {@code jack_client_open} waits for the server's answer,
 * and a frozen server (stopped, or hung) never gives one. The call runs on a daemon thread of its
 * own; the caller waits at most the given time. What the call opens after its caller gave up is
 * closed as soon as it returns. Called by the control thread.
 */
final class Bounded {
  private Bounded() {}

  /** Thrown when the call has not returned in time; it goes on, abandoned, on its thread. */
  static final class TimedOut extends Exception {
    TimedOut(String message) {
      super(message);
    }
  }

  /**
   * The result of {@code call}, run on a daemon thread named {@code name}, within {@code millis};
   * the call's own exception is rethrown as is.
   */
  static <T extends AutoCloseable> T call(String name, long millis, Callable<T> call)
      throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        T value = call.call();
        if (!result.complete(value)) {
          closeQuietly(value); // the caller gave up waiting: nobody else will close it
        }
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    try {
      result.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (result.completeExceptionally(e)) {
        throw new TimedOut("no answer within " + millis / 1000.0 + " s");
      }
      // it returned just now: its result (or exception) below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (result.completeExceptionally(e)) {
        throw new TimedOut("interrupted while waiting for an answer");
      }
    } catch (ExecutionException e) {
      // rethrown below
    }
    try {
      return result.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception x) {
        throw x;
      }
      if (cause instanceof Error x) {
        throw x;
      }
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Abandoned: nothing is listening for what went wrong.
    }
  }
}
