package continuo.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

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
 * model: the format and version, the encoding, the architecture's bounds, that every entry is a
 * known plain name present exactly once with the right shape, the {@code .npy} headers, that all
 * values are finite, and size limits counted on the bytes actually inflated (never trusting the
 * zip's own size fields). Nothing is ever deserialized as Java objects. Set-up only; safe from any
 * thread.
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
  static final int MAX_ENTRIES = 64;
  static final int MAX_CONFIG_BYTES = 1024 * 1024;
  static final long MAX_TOTAL_BYTES = MAX_PARAMETERS * 4 + 64L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** Reads and validates a whole model. */
  public static LstmWeights read(Path file) throws ModelFormatException {
    try (ZipFile zip = open(file)) {
      Map<String, ZipEntry> entries = listEntries(file, zip);
      Budget budget = new Budget(file);
      ModelConfig config = readConfig(file, zip, entries, budget);
      Map<String, int[]> expected = expectedShapes(config);
      for (String name : entries.keySet()) {
        if (!name.equals(CONFIG_ENTRY) && !expected.containsKey(stem(name))) {
          throw bad(file, "has an unexpected entry '" + name + "'; expected only " + CONFIG_ENTRY
              + " and " + String.join(", ", npyNames(expected)));
        }
      }
      Map<String, float[]> arrays = new HashMap<>();
      for (Map.Entry<String, int[]> e : expected.entrySet()) {
        String entryName = e.getKey() + ".npy";
        ZipEntry entry = entries.get(entryName);
        if (entry == null) {
          throw bad(file, "has no entry '" + entryName + "', which a model with "
              + describe(config) + " needs");
        }
        arrays.put(e.getKey(), readArray(file, zip, entry, e.getValue(), config, budget));
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
      throw bad(file, "could not be read: " + e.getMessage());
    }
  }

  /** Reads and validates only {@code model.json}: cheap, for listing models. */
  public static ModelConfig readConfig(Path file) throws ModelFormatException {
    try (ZipFile zip = open(file)) {
      return readConfig(file, zip, listEntries(file, zip), new Budget(file));
    } catch (IOException e) {
      throw bad(file, "could not be read: " + e.getMessage());
    }
  }

  /**
   * Writes {@code weights} atomically (a temporary file renamed into place). The bytes depend only
   * on the weights and the config: entries in a fixed order with a fixed timestamp.
   */
  public static void write(LstmWeights weights, Path file) throws IOException {
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
              java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), 1 << 16);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        put(zip, CONFIG_ENTRY);
        zip.write(configJson(c));
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

  /** The {@code model.json} text for a config. */
  static byte[] configJson(ModelConfig c) throws JsonProcessingException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("name", c.name());
    root.put("description", c.description());
    Map<String, Object> enc = new LinkedHashMap<>();
    enc.put("type", "performance");
    enc.put("time_shift_ms", c.timeShiftMs());
    enc.put("time_shift_steps", c.timeShiftSteps());
    enc.put("velocity_bins", c.velocityBins());
    root.put("encoding", enc);
    Map<String, Object> arch = new LinkedHashMap<>();
    arch.put("type", "lstm");
    arch.put("vocab_size", c.vocabSize());
    arch.put("embedding_size", c.embeddingSize());
    arch.put("hidden_size", c.hiddenSize());
    arch.put("layers", c.layers());
    root.put("architecture", arch);
    root.put("training", c.training());
    // Key order of the top level is the contract's; nested free-form maps are sorted for stable bytes.
    ObjectMapper m = JSON.copy().disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    ObjectNode node = m.valueToTree(root);
    node.set("training", JSON.valueToTree(new java.util.TreeMap<>(c.training())));
    return (m.writeValueAsString(node) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);

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

  private static ZipFile open(Path file) throws ModelFormatException {
    if (!Files.isRegularFile(file)) {
      throw bad(file, Files.exists(file) ? "is not a regular file" : "does not exist");
    }
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw bad(file, "is not a .cmodel file (not a zip archive)");
    } catch (NoSuchFileException e) {
      throw bad(file, "does not exist");
    } catch (IOException e) {
      throw bad(file, "could not be opened: " + e.getMessage());
    }
  }

  /** Entry names, checked: at most MAX_ENTRIES, plain names only, no duplicates. */
  private static Map<String, ZipEntry> listEntries(Path file, ZipFile zip) throws ModelFormatException {
    Map<String, ZipEntry> byName = new LinkedHashMap<>();
    var all = zip.entries();
    int count = 0;
    while (all.hasMoreElements()) {
      ZipEntry e;
      try {
        e = all.nextElement();
      } catch (IllegalArgumentException malformed) { // the name's bytes are not valid UTF-8
        throw bad(file, "has an entry whose name is not valid UTF-8; entries must be plain names "
            + "like lstm.weight_ih_l0.npy");
      }
      if (++count > MAX_ENTRIES) {
        throw bad(file, "has more than " + MAX_ENTRIES + " entries; a model has at most "
            + (3 + 4 * MAX_LAYERS));
      }
      String name = e.getName();
      if (!isPlainName(name)) {
        throw bad(file, "has an entry with a path or unusual name '" + printable(name)
            + "'; entries must be plain names like lstm.weight_ih_l0.npy");
      }
      if (byName.putIfAbsent(name, e) != null) {
        throw bad(file, "has the entry '" + name + "' more than once");
      }
    }
    if (!byName.containsKey(CONFIG_ENTRY)) {
      throw bad(file, "has no " + CONFIG_ENTRY + " entry (is it a .cmodel file?)");
    }
    return byName;
  }

  private static boolean isPlainName(String name) {
    if (name.isEmpty() || name.length() > 64 || name.startsWith(".")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
          || ch == '.' || ch == '_' || ch == '-')) {
        return false;
      }
    }
    return !name.contains("..");
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

  private static ModelConfig readConfig(
      Path file, ZipFile zip, Map<String, ZipEntry> entries, Budget budget)
      throws ModelFormatException, IOException {
    JsonNode root;
    try (InputStream in = budget.limit(zip.getInputStream(entries.get(CONFIG_ENTRY)),
        CONFIG_ENTRY, MAX_CONFIG_BYTES)) {
      root = new ObjectMapper().readTree(in);
    } catch (JsonProcessingException e) {
      throw bad(file, "has a " + CONFIG_ENTRY + " that is not valid JSON ("
          + e.getOriginalMessage() + ")");
    } catch (LimitException e) {
      throw bad(file, e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad(file, "has a " + CONFIG_ENTRY + " that is not a JSON object");
    }
    Json j = new Json(file);
    String format = j.text(root, "format");
    if (!FORMAT.equals(format)) {
      throw bad(file, "has format '" + printable(format) + "' in " + CONFIG_ENTRY + ", expected '" + FORMAT + "'");
    }
    int version = j.integer(root, "version");
    if (version != VERSION) {
      throw bad(file, "has version " + version + " in " + CONFIG_ENTRY
          + ", but this continuo reads version " + VERSION);
    }
    String name = j.text(root, "name");
    JsonNode descNode = root.get("description");
    String description = descNode == null || descNode.isNull() ? "" : j.text(root, "description");
    JsonNode enc = j.object(root, "encoding");
    String encType = j.text(enc, "encoding.type");
    if (!"performance".equals(encType)) {
      throw bad(file, "uses encoding '" + printable(encType) + "', but only 'performance' is supported");
    }
    int shiftMs = j.integer(enc, "encoding.time_shift_ms");
    int shiftSteps = j.integer(enc, "encoding.time_shift_steps");
    int bins = j.integer(enc, "encoding.velocity_bins");
    if (shiftMs != 10 || shiftSteps != 100 || bins != 32) {
      throw bad(file, "has encoding time_shift_ms=" + shiftMs + ", time_shift_steps=" + shiftSteps
          + ", velocity_bins=" + bins + "; the performance encoding is 10, 100, 32");
    }
    JsonNode arch = j.object(root, "architecture");
    String archType = j.text(arch, "architecture.type");
    if (!"lstm".equals(archType)) {
      throw bad(file, "has architecture type '" + printable(archType) + "', expected 'lstm'");
    }
    int v = j.integer(arch, "architecture.vocab_size");
    int e = j.integer(arch, "architecture.embedding_size");
    int h = j.integer(arch, "architecture.hidden_size");
    int l = j.integer(arch, "architecture.layers");
    if (v != 388) {
      throw bad(file, "has vocab_size " + v + ", but the performance encoding has 388 tokens");
    }
    if (e < 0 || e > MAX_EMBEDDING) {
      throw bad(file, "has embedding_size " + e + ", expected 0 (one-hot) to " + MAX_EMBEDDING);
    }
    if (h < 1 || h > MAX_HIDDEN) {
      throw bad(file, "has hidden_size " + h + ", expected 1 to " + MAX_HIDDEN);
    }
    if (l < 1 || l > MAX_LAYERS) {
      throw bad(file, "has layers " + l + ", expected 1 to " + MAX_LAYERS);
    }
    Map<String, Object> training = Map.of();
    JsonNode t = root.get("training");
    if (t != null && !t.isNull()) {
      if (!t.isObject()) {
        throw bad(file, "has a 'training' field in " + CONFIG_ENTRY + " that is not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = new ObjectMapper().convertValue(t, Map.class);
      training = nullFree(m);
    }
    ModelConfig config = new ModelConfig(name, description, shiftMs, shiftSteps, bins, v, e, h, l, training);
    long params = 0;
    for (int[] shape : expectedShapes(config).values()) {
      long n = 1;
      for (int d : shape) n *= d;
      params += n;
    }
    if (params > MAX_PARAMETERS) {
      throw bad(file, "declares " + params + " parameters (" + describe(config) + "), more than the limit of "
          + MAX_PARAMETERS);
    }
    return config;
  }

  /** Map.copyOf refuses nulls; JSON nulls in free-form provenance become absent keys. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> nullFree(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map<?, ?> nested) {
        v = nullFree((Map<String, Object>) nested);
      } else if (v instanceof List<?> list) {
        List<Object> copy = new ArrayList<>();
        for (Object o : list) {
          if (o != null) copy.add(o instanceof Map<?, ?> mm ? nullFree((Map<String, Object>) mm) : o);
        }
        v = Collections.unmodifiableList(copy);
      }
      if (v != null) out.put(e.getKey(), v);
    }
    return Collections.unmodifiableMap(out);
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

  private static List<String> npyNames(Map<String, int[]> expected) {
    List<String> names = new ArrayList<>();
    for (String s : expected.keySet()) names.add(s + ".npy");
    return names;
  }

  private static String stem(String entryName) {
    return entryName.endsWith(".npy") ? entryName.substring(0, entryName.length() - 4) : "\0";
  }

  private static String describe(ModelConfig c) {
    return "embedding_size " + c.embeddingSize() + ", hidden_size " + c.hiddenSize() + ", layers "
        + c.layers();
  }

  private static float[] readArray(
      Path file, ZipFile zip, ZipEntry entry, int[] shape, ModelConfig config, Budget budget)
      throws ModelFormatException, IOException {
    String name = entry.getName();
    long values = 1;
    for (int d : shape) values *= d;
    // The exact size a well-formed array has, plus room for a longer (v2/v3) header.
    long limit = values * 4 + (Npy.MAX_HEADER + 12);
    float[] data;
    try (InputStream in = budget.limit(zip.getInputStream(entry), name, limit)) {
      Npy.Header header = Npy.readHeader(in);
      if (!java.util.Arrays.equals(header.shape(), shape)) {
        throw bad(file, "has " + name + " with shape " + header.shapeText() + ", expected "
            + java.util.Arrays.toString(shape) + " for " + "a model with " + describe(config));
      }
      // The zip's declared size is untrusted: it can only make the loader refuse early, and a
      // larger claim than the data is still caught while reading.
      long size = entry.getSize();
      data = Npy.readData(in, header, size < 0 ? -1 : Math.max(0, size - header.bytes()));
    } catch (Npy.NpyException e) {
      throw bad(file, "has an entry " + name + " that " + e.getMessage());
    } catch (LimitException e) {
      throw bad(file, e.getMessage());
    } catch (ZipException e) {
      throw bad(file, "has a corrupt entry " + name + " (" + e.getMessage() + ")");
    }
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw bad(file, "has a non-finite value (" + data[i] + ") in " + name + " at flat index " + i);
      }
    }
    return data;
  }

  /** One line: values echoed from the file go through printable(); this catches what slips past. */
  private static ModelFormatException bad(Path file, String problem) {
    return new ModelFormatException(file + " " + problem.replaceAll("\\p{Cc}", "?") + ".");
  }

  /** Counts inflated bytes per entry and in total, failing as soon as a limit is passed. */
  private static final class Budget {
    private final Path file;
    private long total;

    Budget(Path file) {
      this.file = file;
    }

    InputStream limit(InputStream in, String entry, long entryLimit) {
      return new FilterInputStream(in) {
        private long count;

        private void add(long n) throws LimitException {
          count += n;
          total += n;
          if (count > entryLimit) {
            throw new LimitException("has an entry " + entry + " larger than the " + entryLimit
                + " bytes allowed for it");
          }
          if (total > MAX_TOTAL_BYTES) {
            throw new LimitException("inflates to more than " + MAX_TOTAL_BYTES + " bytes in total");
          }
        }

        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) add(1);
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) add(n);
          return n;
        }

        @Override
        public long skip(long n) throws IOException {
          long s = super.skip(n);
          if (s > 0) add(s);
          return s;
        }
      };
    }
  }

  private static final class LimitException extends IOException {
    LimitException(String message) {
      super(message);
    }
  }

  /** Typed access to model.json fields with one-sentence errors. */
  private record Json(Path file) {
    String text(JsonNode node, String path) throws ModelFormatException {
      JsonNode n = node.get(leaf(path));
      if (n == null || !n.isTextual()) {
        throw bad(file, "has no text field '" + path + "' in " + CONFIG_ENTRY);
      }
      return n.asText();
    }

    int integer(JsonNode node, String path) throws ModelFormatException {
      JsonNode n = node.get(leaf(path));
      if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
        throw bad(file, "has no integer field '" + path + "' in " + CONFIG_ENTRY);
      }
      return n.intValue();
    }

    JsonNode object(JsonNode node, String path) throws ModelFormatException {
      JsonNode n = node.get(leaf(path));
      if (n == null || !n.isObject()) {
        throw bad(file, "has no object '" + path + "' in " + CONFIG_ENTRY);
      }
      return n;
    }

    private static String leaf(String path) {
      return path.substring(path.lastIndexOf('.') + 1);
    }
  }
}
