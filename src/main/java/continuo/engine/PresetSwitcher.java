package continuo.engine;

import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.preset.Preset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * Loads a preset's model off the real-time path and warms it with the recent history, so the engine
 * only has to swap references between two events. The engine thread calls {@link #request}, {@link
 * #poll} and {@link #retire}, which allocate nothing and never block: requests travel in a few
 * preallocated slots through single-producer/single-consumer queues. The loading runs in {@link
 * #doWork} on this switcher's own agent thread, which may block and allocate. A model that fails to
 * load, for whatever reason (an {@link OutOfMemoryError} from a model too big for the heap
 * included), is reported in one line and never replaces the one playing; a request for the preset
 * already playing is reported and not loaded again.
 */
public final class PresetSwitcher implements Agent, AutoCloseable {

  /** A model ready to take over: warmed with {@code warmedTokens} of history. */
  public record Ready(Preset preset, LstmStepper stepper, LstmState state, float[] logits,
      long warmedTokens) {}

  /** The most history a request carries; longer histories are cut to their most recent tokens. */
  public static final int MAX_HISTORY = 1024;

  /** Requests that may wait at once; one more is refused (false), never blocks the engine. */
  static final int SLOTS = 4;

  /** A request slot, filled by the engine thread and read by the switcher thread. */
  private static final class Request {
    final int[] tokens = new int[MAX_HISTORY];
    Preset preset;
    int count;
    long historyEnd;
  }

  private final ModelLoader loader;
  private final Consumer<String> report;
  /** Empty slots: filled by the switcher thread, taken by the engine thread. */
  private final OneToOneConcurrentArrayQueue<Request> free =
      new OneToOneConcurrentArrayQueue<>(SLOTS);
  /** Filled slots: from the engine thread to the switcher thread. */
  private final OneToOneConcurrentArrayQueue<Request> requests =
      new OneToOneConcurrentArrayQueue<>(SLOTS);
  /** Steppers that no longer play: from the engine thread, closed on the switcher thread. */
  private final OneToOneConcurrentArrayQueue<LstmStepper> retired =
      new OneToOneConcurrentArrayQueue<>(8);
  /** The newest loaded model; a newer one replaces (and closes) one the engine has not taken. */
  private final AtomicReference<Ready> ready = new AtomicReference<>();
  private final AgentRunner runner;
  /** Switcher thread: the preset playing once the engine has taken what was handed over. */
  private Preset current;
  private volatile boolean closing;

  /**
   * Starts the switcher on its own thread, parking up to 100 ms when idle (the engine wakes it on a
   * request). {@code loader} checks that a model fits the live engine (see {@link
   * LiveSession#loadModel}); {@code report} receives one line per load or failure, on the
   * switcher's thread.
   */
  public PresetSwitcher(ModelLoader loader, Consumer<String> report) {
    this(loader, report, null, defaultIdleStrategy());
  }

  /**
   * As {@link #PresetSwitcher(ModelLoader, Consumer)}, knowing that {@code playing} plays now (a
   * request for it is not loaded again; null: none known), idling with {@code idle}.
   */
  public PresetSwitcher(ModelLoader loader, Consumer<String> report, Preset playing,
      IdleStrategy idle) {
    this.loader = loader;
    this.report = report;
    this.current = playing;
    for (int i = 0; i < SLOTS; i++) {
      free.offer(new Request());
    }
    runner = new AgentRunner(idle, t -> {
      if (!(t instanceof AgentTerminationException)) {
        report.accept("preset switch failed: " + t);
      }
    }, null, this);
    AgentRunner.startOnThread(runner, r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Idle: spin a little, then park from 1 µs up to 100 ms. The engine unparks it on a request or a
   * retired model, so the bound costs only wake-ups, not switching time.
   */
  public static IdleStrategy defaultIdleStrategy() {
    return new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1),
        TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Override
  public String roleName() {
    return "continuo-preset-switch";
  }

  /**
   * Engine thread: asks for {@code preset}, warmed with {@code history} (the tokens that end at
   * token number {@code historyEnd}; copied, so the caller may reuse the array). False when too
   * many requests are pending. Allocates nothing.
   */
  public boolean request(Preset preset, int[] history, long historyEnd) {
    Request r = free.poll();
    if (r == null) {
      return false;
    }
    int n = Math.min(history.length, MAX_HISTORY);
    System.arraycopy(history, history.length - n, r.tokens, 0, n);
    r.count = n;
    r.historyEnd = historyEnd;
    r.preset = preset;
    requests.offer(r); // never full: there are only SLOTS slots
    wake();
    return true;
  }

  /** Engine thread: the model that finished loading since the last poll, or null. */
  public Ready poll() {
    return ready.getAndSet(null);
  }

  /** Engine thread: hands back a stepper that no longer plays, to be closed off the hot path. */
  public void retire(LstmStepper old) {
    if (!retired.offer(old)) {
      old.close(); // eight retired and none closed yet: never seen, but nothing may leak
    }
    wake();
  }

  private void wake() {
    Thread t = runner.thread();
    if (t != null && t != AgentRunner.TOMBSTONE) {
      LockSupport.unpark(t);
    }
  }

  /** Switcher thread: closes what the engine retired, then serves one request. */
  @Override
  public int doWork() {
    if (closing) {
      throw new AgentTerminationException();
    }
    int work = 0;
    LstmStepper old;
    while ((old = retired.poll()) != null) {
      closeQuietly(old);
      work++;
    }
    Request r = requests.poll();
    if (r != null) {
      try {
        serve(r);
      } finally {
        r.preset = null;
        free.offer(r);
      }
      work++;
    }
    return work;
  }

  private void serve(Request r) {
    Preset preset = r.preset;
    if (current != null && current.name().equals(preset.name())) {
      report.accept("preset '" + preset.name() + "' is already playing; not loaded again");
      return;
    }
    long start = System.nanoTime();
    LstmStepper stepper = null;
    try {
      stepper = loader.load(preset);
      LstmState state = stepper.newState();
      float[] logits = new float[stepper.config().vocabSize()];
      for (int i = 0; i < r.count; i++) {
        stepper.step(state, r.tokens[i], logits);
      }
      Ready previous = ready.getAndSet(new Ready(preset, stepper, state, logits, r.historyEnd));
      if (previous != null) {
        closeQuietly(previous.stepper());
      }
      current = preset;
    } catch (Throwable t) { // whatever a load does, the model playing goes on playing
      if (stepper != null) {
        closeQuietly(stepper);
      }
      report.accept("preset '" + preset.name() + "' not loaded, keeping the current one: "
          + why(t));
      return;
    }
    report.accept(String.format("preset '%s' loaded and warmed with %d tokens in %d ms",
        preset.name(), r.count, (System.nanoTime() - start) / 1_000_000));
  }

  private static String why(Throwable t) {
    if (t instanceof OutOfMemoryError) {
      return "out of memory (" + t.getMessage() + "): the model does not fit in the heap; use a "
          + "smaller model or give continuo more memory (-Xmx)";
    }
    String message = t.getMessage();
    return message == null ? t.toString() : message.replace('\n', ' ');
  }

  private static void closeQuietly(LstmStepper s) {
    try {
      s.close();
    } catch (RuntimeException e) {
      // Nothing plays on it any more; a failed close leaves only memory for the collector.
    }
  }

  /** Switcher thread, as it ends: a model loaded but never taken is closed. */
  @Override
  public void onClose() {
    Ready r = ready.getAndSet(null);
    if (r != null) {
      closeQuietly(r.stepper());
    }
    LstmStepper old;
    while ((old = retired.poll()) != null) {
      closeQuietly(old);
    }
  }

  /**
   * Stops the switcher. Waits up to a second for a load in progress; a longer one finishes on its
   * (daemon) thread, which then closes what it loaded.
   */
  @Override
  public void close() {
    closing = true;
    wake();
    Thread t = runner.thread();
    if (t != null && t != AgentRunner.TOMBSTONE) {
      try {
        t.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        return;
      }
    }
    runner.close();
  }
}
