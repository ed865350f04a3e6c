package continuo.engine;

import continuo.model.LstmStepper;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.agrona.concurrent.Agent;

/**
 * A one-off job as an agent: lets the JIT compile a stepper before it plays (see {@link
 * LiveSession#WARM_UP_MIN_STEPS}), on its own thread while the backend opens, then idles until its
 * runner is closed. The control thread waits for it with {@link #awaitDone}.
 */
final class WarmUpAgent implements Agent {
  private final LstmStepper stepper;
  private final CompletableFuture<Integer> steps = new CompletableFuture<>();

  WarmUpAgent(LstmStepper stepper) {
    this.stepper = stepper;
  }

  @Override
  public String roleName() {
    return "continuo-warm-up";
  }

  /** Warm-up thread: the whole warm-up in the first call; nothing after. */
  @Override
  public int doWork() {
    if (steps.isDone()) {
      return 0;
    }
    try {
      steps.complete(LiveSession.warmUp(stepper));
    } catch (RuntimeException | Error e) {
      steps.completeExceptionally(e);
    }
    return 1;
  }

  /** Control thread: waits until the warm-up is over, whether it worked or failed. */
  void awaitDone() {
    steps.handle((n, e) -> n).join(); // a failure is for steps() to throw
  }

  /** Control thread, after {@link #awaitDone}: the steps the warm-up took; its error if it failed. */
  int steps() {
    try {
      return steps.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw e;
    }
  }
}
