package continuo.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a {@code .cmodel} atomically (a temporary file renamed into place), with bytes that
 * depend only on the weights and the config: entries in a fixed order with a fixed timestamp.
 * Set-up only; safe from any thread.
 */
final class ModelWriter {
  private ModelWriter() {}

  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);

  static void write(LstmWeights weights, Path file) throws IOException {
    ModelConfig c = weights.config();
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    // Not Files.createTempFile: its 0600 permissions would carry over to the model file.
    Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
        + System.nanoTime() + ".tmp");
    try {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp,
              StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        put(zip, ModelFile.CONFIG_ENTRY);
        zip.write(ModelJson.write(c));
        zip.closeEntry();
        int v = c.vocabSize();
        int h = c.hiddenSize();
        if (weights.embedding() != null) {
          putArray(zip, "embedding.weight", new int[] {v, c.embeddingSize()}, weights.embedding());
        }
        for (int k = 0; k < c.layers(); k++) {
          int in = k == 0 ? c.inputSize() : h;
          putArray(zip, "lstm.weight_ih_l" + k, new int[] {4 * h, in}, weights.weightIh()[k]);
          putArray(zip, "lstm.weight_hh_l" + k, new int[] {4 * h, h}, weights.weightHh()[k]);
          putArray(zip, "lstm.bias_ih_l" + k, new int[] {4 * h}, weights.biasIh()[k]);
          putArray(zip, "lstm.bias_hh_l" + k, new int[] {4 * h}, weights.biasHh()[k]);
        }
        putArray(zip, "output.weight", new int[] {v, h}, weights.outputWeight());
        putArray(zip, "output.bias", new int[] {v}, weights.outputBias());
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void put(ZipOutputStream zip, String name) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTimeLocal(FIXED_TIME);
    zip.putNextEntry(e);
  }

  private static void putArray(ZipOutputStream zip, String name, int[] shape, float[] data)
      throws IOException {
    put(zip, name + ".npy");
    Npy.write(zip, shape, data);
    zip.closeEntry();
  }
}
