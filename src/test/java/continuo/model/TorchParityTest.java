package continuo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks every stepper against PyTorch's own nn.LSTM (Debian's python3-torch, installed by
 * scripts/install-test-deps) on the same weights, and checks that scripts/export_torch.py writes
 * files continuo reads. Runs in CI; it fails rather than skips when torch is missing.
 */
class TorchParityTest {
  static final String PYTHON = "/usr/bin/python3";
  static final double TOLERANCE = 1e-4;

  @TempDir Path dir;

  @Test
  void everyStepperMatchesPyTorchOnModelsWrittenByContinuo() throws Exception {
    int[][] shapes = {{0, 16, 1}, {8, 24, 2}, {32, 64, 3}};
    for (int[] s : shapes) {
      LstmWeights w = RandomModels.create(s[0], s[1], s[2], 77 + s[1]);
      Path file = dir.resolve("m" + s[1] + ".cmodel");
      ModelFile.write(w, file);
      int[] tokens = randomTokens(300, s[1]);
      double[][] torch = run(PYTHON, "scripts/torch_reference.py", file.toString(), join(tokens));
      compareAll(ModelFile.read(file), tokens, torch, "E=" + s[0] + " H=" + s[1] + " L=" + s[2]);
    }
  }

  @Test
  void aModelExportedFromPyTorchByTheScriptLoadsAndMatches() throws Exception {
    Path file = dir.resolve("torch.cmodel");
    int[] tokens = randomTokens(200, 3);
    String program = String.join("\n",
        "import sys, json, torch",
        "sys.path.insert(0, 'scripts')",
        "from export_torch import export, random_model",
        "torch.set_num_threads(1)",
        "model = random_model(16, 32, 2, 5)",
        "export(model, sys.argv[1], name='exported', description='torch init',",
        "       training={'corpus': 'none', 'epochs': 0})",
        "tokens = torch.tensor([[int(t) for t in sys.argv[2].split(',')]])",
        "with torch.no_grad():",
        "    out = torch.log_softmax(model(tokens)[0].double(), dim=-1)",
        "json.dump(out.tolist(), sys.stdout)");
    double[][] torch = run(PYTHON, "-c", program, file.toString(), join(tokens));
    LstmWeights w = ModelFile.read(file);
    assertEquals("exported", w.config().name());
    assertEquals(16, w.config().embeddingSize());
    assertEquals(32, w.config().hiddenSize());
    assertEquals(2, w.config().layers());
    compareAll(w, tokens, torch, "exported model");
  }

  @Test
  void theExportScriptsCommandLineWritesAOneHotModel() throws Exception {
    Path file = dir.resolve("onehot.cmodel");
    run(PYTHON, "scripts/export_torch.py", "--random", "0", "12", "1", "3", file.toString());
    ModelConfig c = ModelFile.readConfig(file);
    assertEquals(0, c.embeddingSize());
    assertEquals(12, c.hiddenSize());
    int[] tokens = randomTokens(50, 4);
    compareAll(ModelFile.read(file), tokens,
        run(PYTHON, "scripts/torch_reference.py", file.toString(), join(tokens)), "one-hot export");
  }

  private static void compareAll(LstmWeights w, int[] tokens, double[][] torch, String what) {
    assertEquals(tokens.length, torch.length);
    for (String name : Models.candidateNames()) {
      LstmStepper stepper = Models.candidate(name, w);
      LstmState state = stepper.newState();
      float[] logits = new float[388];
      double worst = 0;
      for (int i = 0; i < tokens.length; i++) {
        stepper.step(state, tokens[i], logits);
        worst = Math.max(worst, ReferenceLstm.maxAbsDiff(torch[i], ReferenceLstm.logSoftmax(logits)));
      }
      assertTrue(worst < TOLERANCE, name + " on " + what + " differs from PyTorch by " + worst);
    }
  }

  static int[] randomTokens(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = rnd.nextInt(388);
    }
    return t;
  }

  static String join(int[] tokens) {
    StringJoiner j = new StringJoiner(",");
    for (int t : tokens) {
      j.add(Integer.toString(t));
    }
    return j.toString();
  }

  /** Runs a Python program from the repository root and parses its stdout as a JSON matrix. */
  static double[][] run(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("torch", ".json");
    Path err = Files.createTempFile("torch", ".err");
    try {
      Process p = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
      assertEquals(0, p.exitValue(), "python failed (is python3-torch installed? "
          + "scripts/install-test-deps installs it): " + Files.readString(err));
      String json = Files.readString(out, StandardCharsets.UTF_8);
      return json.isBlank() ? new double[0][] : new ObjectMapper().readValue(json, double[][].class);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
