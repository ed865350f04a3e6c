package continuo.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;

class StepperTest {
  static final double TOLERANCE = 1e-4;

  static Stream<Arguments> shapesAndSteppers() {
    int[][] shapes = {{0, 16, 1}, {8, 24, 2}, {32, 40, 3}, {0, 33, 2}, {12, 7, 1}};
    Stream.Builder<Arguments> b = Stream.builder();
    for (String name : Models.candidateNames()) {
      for (int[] s : shapes) {
        b.add(Arguments.of(name, s[0], s[1], s[2]));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} E={1} H={2} L={3}")
  @MethodSource("shapesAndSteppers")
  void logProbabilitiesMatchTheDoublePrecisionReference(String name, int e, int h, int l) {
    LstmWeights w = RandomModels.create(e, h, l, 1000 + e * 31 + h * 7 + l);
    ReferenceLstm ref = new ReferenceLstm(w);
    try (LstmStepper stepper = Models.candidate(name, w)) {
      LstmState state = stepper.newState();
      float[] logits = new float[388];
      SplittableRandom rnd = new SplittableRandom(e + h + l);
      double worst = 0;
      for (int i = 0; i < 300; i++) {
        int token = rnd.nextInt(388);
        stepper.step(state, token, logits);
        worst = Math.max(worst, ReferenceLstm.maxAbsDiff(ref.step(token), ReferenceLstm.logSoftmax(logits)));
      }
      assertTrue(worst < TOLERANCE, name + " differs from the reference by " + worst);
    }
  }

  @Test
  void advanceLeavesTheSameStateAsStep() {
    LstmWeights w = RandomModels.create(16, 32, 2, 5);
    for (String name : Models.candidateNames()) {
      LstmStepper s = Models.candidate(name, w);
      LstmState a = s.newState();
      LstmState b = s.newState();
      float[] logits = new float[388];
      for (int t : new int[] {60, 356, 300, 188, 64}) {
        s.step(a, t, logits);
        s.advance(b, t);
      }
      for (int k = 0; k < 2; k++) {
        assertArrayEquals(a.h(k), b.h(k), name);
        assertArrayEquals(a.c(k), b.c(k), name);
      }
    }
  }

  @Test
  void aSiblingStepsAsItsStepperDoesWhileItSteps() throws Exception {
    LstmWeights w = RandomModels.create(16, 40, 2, 6);
    for (String name : new String[] {"plain", "vector"}) {
      LstmStepper s = Models.candidate(name, w);
      LstmStepper sibling = s.sibling();
      assertNotNull(sibling, name + " shares its weights");
      // Both step at once on two threads: their scratch is their own.
      int[] tokens = new int[2000];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = (i * 37 + 11) % 388;
      }
      float[][] out = new float[2][388];
      Thread other = new Thread(() -> {
        LstmState state = sibling.newState();
        for (int t : tokens) {
          sibling.step(state, t, out[1]);
        }
      });
      other.start();
      LstmState state = s.newState();
      for (int t : tokens) {
        s.step(state, t, out[0]);
      }
      other.join();
      assertArrayEquals(out[0], out[1], 1e-5f, name); // the JIT may fuse a multiply-add in one and not yet in the other
    }
  }

  @Test
  void restoringASnapshotReplaysIdenticalLogits() {
    LstmWeights w = RandomModels.create(24, 48, 2, 9);
    LstmStepper s = Models.stepper(w);
    LstmState live = s.newState();
    float[] logits = new float[388];
    for (int t : new int[] {60, 64, 67, 300, 188, 192}) {
      s.step(live, t, logits);
    }
    LstmState snapshot = s.newState();
    snapshot.copyFrom(live);
    int[] continuation = {72, 310, 200, 370, 5};
    float[][] first = new float[continuation.length][388];
    for (int i = 0; i < continuation.length; i++) {
      s.step(live, continuation[i], first[i]);
    }
    live.copyFrom(snapshot);
    for (int i = 0; i < continuation.length; i++) {
      s.step(live, continuation[i], logits);
      assertArrayEquals(first[i], logits, "step " + i + " after restore");
    }
  }

  @Test
  void theRealTimeSteppersAllocateNothingPerStep() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    LstmWeights w = RandomModels.create(32, 64, 2, 3);
    for (String name : Models.candidateNames()) {
      if (name.equals("nd4j")) {
        continue; // a benchmark candidate only; its allocation is reported by bench
      }
      LstmStepper s = Models.candidate(name, w);
      LstmState state = s.newState();
      float[] logits = new float[388];
      for (int i = 0; i < 20_000; i++) {
        s.step(state, i % 388, logits);
      }
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 5_000; i++) {
        s.step(state, i % 388, logits);
        s.advance(state, (i * 7) % 388);
      }
      long allocated = mx.getCurrentThreadAllocatedBytes() - before;
      assertTrue(allocated < 1024, name + " allocated " + allocated + " bytes in 10000 steps");
    }
  }

  @Test
  void aTokenOutsideTheVocabularyIsRefused() {
    LstmStepper s = Models.stepper(RandomModels.create(0, 8, 1, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.step(s.newState(), 388, new float[388]));
    assertTrue(e.getMessage().contains("388"));
  }

  @Test
  void theFactoryPicksTheVectorApiWhenItIsPresent() {
    // Surefire runs with --add-modules jdk.incubator.vector, as the launcher does.
    assertTrue(Models.vectorApiAvailable());
    assertEquals("VectorStepper", Models.stepper(RandomModels.create(0, 8, 1, 1)).getClass().getSimpleName());
  }
}
