package continuo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.Models;
import continuo.model.RandomModels;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class NetworkTest {
  private static final int STEPS = 5;
  private static final int BATCH = 3;

  @Test
  void logProbabilitiesAgreeWithTheRealTimeStepper() {
    LstmWeights w = RandomModels.create(8, 16, 2, 7);
    Network net = new Network(w);
    int[] tokens = {356 + 20, 60, 256 + 9, 60 + 128, 64, 300, 64 + 128, 387, 12};
    float[][] expected = net.logProbs(tokens);
    try (LstmStepper stepper = Models.stepper(w)) {
      LstmState state = stepper.newState();
      float[] logits = new float[388];
      for (int t = 0; t < tokens.length; t++) {
        stepper.step(state, tokens[t], logits);
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
          max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
          sum += Math.exp(x - max);
        }
        for (int j = 0; j < logits.length; j++) {
          assertEquals(logits[j] - max - Math.log(sum), expected[t][j], 1e-4,
              "step " + t + " token " + j);
        }
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesAcrossLayersStateResetsAndPadding() {
    gradientCheck(new Network(RandomModels.create(4, 6, 2, 3)));
  }

  @Test
  void gradientMatchesFiniteDifferencesWithKernelsOnSeveralThreadsAndSimdWideLayers() {
    try (Network net = new Network(RandomModels.create(5, 19, 2, 4), 3)) {
      gradientCheck(net);
    }
  }

  /** Two threads share out 37 hidden units as 16 and 21: SIMD-wide and element by element. */
  @Test
  void gradientMatchesFiniteDifferencesWithTheHiddenUnitsSharedOutUnevenly() {
    try (Network net = new Network(RandomModels.create(6, 37, 2, 8), 2, 0)) {
      gradientCheck(net);
    }
  }

  /**
   * The products' rows (and through the recurrence, the hidden units) are shared out between the
   * threads, and OpenBLAS may round a block of rows
   * differently from the same rows within a larger block: the thread count changes the loss and
   * the gradient by float rounding only, and a given thread count gives the same bits every run.
   */
  @Test
  void theThreadCountChangesTheLossAndTheGradientOnlyByRounding() {
    LstmWeights w = RandomModels.create(8, 40, 2, 9);
    SplittableRandom rnd = new SplittableRandom(2);
    int steps = 7;
    int batch = 5;
    int[][] in = new int[steps][batch];
    int[][] target = new int[steps][batch];
    float[][] keep = new float[steps][batch];
    float[][] weight = new float[steps][batch];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        in[t][b] = rnd.nextInt(388);
        target[t][b] = rnd.nextInt(388);
        keep[t][b] = (t + b) % 4 == 0 ? 0f : 1f;
        weight[t][b] = 1f;
      }
    }
    try (Network one = new Network(w, 1); Network two = new Network(w, 2);
        Network again = new Network(w, 2); Network units = new Network(w, 2, 0);
        Network unitsAgain = new Network(w, 2, 0)) {
      double[] loss = new double[5];
      Network[] nets = {one, two, again, units, unitsAgain};
      for (int i = 0; i < nets.length; i++) {
        nets[i].zeroGradients();
        loss[i] = nets[i].forward(in, target, keep, weight, 0.3, new SplittableRandom(1));
        nets[i].backward();
      }
      assertEquals(loss[0], loss[1], 1e-6 * loss[0]);
      assertEquals(loss[1], loss[2], 0.0);
      assertEquals(loss[0], loss[3], 1e-6 * loss[0]);
      assertEquals(loss[3], loss[4], 0.0);
      for (int i = 0; i < one.gradients().size(); i++) {
        float[] a = one.gradients().get(i).data().asFloat();
        float[] b = two.gradients().get(i).data().asFloat();
        float largest = 0;
        for (float x : a) {
          largest = Math.max(largest, Math.abs(x));
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 1e-5f * largest,
            "gradient " + i + ", one thread against two");
        org.junit.jupiter.api.Assertions.assertArrayEquals(b,
            again.gradients().get(i).data().asFloat(), 0f, "gradient " + i + ", two threads twice");
        float[] c = units.gradients().get(i).data().asFloat();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, c, 1e-5f * largest,
            "gradient " + i + ", one thread against two sharing out units");
        org.junit.jupiter.api.Assertions.assertArrayEquals(c,
            unitsAgain.gradients().get(i).data().asFloat(), 0f,
            "gradient " + i + ", two threads sharing out units twice");
      }
    }
  }

  private static void gradientCheck(Network net) {
    SplittableRandom rnd = new SplittableRandom(5);
    int[][] in = new int[STEPS][BATCH];
    int[][] target = new int[STEPS][BATCH];
    float[][] keep = new float[STEPS][BATCH];
    float[][] weight = new float[STEPS][BATCH];
    for (int t = 0; t < STEPS; t++) {
      for (int b = 0; b < BATCH; b++) {
        in[t][b] = rnd.nextInt(388);
        target[t][b] = rnd.nextInt(388);
        keep[t][b] = t == 2 && b == 1 ? 0f : 1f;
        weight[t][b] = t == 4 && b == 2 ? 0f : 1f;
      }
    }
    net.zeroGradients();
    net.resetState();
    net.forward(in, target, keep, weight, 0, null);
    net.backward();
    List<INDArray> params = net.parameters();
    List<INDArray> grads = net.gradients();
    int checked = 0;
    for (int i = 0; i < params.size(); i++) {
      FloatBuffer p = params.get(i).data().asNioFloat();
      FloatBuffer g = grads.get(i).data().asNioFloat();
      int n = (int) params.get(i).length();
      for (int trial = 0; trial < 6; trial++) {
        int e = net.config().embeddingSize();
        int j = i == 0 ? in[trial % STEPS][trial % BATCH] * e + trial % e : rnd.nextInt(n);
        float original = p.get(j);
        double eps = 1e-2;
        p.put(j, (float) (original + eps));
        double up = meanLoss(net, in, target, keep, weight);
        p.put(j, (float) (original - eps));
        double down = meanLoss(net, in, target, keep, weight);
        p.put(j, original);
        double numeric = (up - down) / (2 * eps);
        double analytic = g.get(j);
        assertEquals(numeric, analytic, 2e-3 + 2e-2 * Math.abs(numeric),
            "parameter array " + i + " index " + j);
        checked++;
      }
    }
    assertTrue(checked >= 6 * 11);
  }


  private static double meanLoss(
      Network net, int[][] in, int[][] target, float[][] keep, float[][] weight) {
    net.resetState();
    double sum = net.forward(in, target, keep, weight, 0, null);
    double counted = 0;
    for (float[] row : weight) {
      for (float x : row) {
        counted += x;
      }
    }
    return sum / counted;
  }
}
