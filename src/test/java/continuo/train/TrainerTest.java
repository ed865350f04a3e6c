package continuo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.testkit.Corpora;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  static final Path NOTTINGHAM = Corpora.NOTTINGHAM;
  @TempDir Path dir;

  static Corpus tunes(String... names) throws Exception {
    Path[] files = new Path[names.length];
    for (int i = 0; i < names.length; i++) {
      files[i] = NOTTINGHAM.resolve(names[i]);
    }
    return Corpus.load(List.of(files), System.err);
  }

  private TrainOptions options(Path out, int epochs, Path resume) {
    return new TrainOptions(List.of("test tunes"), out, "tiny", "A test model.", 8, 24, 1, 32, 4,
        epochs, 0.01, 0.1, 1.0, 2, 3, 0.0, new LearningRate(LearningRate.Schedule.PLATEAU, 3), 0.1,
        2, resume);
  }

  @Test
  void lossGoesDownAndTheBestModelLoadsWithItsProvenance() throws Exception {
    Corpus train = tunes("ashover10.mid", "ashover11.mid", "ashover13.mid", "ashover14.mid");
    Corpus valid = tunes("ashover15.mid");
    Path out = dir.resolve("tiny.cmodel");
    Trainer trainer = new Trainer(options(out, 3, null), new PrintStream(new ByteArrayOutputStream()));
    Network fresh = new Network(continuo.model.RandomModels.create(8, 24, 1, 3));
    double before = trainer.validate(fresh, valid);

    Trainer.Result result = trainer.train(train, valid);

    assertTrue(result.completed());
    assertTrue(result.bestValidNll() < before - 0.5,
        "validation NLL " + before + " -> " + result.bestValidNll());
    LstmWeights model = ModelFile.read(out);
    assertEquals("tiny", model.config().name());
    assertEquals("A test model.", model.config().description());
    Map<String, Object> training = model.config().training();
    assertEquals(List.of("test tunes"), training.get("corpus"));
    assertEquals(3, ((List<?>) training.get("history")).size());
    assertTrue(Files.size(dir.resolve("tiny.loss.png")) > 1000);
    assertTrue(Files.exists(dir.resolve("tiny.ckpt")));
  }

  @Test
  void aResumedRunEndsWhereAnUninterruptedOneDoes() throws Exception {
    Corpus train = tunes("ashover10.mid", "ashover11.mid", "ashover13.mid");
    Corpus valid = tunes("ashover15.mid");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Path straight = dir.resolve("a/straight.cmodel");
    new Trainer(options(straight, 2, null), quiet).train(train, valid);

    Path resumed = dir.resolve("b/resumed.cmodel");
    Trainer stopped = new Trainer(options(resumed, 2, null), quiet);
    stopped.requestStop();
    assertFalse(stopped.train(train, valid).completed());
    Path checkpoint = dir.resolve("b/resumed.ckpt");
    new Trainer(options(resumed, 1, checkpoint), quiet).train(train, valid);
    new Trainer(options(resumed, 2, checkpoint), quiet).train(train, valid);

    LstmWeights a = ModelFile.read(straight);
    LstmWeights b = ModelFile.read(resumed);
    assertArrayEquals(a.outputWeight(), b.outputWeight(), 1e-5f);
    assertArrayEquals(a.weightHh()[0], b.weightHh()[0], 1e-5f);
    assertEquals(((List<?>) a.config().training().get("history")).size(),
        ((List<?>) b.config().training().get("history")).size());
  }
}
