package continuo.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * Reads a {@code .cmodel}: its config, then (once the config's parameters are known to fit in the
 * heap) each array, checked against the shape the config implies, every value finite and within
 * {@link ModelFile#MAX_ABS_WEIGHT}. Nothing is returned until everything is checked, so a bad file
 * never replaces a working model. Set-up only; safe from any thread.
 */
final class ModelReader {
  private ModelReader() {}

  static final int MAX_CONFIG_BYTES = 1024 * 1024;

  static LstmWeights read(Path file, HeapRoom heap) throws ModelFormatException {
    try (ModelArchive zip = ModelArchive.open(file)) {
      ModelConfig config = config(file, zip);
      Map<String, int[]> expected = ModelFile.expectedShapes(config);
      for (String name : zip.entries().keySet()) {
        if (!name.equals(ModelFile.CONFIG_ENTRY) && !expected.containsKey(stem(name))) {
          throw ModelFile.bad(file, "has an unexpected entry '" + name + "'; expected only "
              + ModelFile.CONFIG_ENTRY + " and " + String.join(", ", npyNames(expected)));
        }
      }
      HeapRoom.check(file, config, heap);
      Map<String, float[]> arrays = new HashMap<>();
      for (Map.Entry<String, int[]> e : expected.entrySet()) {
        String entryName = e.getKey() + ".npy";
        ZipEntry entry = zip.entries().get(entryName);
        if (entry == null) {
          throw ModelFile.bad(file, "has no entry '" + entryName + "', which a model with "
              + ModelFile.describe(config) + " needs");
        }
        arrays.put(e.getKey(), array(file, zip, entry, e.getValue(), config));
      }
      int l = config.layers();
      float[][] wih = new float[l][];
      float[][] whh = new float[l][];
      float[][] bih = new float[l][];
      float[][] bhh = new float[l][];
      for (int k = 0; k < l; k++) {
        wih[k] = arrays.get("lstm.weight_ih_l" + k);
        whh[k] = arrays.get("lstm.weight_hh_l" + k);
        bih[k] = arrays.get("lstm.bias_ih_l" + k);
        bhh[k] = arrays.get("lstm.bias_hh_l" + k);
      }
      return new LstmWeights(config, arrays.get("embedding.weight"), wih, whh, bih, bhh,
          arrays.get("output.weight"), arrays.get("output.bias"));
    } catch (IOException e) {
      throw ModelFile.bad(file, "could not be read: " + e.getMessage());
    }
  }

  static ModelConfig readConfig(Path file) throws ModelFormatException {
    try (ModelArchive zip = ModelArchive.open(file)) {
      return config(file, zip);
    } catch (IOException e) {
      throw ModelFile.bad(file, "could not be read: " + e.getMessage());
    }
  }

  /** model.json, checked, including the model's size against {@link ModelFile#MAX_PARAMETERS}. */
  private static ModelConfig config(Path file, ModelArchive zip) throws ModelFormatException, IOException {
    byte[] json;
    // Read whole (it is small) so that an oversized entry is refused as such, whatever it holds.
    try (InputStream in = zip.read(zip.entries().get(ModelFile.CONFIG_ENTRY), MAX_CONFIG_BYTES)) {
      json = in.readAllBytes();
    } catch (ModelArchive.LimitException e) {
      throw ModelFile.bad(file, e.getMessage());
    }
    ModelConfig config = ModelJson.read(file, json);
    long params = ModelFile.parameters(config);
    if (params > ModelFile.MAX_PARAMETERS) {
      throw ModelFile.bad(file, "declares " + params + " parameters (" + ModelFile.describe(config)
          + "), more than the limit of " + ModelFile.MAX_PARAMETERS);
    }
    return config;
  }

  private static float[] array(Path file, ModelArchive zip, ZipEntry entry, int[] shape,
      ModelConfig config) throws ModelFormatException, IOException {
    String name = entry.getName();
    long values = 1;
    for (int d : shape) values *= d;
    // The exact size a well-formed array has, plus room for a longer (v2/v3) header.
    long limit = values * 4 + (Npy.MAX_HEADER + 12);
    float[] data;
    try (InputStream in = zip.read(entry, limit)) {
      Npy.Header header = Npy.readHeader(in);
      if (!Arrays.equals(header.shape(), shape)) {
        throw ModelFile.bad(file, "has " + name + " with shape " + header.shapeText() + ", expected "
            + Arrays.toString(shape) + " for " + "a model with " + ModelFile.describe(config));
      }
      // The zip's declared size is untrusted: it can only make the loader refuse early, and a
      // larger claim than the data is still caught while reading.
      long size = entry.getSize();
      data = Npy.readData(in, header, size < 0 ? -1 : Math.max(0, size - header.bytes()));
    } catch (Npy.NpyException e) {
      throw ModelFile.bad(file, "has an entry " + name + " that " + e.getMessage());
    } catch (ModelArchive.LimitException e) {
      throw ModelFile.bad(file, e.getMessage());
    } catch (ZipException e) {
      throw ModelFile.bad(file, "has a corrupt entry " + name + " (" + e.getMessage() + ")");
    }
    for (int i = 0; i < data.length; i++) {
      float x = data[i];
      if (!Float.isFinite(x)) {
        throw ModelFile.bad(file, "has a non-finite value (" + x + ") in " + name + " at flat index " + i);
      }
      if (Math.abs(x) > ModelFile.MAX_ABS_WEIGHT) {
        throw ModelFile.bad(file, "has the value " + x + " in " + name + " at flat index " + i
            + "; weights must lie within -" + (int) ModelFile.MAX_ABS_WEIGHT + " to "
            + (int) ModelFile.MAX_ABS_WEIGHT + " (a trained model's are a few units)");
      }
    }
    return data;
  }

  private static String[] npyNames(Map<String, int[]> expected) {
    return expected.keySet().stream().map(s -> s + ".npy").toArray(String[]::new);
  }

  private static String stem(String entryName) {
    return entryName.endsWith(".npy") ? entryName.substring(0, entryName.length() - 4) : "\0";
  }
}
