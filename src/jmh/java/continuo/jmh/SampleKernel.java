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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Drawing one event from a step's 388 logits with temperature and nucleus (top-p) sampling, on
 * logits a shipped model really produced (a solo of 256 steps, cycled).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class SampleKernel {
  @Param({"models/folk.cmodel"})
  public String model;

  @Param({"1.0"})
  public float temperature;

  @Param({"1.0", "0.95"})
  public float topP;

  private float[][] logits;
  private Sampler sampler;
  private int next;

  @Setup
  public void setUp() throws Exception {
    LstmWeights weights = ModelFile.read(Path.of(model));
    int v = weights.config().vocabSize();
    int[] tokens = StepKernels.sampledTokens(weights, 256, 11);
    LstmStepper plain = Models.candidate("plain", weights);
    LstmState state = plain.newState();
    logits = new float[tokens.length][v];
    for (int i = 0; i < tokens.length; i++) {
      plain.step(state, tokens[i], logits[i]);
    }
    sampler = new Sampler(3, v);
  }

  @Benchmark
  public int sample() {
    int token = sampler.sample(logits[next], temperature, topP);
    next = (next + 1) % logits.length;
    return token;
  }
}
