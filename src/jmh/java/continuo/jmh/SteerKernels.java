package continuo.jmh;

import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.Models;
import continuo.steer.Key;
import continuo.steer.KeyEstimator;
import continuo.steer.LogitBias;
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
 * The per-step cost of steering: copying a step's 388 logits (the baseline every kernel pays),
 * then the key and register masks, then everything at once (density, a key at strength 0.8, a
 * register folded an octave inside), on logits the folk model really produced; and one update of
 * the key estimator holding 12 s of eighth notes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class SteerKernels {
  @Param({"models/folk.cmodel"})
  public String model;

  private float[][] logits;
  private float[] work;
  private int next;
  private final LogitBias masks = new LogitBias();
  private final LogitBias everything = new LogitBias();
  private final KeyEstimator estimator = new KeyEstimator();
  private long nanos;
  private int note;

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
    work = new float[v];
    masks.setKey(Key.parse("F major"));
    masks.setRange(60, 79, false);
    everything.setKey(Key.parse("F major"));
    everything.setKeyStrength(0.8);
    everything.setRange(60, 79, true);
    everything.setDensity(2);
    for (int i = 0; i < 96; i++) {
      eighth();
    }
  }

  private float[] nextLogits() {
    float[] l = logits[next];
    next = (next + 1) % logits.length;
    System.arraycopy(l, 0, work, 0, work.length);
    return work;
  }

  @Benchmark
  public float copyOnly() {
    return nextLogits()[0];
  }

  @Benchmark
  public float keyAndRange() {
    float[] l = nextLogits();
    masks.apply(l);
    return l[65];
  }

  @Benchmark
  public float everything() {
    float[] l = nextLogits();
    everything.apply(l);
    return l[65];
  }

  /** One note of a C major arpeggio in eighths at 120 bpm, and the update that follows it. */
  @Benchmark
  public boolean estimatorUpdate() {
    return eighth();
  }

  private boolean eighth() {
    int pitch = 60 + (note++ % 4) * 4 % 12;
    estimator.noteOn(pitch, nanos);
    nanos += 250_000_000L;
    estimator.noteOff(pitch, nanos);
    return estimator.update(nanos);
  }
}
