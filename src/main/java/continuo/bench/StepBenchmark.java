package continuo.bench;

import com.sun.management.ThreadMXBean;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.sample.Sampler;
import java.lang.management.ManagementFactory;

/**
 * Measures one stepper the way the live engine drives it: the model is fed its own samples
 * (temperature 1), one token at a time, after a warm-up long enough for the JIT to compile the
 * step. Each step and each sampling call is timed on its own with {@link System#nanoTime}; the
 * bytes the thread allocates over the measured loop come from the JVM's per-thread allocation
 * counter. Runs on the calling thread; for the {@code bench} command, never for unit tests.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  /** Steps between two looks at the allocation counter once the timed warm-up is over. */
  private static final int WARM_UP_BATCH = 100;

  /** The least time the allocation-free check may add to a short warm-up. */
  private static final long MIN_EXTRA_WARM_UP_MS = 2_000;

  /** Timings in microseconds; {@code allocBytesPerStep} covers step plus sampling. */
  public record Result(
      String stepper, int steps, double stepP50, double stepP99, double stepMax, double sampleP50,
      double allocBytesPerStep) {}

  public static Result run(String name, LstmStepper stepper, int steps, long warmupMillis, long seed) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be positive, got " + steps);
    }
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    int v = stepper.config().vocabSize();
    LstmState state = stepper.newState();
    float[] logits = new float[v];
    Sampler sampler = new Sampler(seed, v);
    long[] stepNs = new long[steps];
    long[] sampleNs = new long[steps];
    int token = 0;
    long overhead = allocationCounterOverhead(mx);
    long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
    for (int i = 0; i < 2_000 || System.nanoTime() < warmEnd; i++) {
      stepper.step(state, token, logits);
      token = sampler.sample(logits, 1f, 1f);
    }
    // On a busy machine the JIT may not have compiled the step within the warm-up time, and the
    // measured loop would time the interpreter; go on until a batch allocates nothing (only
    // compiled code gets there), for at most as long again. A stepper that allocates by design
    // (ND4J) stops at that limit, and its allocation is reported below.
    long limit = System.nanoTime() + Math.max(warmupMillis, MIN_EXTRA_WARM_UP_MS) * 1_000_000L;
    while (System.nanoTime() < limit) {
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < WARM_UP_BATCH; i++) {
        stepper.step(state, token, logits);
        token = sampler.sample(logits, 1f, 1f);
      }
      if (mx.getCurrentThreadAllocatedBytes() - before - overhead <= 0) {
        break;
      }
    }
    long allocBefore = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      stepper.step(state, token, logits);
      long t1 = System.nanoTime();
      token = sampler.sample(logits, 1f, 1f);
      long t2 = System.nanoTime();
      stepNs[i] = t1 - t0;
      sampleNs[i] = t2 - t1;
    }
    long allocated = Math.max(0, mx.getCurrentThreadAllocatedBytes() - allocBefore - overhead);
    Latencies step = new Latencies(stepNs, steps);
    Latencies sample = new Latencies(sampleNs, steps);
    return new Result(name, steps, step.percentileMicros(0.50), step.percentileMicros(0.99),
        step.maxMicros(), sample.percentileMicros(0.50), (double) allocated / steps);
  }

  /** What reading the counter itself allocates, so that it is not charged to the step. */
  private static long allocationCounterOverhead(ThreadMXBean mx) {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long a = mx.getCurrentThreadAllocatedBytes();
      long b = mx.getCurrentThreadAllocatedBytes();
      least = Math.min(least, b - a);
    }
    return least;
  }
}
