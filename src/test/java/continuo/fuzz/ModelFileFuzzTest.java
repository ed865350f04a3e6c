package continuo.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import continuo.model.LstmWeights;
import continuo.model.ModelConfig;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code .cmodel} loader against any file: a model that passes every check, or a
 * ModelFormatException naming the file and the problem in one line. Two targets: raw bytes (the
 * zip container itself) and well-formed zips whose entries are fuzzed (model.json, .npy headers,
 * shapes and data), which reaches the validation behind the zip layer far more often.
 */
class ModelFileFuzzTest {
  private static final Path DIR = Contract.scratch("continuo-model-fuzz");

  @FuzzTest(maxDuration = "30s")
  @Timeout(10)
  void anyBytesLoadAsAModelOrGiveOneClearError(byte[] bytes) {
    check(Contract.write(DIR.resolve("raw.cmodel"), bytes));
  }

  /**
   * Input layout: one byte choosing the compression (even: stored, odd: deflated), then entries as
   * {name length (1 byte), name (ISO-8859-1), data length (3 bytes, big-endian), data}. A second
   * entry of the same name is dropped (the zip writer refuses it; duplicates have their own test).
   */
  @FuzzTest(maxDuration = "30s")
  @Timeout(10)
  void anyEntriesLoadAsAModelOrGiveOneClearError(byte[] input) {
    check(Contract.write(DIR.resolve("entries.cmodel"), zipOf(input)));
  }

  private static void check(Path file) {
    LstmWeights w;
    try {
      w = ModelFile.read(file);
    } catch (ModelFormatException e) {
      Contract.clearOneLineNaming(e, file + " ");
      return;
    }
    ModelConfig c = w.config();
    assertTrue(c.hiddenSize() >= 1 && c.hiddenSize() <= ModelFile.MAX_HIDDEN);
    assertTrue(c.layers() >= 1 && c.layers() <= ModelFile.MAX_LAYERS);
    assertTrue(w.parameterCount() <= ModelFile.MAX_PARAMETERS);
    try {
      assertEquals(c, ModelFile.readConfig(file));
    } catch (ModelFormatException e) {
      throw new AssertionError("the model loads but its config alone does not: " + e.getMessage(), e);
    }
  }

  /** Builds the zip the input describes (see {@link #anyEntriesLoadAsAModelOrGiveOneClearError}). */
  static byte[] zipOf(byte[] in) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean stored = in.length == 0 || (in[0] & 1) == 0;
    Set<String> names = new HashSet<>();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      int p = 1;
      while (p < in.length) {
        int nameLength = in[p++] & 0xFF;
        String name = new String(in, p, Math.min(nameLength, in.length - p), StandardCharsets.ISO_8859_1);
        p = Math.min(in.length, p + nameLength);
        int dataLength = 0;
        for (int i = 0; i < 3; i++) {
          dataLength = dataLength << 8 | (p < in.length ? in[p++] & 0xFF : 0);
        }
        dataLength = Math.min(dataLength, in.length - p);
        byte[] data = java.util.Arrays.copyOfRange(in, p, p + dataLength);
        p += dataLength;
        if (!names.add(name)) {
          continue;
        }
        ZipEntry e = new ZipEntry(name);
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(data);
          e.setMethod(ZipEntry.STORED);
          e.setSize(data.length);
          e.setCompressedSize(data.length);
          e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The input that {@link #zipOf} turns back into a zip holding {@code entries} (name, data pairs). */
  static byte[] inputOf(boolean deflated, String[] names, byte[][] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(deflated ? 1 : 0);
    for (int i = 0; i < names.length; i++) {
      byte[] name = names[i].getBytes(StandardCharsets.ISO_8859_1);
      out.write(name.length);
      out.writeBytes(name);
      out.write(data[i].length >>> 16);
      out.write(data[i].length >>> 8);
      out.write(data[i].length);
      out.writeBytes(data[i]);
    }
    return out.toByteArray();
  }
}
