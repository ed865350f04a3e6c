package continuo.engine;

import continuo.model.LstmStepper;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;

/**
 * Asks the model which metrical level it hears the player at ({@link LevelChoice}) off the engine
 * thread: a judgment steps the model a few thousand times (tens to hundreds of milliseconds), which
 * the engine must not wait for. One question at a time travels through a single preallocated slot:
 * the engine thread fills {@link #window()} and calls {@link #ask} while {@link #idle()}, then
 * collects the answer with {@link #take()}; the judge's own thread ({@link #doWork}, run by an
 * agent runner) steps a sibling of the playing model's stepper ({@link LstmStepper#sibling}),
 * made on that thread when the model changes. Neither side allocates per question nor blocks.
 *
 * <p>{@link #inline} judges on the asking thread at once, for {@code generate} and tests that need
 * the answer deterministically.
 */
public final class LevelJudge implements Agent {
  /** The player's note events a live question is about, at most. */
  public static final int WINDOW_EVENTS = 256;

  /** How long a threaded judge sleeps between looks for a question. */
  static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final int IDLE = 0;
  private static final int ASKED = 1;
  private static final int ANSWERED = 2;

  private final boolean inline;
  private final AtomicInteger phase = new AtomicInteger(IDLE);
  private final LevelChoice.Window window;
  // The question: written by the engine thread before ASKED, read by the judge after it.
  private LstmStepper model;
  private double trackerBpm;
  private double referenceBpm;
  private double onsetsPerBeat;
  private double current;
  // The answer: written by the judge before ANSWERED, read by the engine thread after it.
  private LstmStepper answeredModel;
  private double answer;
  // The judge's own.
  private LevelChoice choice;
  private LstmStepper choiceSource;
  private volatile long lastNanos;
  private volatile long judgments;

  private LevelJudge(boolean inline, int events) {
    this.inline = inline;
    this.window = new LevelChoice.Window(events);
  }

  /** A judge for its own agent thread, asked about windows of up to {@code events} events. */
  public static LevelJudge threaded(int events) {
    return new LevelJudge(false, events);
  }

  /**
   * Starts a threaded judge on a daemon agent thread of its own, which sleeps
   * {@link #IDLE_NANOS} between looks for a question: idle but for one every few beats, while
   * the answer takes tens to hundreds of milliseconds the engine must not wait for. Errors go to
   * {@code errors}; close the runner to stop it.
   */
  public AgentRunner start(ErrorHandler errors) {
    if (inline) {
      throw new IllegalStateException("an inline judge answers on the asking thread");
    }
    AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(IDLE_NANOS), errors, null, this);
    AgentRunner.startOnThread(runner, r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    return runner;
  }

  /** A judge that answers on the asking thread, at once. */
  public static LevelJudge inline(int events) {
    return new LevelJudge(true, events);
  }

  @Override
  public String roleName() {
    return "continuo-level";
  }

  /** Engine thread: whether a question may be asked ({@link #window} may be filled). */
  public boolean idle() {
    return phase.get() == IDLE;
  }

  /** Engine thread, while {@link #idle}: the window to fill with the player's recent events. */
  public LevelChoice.Window window() {
    return window;
  }

  /**
   * Engine thread, while {@link #idle}: asks at which level {@code model} hears {@link #window} (see
   * {@link LevelChoice#choose}); {@code current} is the level heard now (NaN: none), which is kept
   * when the model hesitates.
   */
  public void ask(LstmStepper model, double trackerBpm, double referenceBpm, double onsetsPerBeat,
      double current) {
    if (phase.get() != IDLE) {
      throw new IllegalStateException("a question is still open");
    }
    this.model = model;
    this.trackerBpm = trackerBpm;
    this.referenceBpm = referenceBpm;
    this.onsetsPerBeat = onsetsPerBeat;
    this.current = current;
    phase.set(ASKED);
    if (inline) {
      judge();
    }
  }

  /** Engine thread: whether the question asked is answered ({@link #take} the answer). */
  public boolean answered() {
    return phase.get() == ANSWERED;
  }

  /**
   * Engine thread, once {@link #answered}: the tempo of the level the model hears best, or NaN
   * when the model cannot be asked (a stepper without siblings) or the window was too short;
   * {@link #answeredFor} says which model it was. The judge is idle again.
   */
  public double take() {
    if (phase.get() != ANSWERED) {
      throw new IllegalStateException("no answer to take");
    }
    double a = answer;
    phase.set(IDLE);
    return a;
  }

  /** Engine thread: the model the last answer {@link #take} gave was for (a switch may have come since). */
  public LstmStepper answeredFor() {
    return answeredModel;
  }

  @Override
  public int doWork() {
    if (inline || phase.get() != ASKED) {
      return 0;
    }
    judge();
    return 1;
  }

  private void judge() {
    long start = System.nanoTime();
    try {
      if (choiceSource != model) {
        choiceSource = model;
        LstmStepper sibling = model.sibling();
        choice = sibling == null ? null : new LevelChoice(sibling);
      }
      answer = choice == null ? Double.NaN
          : choice.choose(window, trackerBpm, referenceBpm, onsetsPerBeat, current);
    } catch (RuntimeException | OutOfMemoryError e) {
      // A model that fails here is not asked again; the engine falls back on the onset density.
      choice = null;
      answer = Double.NaN;
    }
    answeredModel = model;
    lastNanos = System.nanoTime() - start;
    judgments++;
    phase.set(ANSWERED);
  }

  /** Any thread: how long the last judgment took, in nanoseconds. */
  public long lastNanos() {
    return lastNanos;
  }

  /** Any thread: judgments made so far. */
  public long judgments() {
    return judgments;
  }
}
