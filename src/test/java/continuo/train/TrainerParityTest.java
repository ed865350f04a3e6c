package continuo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.model.LstmWeights;
import continuo.model.ModelConfig;
import continuo.model.ModelFile;
import continuo.model.PytorchInit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java trainer and {@code scripts/train_torch.py} take the same training steps: from the same
 * weights, on the same windows of real tunes (the Nottingham fixtures), with the state carried
 * between windows and reset where a stream starts a new tune, several steps of loss, gradient,
 * global-norm clipping and Adam leave both with the same losses, the same weights and the same
 * validation NLL. Needs Debian's python3-torch ({@code scripts/install-test-deps} installs it).
 */
class TrainerParityTest {
  private static final Path TUNES = Path.of("src/test/resources/corpora/nottingham/midi");
  private static final int BATCH = 4;
  private static final int STEPS = 32;
  private static final int WINDOWS = 6;
  private static final double LR = 0.01;
  private static final double CLIP = 1.0;

  @TempDir Path dir;

  @Test
  void bothTrainersTakeTheSameStepsFromTheSameWeightsOnTheSameWindows() throws Exception {
    Path shards = dir.resolve("shards");
    Shards.write(List.of(TUNES), 0.3, shards, new PrintStream(new ByteArrayOutputStream()));
    Shards.Loaded data = Shards.read(shards);
    assertTrue(!data.valid().pieces().isEmpty(), "some tunes are held out");
    LstmWeights initial = PytorchInit.draw(
        ModelConfig.performance("parity", "", 16, 32, 2, Map.of()), 7);
    Path init = dir.resolve("init.cmodel");
    ModelFile.write(initial, init);

    double[] losses = new double[WINDOWS];
    double[] counted = new double[WINDOWS];
    LstmWeights trained;
    double validBefore;
    double validAfter;
    try (Network net = new Network(initial, 2)) {
      Adam adam = new Adam(net.parameters(), net.gradients());
      validBefore = Trainer.validate(net, data.valid(), BATCH, STEPS);
      Windows windows = new Windows(data.train().pieces(), BATCH, STEPS, null, 0, 0, false);
      assertTrue(windows.count() >= WINDOWS, "the tunes hold " + windows.count() + " windows");
      for (int w = 0; w < WINDOWS; w++) {
        windows.fill(w);
        net.zeroGradients();
        losses[w] = net.forward(windows.inputs, windows.targets, windows.keep, windows.weight, 0,
            null);
        for (float[] row : windows.weight) {
          for (float x : row) {
            counted[w] += x;
          }
        }
        net.backward();
        adam.update(LR, CLIP);
      }
      trained = net.weights(initial.config());
      validAfter = Trainer.validate(net, data.valid(), BATCH, STEPS);
    }

    Path after = dir.resolve("after.cmodel");
    Path log = dir.resolve("parity.log");
    Process p = new ProcessBuilder("/usr/bin/python3", "scripts/trainer_parity.py",
        "--shards", shards.toString(), "--init", init.toString(), "--out", after.toString(),
        "--batch", "" + BATCH, "--seq-len", "" + STEPS, "--windows", "" + WINDOWS,
        "--lr", "" + LR, "--clip", "" + CLIP)
        .redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("trainer_parity.py timed out:\n" + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), "trainer_parity.py failed (is python3-torch installed? "
        + "scripts/install-test-deps installs it):\n" + Files.readString(log));
    JsonNode torch = new ObjectMapper().readTree(out);

    assertEquals(torch.get("valid_before").asDouble(), validBefore, 1e-5 * validBefore,
        "validation NLL of the initial weights");
    for (int w = 0; w < WINDOWS; w++) {
      assertEquals(torch.get("counted").get(w).asDouble(), counted[w], "counted events, window " + w);
      double mean = losses[w] / counted[w];
      double torchMean = torch.get("losses").get(w).asDouble() / counted[w];
      assertEquals(torchMean, mean, 1e-4 * torchMean, "mean NLL of window " + w);
    }
    LstmWeights torchTrained = ModelFile.read(after);
    assertClose(torchTrained.embedding(), trained.embedding(), "embedding");
    for (int k = 0; k < 2; k++) {
      assertClose(torchTrained.weightIh()[k], trained.weightIh()[k], "weight_ih_l" + k);
      assertClose(torchTrained.weightHh()[k], trained.weightHh()[k], "weight_hh_l" + k);
      assertClose(torchTrained.biasIh()[k], trained.biasIh()[k], "bias_ih_l" + k);
      assertClose(torchTrained.biasHh()[k], trained.biasHh()[k], "bias_hh_l" + k);
    }
    assertClose(torchTrained.outputWeight(), trained.outputWeight(), "output weight");
    assertClose(torchTrained.outputBias(), trained.outputBias(), "output bias");
    assertEquals(torch.get("valid_after").asDouble(), validAfter, 1e-4 * validAfter,
        "validation NLL after " + WINDOWS + " steps");
    assertTrue(validAfter < validBefore - 0.1, "the steps learnt: " + validBefore + " -> "
        + validAfter);
  }

  /**
   * Each step moves a weight by at most about the learning rate; the two trainers' weights after
   * the steps agree to a small share of one step (float rounding, summed in other orders).
   */
  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double worst = 0;
    int at = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    assertTrue(worst < 0.02 * LR, what + " differs by " + worst + " at " + at + " (PyTorch "
        + expected[at] + ", continuo " + actual[at] + ")");
  }
}
