package continuo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.Models;
import continuo.sample.Generator;
import continuo.testkit.TinyTunes;
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
 * {@code scripts/train_torch.py} under a two-process DistributedDataParallel run on the CPU (gloo)
 * writes a model that continuo loads, scores exactly as the script validated it, and plays.
 * Needs Debian's python3-torch ({@code scripts/install-test-deps} installs it).
 */
class TorchTrainerTest {
  @TempDir Path dir;

  @Test
  void aTwoProcessPyTorchRunWritesAModelThatContinuoLoadsScoresAndPlays() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Path shards = dir.resolve("shards");
    Shards.write(List.of(TinyTunes.write(dir.resolve("tunes"), 10, 60)), 0.3, shards, quiet);
    Shards.Loaded data = Shards.read(shards);
    Path out = dir.resolve("torch.cmodel");
    Path log = dir.resolve("torch.log");
    Process p = new ProcessBuilder("/usr/bin/python3", "-m", "torch.distributed.run",
        // --redirects/--tee other than 0: torch 1.13's launcher fails on Python 3.11 with the default.
        "--standalone", "--nproc_per_node", "2", "--redirects", "2", "--tee", "2",
        "scripts/train_torch.py",
        "--shards", shards.toString(), "--out", out.toString(), "--embedding", "8", "--hidden",
        "16", "--layers", "2", "--batch", "4", "--seq-len", "16", "--epochs", "2", "--lr", "0.01",
        "--threads", "1", "--stretch", "0.1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("train_torch.py timed out:\n" + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), "train_torch.py failed (is python3-torch installed? "
        + "scripts/install-test-deps installs it):\n" + Files.readString(log));

    LstmWeights weights = ModelFile.read(out);
    Map<String, Object> training = weights.config().training();
    assertEquals("pytorch", training.get("trainer"));
    assertEquals(2, training.get("world_size"));
    assertEquals(16, weights.config().hiddenSize());
    assertEquals(120.0, weights.config().referenceBpm(), "the manifest's median tempo");
    assertEquals(false, training.get("tempo_normalised"), "shards written as the files are");
    assertEquals(data.onsetsPerBeat(), weights.config().onsetsPerBeat(),
        "the manifest's onsets per beat");
    try (LstmStepper stepper = Models.stepper(weights)) {
      Evaluation.Result scored = Evaluation.evaluate(stepper, data.valid().pieces(),
          new Evaluation.Settings(1, 1.0, 2.0, 1f, 1f));
      double validated = ((Number) training.get("best_valid_nll")).doubleValue();
      assertEquals(validated, scored.nllPerEvent(), 1e-3 * validated,
          "continuo's score of the held-out tunes against the script's validation");
      assertTrue(scored.nllPerEvent() < Math.log(388) - 0.5, "it learnt: " + scored.nllPerEvent());
      Generator generator = new Generator(stepper, 3);
      generator.prime(Evaluation.primer(data.valid().pieces().get(0).tokens(), 1000));
      int[] played = generator.continueFor(2000, 1f, 1f, Generator.maxTokensFor(2000));
      assertTrue(played.length > 0);
      for (int t : played) {
        assertTrue(PerformanceEncoding.isValid(t), "token " + t);
      }
    }
  }

  @Test
  void initStartsFromAModelsWeightsAndRefusesAModelOfAnotherShape() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Path shards = dir.resolve("shards");
    // Normalised to 100 bpm (the tunes are written at 120): the script passes the flag on.
    Shards.write(List.of(TinyTunes.write(dir.resolve("tunes"), 10, 60)), 0.3, shards, quiet,
        100.0);
    Path first = dir.resolve("first.cmodel");
    Path again = dir.resolve("again.cmodel");
    Process p = script(dir.resolve("first.log"), "--shards", shards.toString(), "--out",
        first.toString(), "--epochs", "2", "--lr", "0.01");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("first.log")));
    // A learning rate too small to move the weights: the model validates as it was saved.
    p = script(dir.resolve("again.log"), "--shards", shards.toString(), "--out",
        again.toString(), "--epochs", "1", "--lr", "1e-12", "--init", first.toString());
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("again.log")));
    double before = nll(first);
    assertEquals(before, nll(again), 1e-4 * before, "validation NLL of the model trained on");
    assertEquals("first.cmodel", ModelFile.read(again).config().training().get("init"));
    Map<String, Object> normalised = ModelFile.read(first).config().training();
    assertEquals(true, normalised.get("tempo_normalised"), normalised.toString());
    assertEquals(100.0, ((Number) normalised.get("tempo_normalised_bpm")).doubleValue());
    assertEquals(100.0, ModelFile.read(first).config().referenceBpm());

    p = script(dir.resolve("wrong.log"), "--shards", shards.toString(), "--out",
        dir.resolve("wrong.cmodel").toString(), "--epochs", "1", "--hidden", "24", "--init",
        first.toString());
    String wrong = Files.readString(dir.resolve("wrong.log")).strip();
    assertTrue(p.exitValue() != 0, wrong);
    assertTrue(wrong.startsWith("train_torch.py: --init ") && wrong.contains("lstm.weight_ih_l0")
        && wrong.contains("give the same --embedding, --hidden and --layers"), wrong);
    assertEquals(1, wrong.lines().count(), wrong);
  }

  private static double nll(Path model) throws Exception {
    return ((Number) ModelFile.read(model).config().training().get("best_valid_nll"))
        .doubleValue();
  }

  /** One process of train_torch.py on a tiny model (E 8, H 16, 2 layers), waited for. */
  private static Process script(Path log, String... options) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3",
        "scripts/train_torch.py", "--embedding", "8", "--hidden", "16", "--layers", "2",
        "--batch", "4", "--seq-len", "16", "--threads", "1", "--seed", "1"));
    command.addAll(List.of(options));
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    b.environment().put("OPENBLAS_NUM_THREADS", "1");
    Process p = b.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("train_torch.py timed out:\n" + Files.readString(log));
    }
    return p;
  }
}
