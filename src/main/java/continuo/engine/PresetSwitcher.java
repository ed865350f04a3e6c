package continuo.engine;

import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.preset.Preset;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Loads a preset's model off the real-time path and warms it with the recent history, so the engine
 * only has to swap references between two events. The engine thread calls {@link #request} and
 * {@link #poll}; the loading runs on this switcher's own thread, which may block and allocate. A
 * model that fails to load is reported and never replaces the one playing.
 */
public final class PresetSwitcher implements AutoCloseable {

  /** A model ready to take over: warmed with {@code warmedTokens} of history. */
  public record Ready(Preset preset, LstmStepper stepper, LstmState state, float[] logits,
      long warmedTokens) {}

  private record Request(Preset preset, int[] history, long historyEnd) {}

  private final ModelLoader loader;
  private final Consumer<String> report;
  private final BlockingQueue<Request> requests = new ArrayBlockingQueue<>(4);
  private final AtomicReference<Ready> ready = new AtomicReference<>();
  private final BlockingQueue<LstmStepper> retired = new ArrayBlockingQueue<>(8);
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * {@code loader} checks that a model fits the live engine (see {@link LiveSession#loadModel});
   * {@code report} receives one line per load or failure, on the switcher's thread.
   */
  public PresetSwitcher(ModelLoader loader, Consumer<String> report) {
    this.loader = loader;
    this.report = report;
    thread = new Thread(this::run, "continuo-preset-switch");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Engine thread: asks for {@code preset}, warmed with {@code history} (copied by the caller; the
   * tokens that end at token number {@code historyEnd}). False when too many requests are pending.
   */
  public boolean request(Preset preset, int[] history, long historyEnd) {
    boolean queued = requests.offer(new Request(preset, history, historyEnd));
    LockSupport.unpark(thread);
    return queued;
  }

  /** Engine thread: the model that finished loading since the last poll, or null. */
  public Ready poll() {
    return ready.getAndSet(null);
  }

  /** Engine thread: hands back a stepper that no longer plays, to be closed off the hot path. */
  public void retire(LstmStepper old) {
    if (!retired.offer(old)) {
      old.close();
    }
    LockSupport.unpark(thread);
  }

  /**
   * Parks until the engine hands over work: a timed wait on the queue would make a small object
   * every time, all through the jam, for a thread that has nothing to do between switches.
   */
  private void run() {
    while (running) {
      try {
        LstmStepper old;
        while ((old = retired.poll()) != null) {
          old.close();
        }
        Request r = requests.poll();
        if (r != null) {
          load(r);
        } else {
          LockSupport.park(this);
        }
      } catch (RuntimeException e) {
        report.accept("preset switch failed: " + e);
      }
    }
  }

  private void load(Request r) {
    long start = System.nanoTime();
    LstmStepper stepper;
    try {
      stepper = loader.load(r.preset());
    } catch (Exception e) {
      report.accept("preset '" + r.preset().name() + "' not loaded, keeping the current one: "
          + e.getMessage());
      return;
    }
    LstmState state = stepper.newState();
    float[] logits = new float[stepper.config().vocabSize()];
    for (int token : r.history()) {
      stepper.step(state, token, logits);
    }
    Ready previous = ready.getAndSet(
        new Ready(r.preset(), stepper, state, logits, r.historyEnd()));
    if (previous != null) {
      previous.stepper().close();
    }
    report.accept(String.format("preset '%s' loaded and warmed with %d tokens in %d ms",
        r.preset().name(), r.history().length, (System.nanoTime() - start) / 1_000_000));
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Ready r = ready.getAndSet(null);
    if (r != null) {
      r.stepper().close();
    }
  }
}
