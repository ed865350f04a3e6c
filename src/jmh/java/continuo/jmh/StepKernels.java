package continuo.jmh;

import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.Models;
import continuo.sample.Sampler;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One LSTM step of a shipped model, per implementation: continuo's plain Java and Vector API
 * steppers, preallocated ND4J, and DL4J's {@code rnnTimeStep}. Every implementation is fed the
 * same token stream, one the model sampled from itself, and DL4J's logits are checked against
 * continuo's before anything is timed. Sample time mode gives the median, p99 and max; {@code
 * -prof gc} gives the bytes allocated per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC",
    "-Xms256m", "-XX:+AlwaysPreTouch"})
public class StepKernels {
  /** A {@code .cmodel} file, relative to the directory JMH runs in (the repository root). */
  @Param({"models/folk.cmodel", "models/piano.cmodel", "models/bach.cmodel"})
  public String model;

  @Param({"vector", "plain", "nd4j", "dl4j"})
  public String stepper;

  private LstmStepper impl;
  private LstmState state;
  private float[] logits;
  private int[] tokens;
  private int next;

  @Setup
  public void setUp() throws Exception {
    LstmWeights weights = ModelFile.read(Path.of(model));
    tokens = sampledTokens(weights, 4096, 7);
    impl = stepper.equals("dl4j") ? dl4j(weights, tokens) : Models.candidate(stepper, weights);
    state = impl.newState();
    logits = new float[weights.config().vocabSize()];
  }

  @TearDown
  public void tearDown() {
    impl.close();
  }

  @Benchmark
  public float step() {
    impl.step(state, tokens[next], logits);
    next = (next + 1) & (tokens.length - 1);
    return logits[0];
  }

  /** What the model plays when left to itself: the stream the live engine steps in a solo. */
  static int[] sampledTokens(LstmWeights weights, int count, long seed) {
    LstmStepper plain = Models.candidate("plain", weights);
    Sampler sampler = new Sampler(seed, weights.config().vocabSize());
    LstmState s = plain.newState();
    float[] out = new float[weights.config().vocabSize()];
    int[] tokens = new int[count];
    int token = 0;
    for (int i = 0; i < count; i++) {
      tokens[i] = token;
      plain.step(s, token, out);
      token = sampler.sample(out, 1f, 1f);
    }
    return tokens;
  }

  /**
   * DL4J's stepper, checked against continuo's on these tokens. It needs DL4J, so it is built only
   * by the {@code jmh} Maven profile ({@code src/jmh-dl4j}); found by name, so that the other
   * kernels also build and run in the tests without DL4J.
   */
  private static LstmStepper dl4j(LstmWeights weights, int[] tokens) throws Exception {
    Class<?> c;
    try {
      c = Class.forName("continuo.model.Dl4jStepper");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the dl4j stepper is built by the jmh Maven profile only "
          + "(mvn -P jmh -DskipTests package)", e);
    }
    return (LstmStepper) c.getMethod("checkedAgainstPlain", LstmWeights.class, int[].class)
        .invoke(null, weights, tokens);
  }
}
