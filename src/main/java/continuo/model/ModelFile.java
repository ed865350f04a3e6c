package continuo.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@code .cmodel} files: a zip holding {@code model.json} and the weights as
 * NumPy {@code .npy} arrays (little-endian float32, C order) under PyTorch's names, shapes and
 * gate order (i, f, g, o):
 *
 * <pre>
 *   model.json
 *   embedding.weight.npy        [V, E]      (absent when embedding_size is 0: one-hot input)
 *   lstm.weight_ih_l{k}.npy     [4H, in]    in = E (or V when E = 0) for k = 0, else H
 *   lstm.weight_hh_l{k}.npy     [4H, H]
 *   lstm.bias_ih_l{k}.npy       [4H]
 *   lstm.bias_hh_l{k}.npy       [4H]
 *   output.weight.npy           [V, H]
 *   output.bias.npy             [V]
 * </pre>
 *
 * Loading checks everything before anything is returned, so a bad file never replaces a working
 * model: the format and version, the encoding, the architecture's bounds, that the parameters fit
 * in the heap (checked before any array is allocated), that every entry is a known plain name
 * present exactly once with the right shape, the {@code .npy} headers, that all values are finite
 * and within {@link #MAX_ABS_WEIGHT}, and size limits counted on the bytes actually inflated (never
 * trusting the zip's own size fields). Fields of {@code model.json} this version does not know are
 * ignored. Nothing is read with Java serialization. The parts: {@link ModelArchive} (the zip and
 * its limits), {@link ModelJson} (the config), {@link ModelReader}, {@link ModelWriter} and
 * {@link HeapRoom}. Set-up only; safe from any thread.
 */
public final class ModelFile {
  private ModelFile() {}

  public static final String FORMAT = "continuo-model";
  public static final int VERSION = 1;
  public static final String CONFIG_ENTRY = "model.json";

  /** Largest sizes a model may declare; generous for a live instrument, small enough to refuse garbage. */
  public static final int MAX_EMBEDDING = 4096;
  public static final int MAX_HIDDEN = 4096;
  public static final int MAX_LAYERS = 8;
  public static final long MAX_PARAMETERS = 256L * 1024 * 1024;

  /**
   * Largest magnitude of a weight. Trained models stay within a few units (the shipped ones within
   * 4.1); with every weight within this bound no activation or logit can overflow a float, whereas
   * finite weights near 3e38 overflow to infinities and NaN scores.
   */
  public static final float MAX_ABS_WEIGHT = 1e4f;

  /** Reads and validates a whole model, refusing one whose parameters do not fit in the heap. */
  public static LstmWeights read(Path file) throws ModelFormatException {
    return ModelReader.read(file, HeapRoom.JVM);
  }

  /** As {@link #read(Path)}, with the heap's room given (for tests). */
  static LstmWeights read(Path file, HeapRoom heap) throws ModelFormatException {
    return ModelReader.read(file, heap);
  }

  /** Reads and validates only {@code model.json}: cheap, for listing models. */
  public static ModelConfig readConfig(Path file) throws ModelFormatException {
    return ModelReader.readConfig(file);
  }

  /**
   * Writes {@code weights} atomically (a temporary file renamed into place). The bytes depend only
   * on the weights and the config: entries in a fixed order with a fixed timestamp.
   */
  public static void write(LstmWeights weights, Path file) throws IOException {
    ModelWriter.write(weights, file);
  }

  /** Entry stem (without .npy) to shape, in file order. */
  static Map<String, int[]> expectedShapes(ModelConfig c) {
    Map<String, int[]> m = new LinkedHashMap<>();
    int v = c.vocabSize();
    int h = c.hiddenSize();
    if (c.embeddingSize() > 0) {
      m.put("embedding.weight", new int[] {v, c.embeddingSize()});
    }
    for (int k = 0; k < c.layers(); k++) {
      m.put("lstm.weight_ih_l" + k, new int[] {4 * h, k == 0 ? c.inputSize() : h});
      m.put("lstm.weight_hh_l" + k, new int[] {4 * h, h});
      m.put("lstm.bias_ih_l" + k, new int[] {4 * h});
      m.put("lstm.bias_hh_l" + k, new int[] {4 * h});
    }
    m.put("output.weight", new int[] {v, h});
    m.put("output.bias", new int[] {v});
    return m;
  }

  /** Number of float parameters a model with this config has. */
  static long parameters(ModelConfig c) {
    long params = 0;
    for (int[] shape : expectedShapes(c).values()) {
      long n = 1;
      for (int d : shape) n *= d;
      params += n;
    }
    return params;
  }

  static String describe(ModelConfig c) {
    return "embedding_size " + c.embeddingSize() + ", hidden_size " + c.hiddenSize() + ", layers "
        + c.layers();
  }

  /**
   * A value from the file made safe for a one-line message: anything but printable ASCII becomes
   * '?', and more than 80 characters are cut with "...".
   */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (i == 80) {
        return b.append("...").toString();
      }
      char ch = s.charAt(i);
      b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
    }
    return b.toString();
  }

  /** One line: values echoed from the file go through printable(); this catches what slips past. */
  static ModelFormatException bad(Path file, String problem) {
    return new ModelFormatException(file + " " + problem.replaceAll("\\p{Cc}", "?") + ".");
  }
}
