package continuo.testkit;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.model.ModelConfig;
import java.util.Arrays;

/**
 * A stand-in model whose next-token preference is a fixed cycle: after n tokens in a state it
 * prefers {@code cycle[n % cycle.length]}, with a 100 ms TIME_SHIFT as the second choice (so a
 * masked choice falls back to waiting). The token count lives in the state itself ({@code h(0)[0]}),
 * so snapshots and roll-backs of the state are visible to tests. Allocation free.
 */
public final class ScriptedStepper implements LstmStepper {
  private final int[] cycle;
  private ModelConfig config = ModelConfig.performance("scripted", "test model", 0, 2, 1, null);
  public volatile boolean closed;
  /** When set, every step throws, as a broken model would. */
  public volatile boolean failing;
  /** When set, every step's logits are NaN, as from a model whose weights overflow. */
  public volatile boolean overflowing;
  /** Runs at every step, e.g. to advance a fake clock by what a real step costs. */
  public volatile Runnable eachStep = () -> { };

  public ScriptedStepper(int... cycle) {
    this.cycle = cycle.clone();
  }

  /** Tokens a state has consumed. */
  public static int count(LstmState s) {
    return (int) s.h(0)[0];
  }

  /** This model, saying it speaks at {@code bpm} ({@code reference_bpm}), for tempo tests. */
  public ScriptedStepper withReferenceBpm(double bpm) {
    config = config.withReferenceBpm(bpm);
    return this;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public void step(LstmState state, int token, float[] logits) {
    eachStep.run();
    if (failing) {
      throw new IllegalStateException("scripted failure");
    }
    if (!PerformanceEncoding.isValid(token)) {
      throw new IllegalArgumentException("token " + token);
    }
    state.h(0)[0] += 1;
    state.h(0)[1] = token;
    Arrays.fill(logits, 0f);
    logits[PerformanceEncoding.timeShift(10)] = 1f;
    logits[cycle[count(state) % cycle.length]] = 10f;
    if (overflowing) {
      Arrays.fill(logits, Float.NaN);
    }
  }

  @Override
  public void advance(LstmState state, int token) {
    state.h(0)[0] += 1;
    state.h(0)[1] = token;
  }

  @Override
  public void close() {
    closed = true;
  }
}
