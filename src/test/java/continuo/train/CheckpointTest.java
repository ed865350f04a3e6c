package continuo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.model.RandomModels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  @Test
  void aCheckpointReadsBackWhatWasWritten() throws Exception {
    Path file = dir.resolve("m.ckpt");
    try (Network net = new Network(RandomModels.create(4, 8, 1, 2))) {
      Adam adam = new Adam(net.parameters(), net.gradients());
      Checkpoint.State state = new Checkpoint.State(3, 17, 1e-3, 1.25, 1, 900.5, 42, 99,
          List.of(new Checkpoint.Epoch(1, 2.5, 2.25, 2e-3, 880)), List.of(new double[] {0.5, 2.75}));
      Checkpoint.write(file, net, adam, state);
      Checkpoint.Loaded loaded = Checkpoint.read(file);
      Checkpoint.State back = loaded.state();
      assertEquals(3, back.epoch());
      assertEquals(17, back.window());
      assertEquals(1.25, back.bestValid());
      assertEquals(99, back.adamSteps());
      assertEquals(state.history(), back.history());
      assertArrayEquals(new double[] {0.5, 2.75}, back.curve().get(0));
      assertArrayEquals(net.weights(net.config()).outputWeight(), loaded.weights().outputWeight());
    }
  }

  @Test
  void beforeTheFirstValidationTheBestIsInfiniteAndStoredAsAbsent() throws Exception {
    Path file = dir.resolve("m.ckpt");
    try (Network net = new Network(RandomModels.create(4, 8, 1, 2))) {
      Checkpoint.write(file, net, new Adam(net.parameters(), net.gradients()),
          Checkpoint.State.start(2e-3));
    }
    assertTrue(!progress(file).contains("best_valid_nll"), progress(file));
    assertEquals(Double.POSITIVE_INFINITY, Checkpoint.read(file).state().bestValid());
  }

  @Test
  void progressWithoutItsRequiredFieldsIsOneClearError() throws Exception {
    Path file = dir.resolve("m.ckpt");
    try (Network net = new Network(RandomModels.create(4, 8, 1, 2))) {
      Checkpoint.write(file, net, new Adam(net.parameters(), net.gradients()),
          Checkpoint.State.start(2e-3));
    }
    Path broken = dir.resolve("broken.ckpt");
    try (ZipFile in = new ZipFile(file.toFile());
        OutputStream os = Files.newOutputStream(broken);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        out.putNextEntry(new ZipEntry(e.getName()));
        if (e.getName().equals("progress.json")) {
          out.write("{\"epoch\": 1, \"window\": 0}".getBytes(StandardCharsets.UTF_8));
        } else {
          in.getInputStream(e).transferTo(out);
        }
        out.closeEntry();
      }
    }
    IOException e = assertThrows(IOException.class, () -> Checkpoint.read(broken));
    assertTrue(e.getMessage().contains("lr"), e.getMessage());
  }

  private static String progress(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return new String(zip.getInputStream(zip.getEntry("progress.json")).readAllBytes(),
          StandardCharsets.UTF_8);
    }
  }
}
