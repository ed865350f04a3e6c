package continuo.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code model.json}: the {@link Document} records say what it holds and are what is written (the
 * same bytes for the same config); reading checks every field the format defines (type, presence,
 * value) and ignores fields it does not know, so a file from a later version that adds fields (say,
 * to {@code encoding} or {@code training}) still loads. Set-up only; safe from any thread.
 */
final class ModelJson {
  private ModelJson() {}

  /** The document as written. */
  @JsonPropertyOrder({"format", "version", "name", "description", "encoding", "architecture", "training"})
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Document(String format, int version, String name, String description,
      Encoding encoding, Architecture architecture, Map<String, Object> training) {}

  @JsonPropertyOrder({"type", "time_shift_ms", "time_shift_steps", "velocity_bins",
      "reference_bpm", "onsets_per_beat"})
  record Encoding(String type,
      @JsonProperty("time_shift_ms") int timeShiftMs,
      @JsonProperty("time_shift_steps") int timeShiftSteps,
      @JsonProperty("velocity_bins") int velocityBins,
      @JsonProperty("reference_bpm") @JsonInclude(JsonInclude.Include.NON_NULL)
      Double referenceBpm,
      @JsonProperty("onsets_per_beat") @JsonInclude(JsonInclude.Include.NON_NULL)
      Double onsetsPerBeat) {}

  @JsonPropertyOrder({"type", "vocab_size", "embedding_size", "hidden_size", "layers"})
  record Architecture(String type,
      @JsonProperty("vocab_size") int vocabSize,
      @JsonProperty("embedding_size") int embeddingSize,
      @JsonProperty("hidden_size") int hiddenSize,
      int layers) {}

