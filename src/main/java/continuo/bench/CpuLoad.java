package continuo.bench;

import java.util.ArrayList;
import java.util.List;

/** Keeps every core but one busy, as a DAW or a synth beside continuo would; close to stop. */
public final class CpuLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();

  /** Starts one spinning daemon thread per core beyond the first (at least one). */
  public static CpuLoad onOtherCores() {
    CpuLoad load = new CpuLoad();
    int others = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    for (int i = 0; i < others; i++) {
      Thread t = new Thread(() -> {
        double x = 1;
        while (!Thread.currentThread().isInterrupted()) {
          x = Math.sqrt(x + 1.0);
        }
      }, "cpu-load-" + i);
      t.setDaemon(true);
      t.start();
      load.threads.add(t);
    }
    return load;
  }

  /** No load at all; closing it does nothing. */
  public static CpuLoad none() {
    return new CpuLoad();
  }

  @Override
  public void close() {
    for (Thread t : threads) {
      t.interrupt();
    }
  }
}
