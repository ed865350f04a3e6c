package continuo.model;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the LSTM step implementation. The real-time path is the fastest measured on the target
 * machine (BENCHMARKS.md, "The LSTM step"): the Vector API stepper when the
 * {@code jdk.incubator.vector} module is present (the {@code ./continuo} launcher adds it),
 * otherwise the plain Java stepper, which needs nothing beyond the JDK (so {@code java -jar} alone
 * still works, a little slower).
 */
public final class Models {
  private Models() {}

  private static final boolean VECTOR = detectVector();

  /** Steps between two looks at the warm-up thread's allocation counter. */
  private static final int WARM_UP_BATCH = 100;

  /** The fastest available real-time stepper for these weights. */
  public static LstmStepper stepper(LstmWeights weights) {
    return VECTOR ? new VectorStepper(weights) : new PlainStepper(weights);
  }

  /**
   * Steps the model on a scratch state until the JIT has compiled the step, so that it is fast and
   * allocation free before it is needed in real time: until C2 has compiled the Vector API code it
   * runs slowly and allocates a vector object per operation. Stops once {@code minSteps} have run
   * and a batch of steps has allocated nothing (compiled code is the only way to get there), or
   * after {@code maxSteps}. Returns the number of steps run. Call it at load time, off the
   * real-time thread's deadline.
   */
  public static int warmUp(LstmStepper stepper, int minSteps, int maxSteps) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    LstmState scratch = stepper.newState();
    float[] logits = new float[stepper.config().vocabSize()];
    int token = 0;
    int steps = 0;
    while (steps < maxSteps) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < WARM_UP_BATCH; i++, steps++) {
        stepper.step(scratch, token, logits);
        token = (token * 31 + 7) % logits.length;
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (steps >= minSteps && allocated < WARM_UP_BATCH) {
        break;
      }
    }
    return steps;
  }

  /** Whether the Vector API can be used in this JVM. */
  public static boolean vectorApiAvailable() {
    return VECTOR;
  }

  /** A named step implementation, for benchmarks and tests. */
  public record Candidate(String name, LstmStepper stepper) {}

  /** Every implementation this JVM can run, for side-by-side measurement: plain, vector, nd4j. */
  public static List<String> candidateNames() {
    List<String> names = new ArrayList<>();
    names.add("plain");
    if (VECTOR) {
      names.add("vector");
    }
    names.add("nd4j");
    return names;
  }

  /** The BLAS the "nd4j" candidate runs on (vendor and libraries), for benchmark reports. */
  public static String nd4jBlas() {
    return Nd4jStepper.blasDescription();
  }

  /** Builds the named implementation ("plain", "vector" or "nd4j"). */
  public static LstmStepper candidate(String name, LstmWeights weights) {
    return switch (name) {
      case "plain" -> new PlainStepper(weights);
      case "vector" -> {
        if (!VECTOR) {
          throw new IllegalStateException(
              "the Vector API is not available; run java with --add-modules jdk.incubator.vector");
        }
        yield new VectorStepper(weights);
      }
      case "nd4j" -> new Nd4jStepper(weights);
      default -> throw new IllegalArgumentException(
          "unknown stepper '" + name + "', expected plain, vector or nd4j");
    };
  }

  /** Bytes of weights one step reads (with or without the output layer). */
  public static long weightBytesPerStep(ModelConfig config, boolean withOutput) {
    return Prepared.bytesPerStep(config, withOutput);
  }

  private static boolean detectVector() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      // Initialising the class resolves its SIMD species; any linkage trouble means "not available".
      Class.forName("continuo.model.VectorStepper", true, Models.class.getClassLoader());
      return true;
    } catch (Throwable t) {
      return false;
    }
  }
}