  // A field given twice is refused (which value was meant cannot be known).
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  /** The text of {@code model.json} for a config: fixed key order, training sorted by key. */
  static byte[] write(ModelConfig c) throws JsonProcessingException {
    Document d = new Document(ModelFile.FORMAT, ModelFile.VERSION, c.name(), c.description(),
        new Encoding("performance", c.timeShiftMs(), c.timeShiftSteps(), c.velocityBins(),
            c.hasReferenceBpm() ? c.referenceBpm() : null,
            c.hasOnsetsPerBeat() ? c.onsetsPerBeat() : null),
        new Architecture("lstm", c.vocabSize(), c.embeddingSize(), c.hiddenSize(), c.layers()),
        new TreeMap<>(c.training()));
    return (JSON.writeValueAsString(d) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads and checks the bytes of {@code model.json}; {@code file} names the model in errors. Read
   * as a tree rather than bound to {@link Document}: binding costs 9-25 ms more of start-up in a
   * fresh JVM (Jackson builds its record deserializers on first use), on the path to {@code ready}.
   */
  static ModelConfig read(Path file, byte[] json) throws ModelFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw ModelFile.bad(file, "has a " + ModelFile.CONFIG_ENTRY + " that is not valid JSON ("
          + e.getOriginalMessage() + ")");
    } catch (IOException e) { // bytes that do not decode in the encoding Jackson detected
      throw ModelFile.bad(file, "has a " + ModelFile.CONFIG_ENTRY + " that is not valid JSON ("
          + e.getMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw ModelFile.bad(file, "has a " + ModelFile.CONFIG_ENTRY + " that is not a JSON object");
    }
    Fields f = new Fields(file);
    String format = f.text(root, "format");
    if (!ModelFile.FORMAT.equals(format)) {
      throw ModelFile.bad(file, "has format '" + ModelFile.printable(format) + "' in "
          + ModelFile.CONFIG_ENTRY + ", expected '" + ModelFile.FORMAT + "'");
    }
    int version = f.integer(root, "version");
    if (version != ModelFile.VERSION) {
      throw ModelFile.bad(file, "has version " + version + " in " + ModelFile.CONFIG_ENTRY
          + ", but this continuo reads version " + ModelFile.VERSION);
    }
    String name = f.text(root, "name");
    JsonNode descNode = root.get("description");
    String description = descNode == null || descNode.isNull() ? "" : f.text(root, "description");
    JsonNode enc = f.object(root, "encoding");
    String encType = f.text(enc, "encoding.type");
    if (!"performance".equals(encType)) {
      throw ModelFile.bad(file, "uses encoding '" + ModelFile.printable(encType)
          + "', but only 'performance' is supported");
    }
    int shiftMs = f.integer(enc, "encoding.time_shift_ms");
    int shiftSteps = f.integer(enc, "encoding.time_shift_steps");
    int bins = f.integer(enc, "encoding.velocity_bins");
    if (shiftMs != 10 || shiftSteps != 100 || bins != 32) {
      throw ModelFile.bad(file, "has encoding time_shift_ms=" + shiftMs + ", time_shift_steps="
          + shiftSteps + ", velocity_bins=" + bins + "; the performance encoding is 10, 100, 32");
    }
    double referenceBpm = Double.NaN;
    JsonNode bpm = enc.get("reference_bpm");
    if (bpm != null && !bpm.isNull()) {
      if (!bpm.isNumber() || !ModelConfig.isReferenceBpm(bpm.doubleValue())) {
        throw ModelFile.bad(file, "has encoding.reference_bpm " + ModelFile.printable(bpm.toString())
            + " in " + ModelFile.CONFIG_ENTRY + ", expected a tempo of 20 to 400 bpm");
      }
      referenceBpm = bpm.doubleValue();
    }
    double onsetsPerBeat = Double.NaN;
    JsonNode density = enc.get("onsets_per_beat");
    if (density != null && !density.isNull()) {
      if (!density.isNumber() || !ModelConfig.isOnsetsPerBeat(density.doubleValue())) {
        throw ModelFile.bad(file, "has encoding.onsets_per_beat "
            + ModelFile.printable(density.toString()) + " in " + ModelFile.CONFIG_ENTRY
            + ", expected " + ModelConfig.MIN_ONSETS_PER_BEAT + " to "
            + ModelConfig.MAX_ONSETS_PER_BEAT + " onsets per beat");
      }
      onsetsPerBeat = density.doubleValue();
    }
    JsonNode arch = f.object(root, "architecture");
    String archType = f.text(arch, "architecture.type");
    if (!"lstm".equals(archType)) {
      throw ModelFile.bad(file, "has architecture type '" + ModelFile.printable(archType)
          + "', expected 'lstm'");
    }
    int v = f.integer(arch, "architecture.vocab_size");
    int e = f.integer(arch, "architecture.embedding_size");
    int h = f.integer(arch, "architecture.hidden_size");
    int l = f.integer(arch, "architecture.layers");
    if (v != 388) {
      throw ModelFile.bad(file, "has vocab_size " + v + ", but the performance encoding has 388 tokens");
    }
    if (e < 0 || e > ModelFile.MAX_EMBEDDING) {
      throw ModelFile.bad(file, "has embedding_size " + e + ", expected 0 (one-hot) to "
          + ModelFile.MAX_EMBEDDING);
    }
    if (h < 1 || h > ModelFile.MAX_HIDDEN) {
      throw ModelFile.bad(file, "has hidden_size " + h + ", expected 1 to " + ModelFile.MAX_HIDDEN);
    }
    if (l < 1 || l > ModelFile.MAX_LAYERS) {
      throw ModelFile.bad(file, "has layers " + l + ", expected 1 to " + ModelFile.MAX_LAYERS);
    }
    Map<String, Object> training = Map.of();
    JsonNode t = root.get("training");
    if (t != null && !t.isNull()) {
      if (!t.isObject()) {
        throw ModelFile.bad(file, "has a 'training' field in " + ModelFile.CONFIG_ENTRY
            + " that is not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.convertValue(t, Map.class);
      training = nullFree(m);
    }
    return new ModelConfig(name, description, shiftMs, shiftSteps, bins, v, e, h, l, training,
        referenceBpm, onsetsPerBeat);
  }

  /** Typed access to fields with one-sentence errors; fields not asked for are ignored. */
  private record Fields(Path file) {
    String text(JsonNode node, String path) throws ModelFormatException {
      JsonNode n = node.get(leaf(path));
      if (n == null || !n.isTextual()) {
        throw ModelFile.bad(file, "has no text field '" + path + "' in " + ModelFile.CONFIG_ENTRY);
      }
      return n.asText();
    }

    int integer(JsonNode node, String path) throws ModelFormatException {
      JsonNode n = node.get(leaf(path));
      if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
        throw ModelFile.bad(file, "has no integer field '" + path + "' in " + ModelFile.CONFIG_ENTRY);
      }
      return n.intValue();
    }

    JsonNode object(JsonNode node, String path) throws ModelFormatException {
      JsonNode n = node.get(leaf(path));
      if (n == null || !n.isObject()) {
        throw ModelFile.bad(file, "has no object '" + path + "' in " + ModelFile.CONFIG_ENTRY);
      }
      return n;
    }

    private static String leaf(String path) {
      return path.substring(path.lastIndexOf('.') + 1);
    }
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
}
