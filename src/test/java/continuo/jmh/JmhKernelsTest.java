package continuo.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH kernels of the live path briefly, in a forked JVM as JMH always does, with {@code
 * -prof gc}: the step of both real-time steppers, the sampler and the steering must allocate
 * nothing. Checks the
 * allocation, never the time (that is for BENCHMARKS.md, measured on an idle machine).
 */
class JmhKernelsTest {
  /**
   * JMH's own harness allocates a few KB a second, a fraction of a byte per operation here
   * (0.01-0.17 B/op measured); the smallest object is 16 B, so one allocation per operation, or
   * one every fourth, is well above this.
   */
  private static final double HARNESS_BYTES_PER_OP = 4.0;

  @Test
  void theLiveKernelsAllocateNothingUnderJmhsGcProfiler() throws Exception {
    Options options = new OptionsBuilder()
        .include(StepKernels.class.getName() + "|" + SampleKernel.class.getName())
        .param("model", "models/bach.cmodel")
        .param("stepper", "vector", "plain")
        .mode(Mode.AverageTime)
        .timeUnit(TimeUnit.MICROSECONDS)
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(1)
        .measurementTime(TimeValue.seconds(1))
        .forks(1)
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();

    assertTrue(results.size() >= 3, "both steppers and the sampler ran: " + results.size());
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark() + " " + r.getParams().getParam("stepper");
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      assertTrue(alloc != null, name + ": no gc.alloc.rate.norm in " + r.getSecondaryResults());
      assertEquals("B/op", alloc.getScoreUnit());
      assertTrue(alloc.getScore() < HARNESS_BYTES_PER_OP,
          name + " allocates " + alloc.getScore() + " B/op");
      assertTrue(r.getPrimaryResult().getScore() > 0, name);
    }
  }

  /**
   * The steering's kernels (issue 17): key and register masks, density bias with folding, and the
   * key estimator's update, on the folk model's logits, allocate nothing either.
   */
  @Test
  void theSteeringKernelsAllocateNothingUnderJmhsGcProfiler() throws Exception {
    Options options = new OptionsBuilder()
        .include(SteerKernels.class.getName())
        .mode(Mode.AverageTime)
        .timeUnit(TimeUnit.MICROSECONDS)
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(1)
        .measurementTime(TimeValue.seconds(1))
        .forks(1)
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();

    assertEquals(4, results.size(), "copy, masks, everything and the estimator ran");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      assertTrue(alloc != null, name + ": no gc.alloc.rate.norm in " + r.getSecondaryResults());
      assertTrue(alloc.getScore() < HARNESS_BYTES_PER_OP,
          name + " allocates " + alloc.getScore() + " B/op");
    }
  }
}
