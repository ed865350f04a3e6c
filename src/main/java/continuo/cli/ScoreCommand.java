package continuo.cli;

import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import continuo.model.Models;
import continuo.sample.Sampler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code continuo score}: the model's log-probabilities after each token of a sequence. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Feeds a token sequence to a model from its zero state and prints the log-softmax of the"
          + " output (temperature 1) after each token, one JSON object per line.",
      "Each line reads {\"step\":i,\"token\":t_i,\"logprobs\":[V floats]}."
    })
public final class ScoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "The .cmodel file.")
  Path model;

  @Option(names = "--tokens", required = true, paramLabel = "T0,T1,...",
      description = "Token ids, comma separated (0..387 in the performance encoding).")
  String tokens;

  @Override
  public Integer call() throws ModelFormatException {
    LstmWeights weights = ModelFile.read(model);
    int v = weights.config().vocabSize();
    int[] ids = parseTokens(tokens, v);
    PrintWriter out = spec.commandLine().getOut();
    try (LstmStepper stepper = Models.stepper(weights)) {
      LstmState state = stepper.newState();
      float[] logits = new float[v];
      StringBuilder line = new StringBuilder(16 * v);
      for (int i = 0; i < ids.length; i++) {
        stepper.step(state, ids[i], logits);
        double logZ = Sampler.logSumExp(logits);
        line.setLength(0);
        line.append("{\"step\":").append(i).append(",\"token\":").append(ids[i]).append(",\"logprobs\":[");
        for (int t = 0; t < v; t++) {
          if (t > 0) {
            line.append(',');
          }
          line.append((float) (logits[t] - logZ));
        }
        line.append("]}");
        out.println(line);
      }
    }
    out.flush();
    return 0;
  }

  /** "12, 300,60" -> ids; one clear sentence for anything else. */
  static int[] parseTokens(String text, int vocab) {
    String[] parts = text.split(",", -1);
    if (text.isBlank()) {
      throw new UserError("--tokens is empty; expected token ids 0.." + (vocab - 1) + " separated by commas");
    }
    int[] ids = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].trim();
      int id;
      try {
        id = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new UserError("--tokens item " + (i + 1) + " '" + p + "' is not a token id; expected integers 0.."
            + (vocab - 1) + " separated by commas");
      }
      if (id < 0 || id >= vocab) {
        throw new UserError("--tokens item " + (i + 1) + " is " + id + ", outside the vocabulary 0.." + (vocab - 1));
      }
      ids[i] = id;
    }
    return ids;
  }
}
