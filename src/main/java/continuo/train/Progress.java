package continuo.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The training progress line: a bar, events per second, running loss and the epoch's ETA. On a
 * terminal it redraws one line; otherwise it prints a plain line every half minute, for logs.
 */
final class Progress {
  private static final int WIDTH = 30;
  private static final long LOG_EVERY_NANOS = 30_000_000_000L;

  private final PrintStream out;
  private final boolean terminal = System.console() != null;
  private int epoch;
  private int epochs;
  private int total;
  private int first;
  private long started;
  private long lastPrint;
  private boolean drawn;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** A new epoch of {@code windows} windows, starting at window {@code first} (when resuming). */
  void startEpoch(int epoch, int epochs, int windows, int first) {
    this.epoch = epoch;
    this.epochs = epochs;
    this.total = windows;
    this.first = first;
    started = System.nanoTime();
    lastPrint = started;
  }

  void update(int done, double loss, double eventsPerSecond) {
    long now = System.nanoTime();
    if (!terminal && now - lastPrint < LOG_EVERY_NANOS && done < total) {
      return;
    }
    if (terminal && now - lastPrint < 200_000_000L && done < total) {
      return;
    }
    lastPrint = now;
    int filled = (int) ((long) WIDTH * done / Math.max(total, 1));
    String line = String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d windows, %,.0f events/s,"
            + " loss %.4f, ETA %s", epoch, epochs, "#".repeat(filled), ".".repeat(WIDTH - filled),
        done, total, eventsPerSecond, loss, eta(done, now));
    if (terminal) {
      out.print("\r" + line);
      drawn = true;
    } else {
      out.println(line);
    }
  }

  private String eta(int done, long now) {
    int run = done - first;
    if (run <= 0) {
      return "?";
    }
    long seconds = (long) ((now - started) / 1e9 / run * (total - done));
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }

  void finish() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }
}
