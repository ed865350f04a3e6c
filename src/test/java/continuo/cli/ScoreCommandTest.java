package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScoreCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.newCommandLine(args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Log-softmax of an independent double-precision LSTM (PyTorch's equations, written out). */
  static double[][] reference(LstmWeights w, int[] tokens) {
    int v = 388;
    int e = w.config().embeddingSize();
    int hs = w.config().hiddenSize();
    int layers = w.config().layers();
    double[][] h = new double[layers][hs];
    double[][] c = new double[layers][hs];
    double[][] result = new double[tokens.length][];
    for (int s = 0; s < tokens.length; s++) {
      double[] x = new double[e];
      for (int j = 0; j < e; j++) x[j] = w.embedding()[tokens[s] * e + j];
      for (int k = 0; k < layers; k++) {
        double[] hp = h[k].clone();
        double[] pre = new double[4 * hs];
        for (int r = 0; r < 4 * hs; r++) {
          double sum = w.biasIh()[k][r] + w.biasHh()[k][r];
          for (int j = 0; j < x.length; j++) sum += w.weightIh()[k][r * x.length + j] * x[j];
          for (int j = 0; j < hs; j++) sum += w.weightHh()[k][r * hs + j] * hp[j];
          pre[r] = sum;
        }
        for (int j = 0; j < hs; j++) {
          double i = 1 / (1 + Math.exp(-pre[j]));
          double f = 1 / (1 + Math.exp(-pre[hs + j]));
          double g = Math.tanh(pre[2 * hs + j]);
          double o = 1 / (1 + Math.exp(-pre[3 * hs + j]));
          c[k][j] = f * c[k][j] + i * g;
          h[k][j] = o * Math.tanh(c[k][j]);
        }
        x = h[k];
      }
      double[] logits = new double[v];
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < v; r++) {
        double sum = w.outputBias()[r];
        for (int j = 0; j < hs; j++) sum += w.outputWeight()[r * hs + j] * x[j];
        logits[r] = sum;
        max = Math.max(max, sum);
      }
      double z = 0;
      for (double l : logits) z += Math.exp(l - max);
      for (int r = 0; r < v; r++) logits[r] -= max + Math.log(z);
      result[s] = logits;
    }
    return result;
  }

  @Test
  void printsTheReferenceLogProbabilitiesOneJsonObjectPerStep() throws Exception {
    LstmWeights w = RandomModels.create(16, 32, 2, 21);
    Path model = dir.resolve("m.cmodel");
    ModelFile.write(w, model);
    int[] tokens = {356 + 20, 60, 270, 188, 64, 300, 192, 0, 387};
    Run r = run("score", "--model", model.toString(), "--tokens", "376, 60,270,188,64,300,192,0,387");
    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(tokens.length, lines.length);
    double[][] ref = reference(w, tokens);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < lines.length; i++) {
      JsonNode n = json.readTree(lines[i]);
      assertEquals(i, n.get("step").asInt());
      assertEquals(tokens[i], n.get("token").asInt());
      JsonNode lp = n.get("logprobs");
      assertEquals(388, lp.size());
      double mass = 0;
      for (int t = 0; t < 388; t++) {
        assertEquals(ref[i][t], lp.get(t).asDouble(), 1e-4, "step " + i + " token " + t);
        mass += Math.exp(lp.get(t).asDouble());
      }
      assertEquals(1.0, mass, 1e-4);
    }
  }

  @Test
  void badTokensGetOneClearLineAndExitTwo() throws Exception {
    Path model = dir.resolve("m.cmodel");
    ModelFile.write(RandomModels.create(0, 8, 1, 1), model);
    Run r = run("score", "--model", model.toString(), "--tokens", "1,2,x7");
    assertEquals(2, r.exit());
    assertEquals("score: --tokens item 3 'x7' is not a token id; expected integers 0..387 separated by commas",
        r.err().strip());
    r = run("score", "--model", model.toString(), "--tokens", "1,388");
    assertEquals(2, r.exit());
    assertEquals("score: --tokens item 2 is 388, outside the vocabulary 0..387", r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void aBadModelFileIsNamedInOneLine() throws Exception {
    Path junk = dir.resolve("broken.cmodel");
    Files.writeString(junk, "not a model");
    Run r = run("score", "--model", junk.toString(), "--tokens", "1");
    assertEquals(2, r.exit());
    assertEquals("score: " + junk + " is not a .cmodel file (not a zip archive).", r.err().strip());
    r = run("score", "--model", dir.resolve("missing.cmodel").toString(), "--tokens", "1");
    assertEquals(2, r.exit());
    assertTrue(r.err().strip().endsWith("missing.cmodel does not exist."), r.err());
  }

  @Test
  void helpDescribesTheOutput() {
    Run r = run("score", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("--tokens") && r.out().contains("logprobs"));
  }
}
