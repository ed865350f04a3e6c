package continuo.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
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
 * {@code model.json}, bound to records: reading checks every field the format defines (type,
 * presence, value) and ignores fields it does not know, so a file from a later version that adds
 * fields (say, to {@code encoding} or {@code training}) still loads; writing gives the same bytes
 * for the same config. Set-up only; safe from any thread.
 */
final class ModelJson {
  private ModelJson() {}

  /** The document as stored. Boxed fields: absent and null read as null and are refused by {@link #toConfig}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"format", "version", "name", "description", "encoding", "architecture", "training"})
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Document(String format, Integer version, String name, String description,
      Encoding encoding, Architecture architecture, Map<String, Object> training) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"type", "time_shift_ms", "time_shift_steps", "velocity_bins"})
  record Encoding(String type,
      @JsonProperty("time_shift_ms") Integer timeShiftMs,
      @JsonProperty("time_shift_steps") Integer timeShiftSteps,
      @JsonProperty("velocity_bins") Integer velocityBins) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"type", "vocab_size", "embedding_size", "hidden_size", "layers"})
  record Architecture(String type,
      @JsonProperty("vocab_size") Integer vocabSize,
      @JsonProperty("embedding_size") Integer embeddingSize,
      @JsonProperty("hidden_size") Integer hiddenSize,
      Integer layers) {}

  // Strict types: "1", 1.0 or true is not an integer and 5 is not text, as with the hand-written
  // reader this replaces; unknown fields are skipped; a field given twice is refused (which value
  // was meant cannot be known).
  private static final ObjectMapper JSON = strict(JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build());

  private static ObjectMapper strict(ObjectMapper m) {
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  /** The text of {@code model.json} for a config: fixed key order, training sorted by key. */
  static byte[] write(ModelConfig c) throws JsonProcessingException {
    Document d = new Document(ModelFile.FORMAT, ModelFile.VERSION, c.name(), c.description(),
        new Encoding("performance", c.timeShiftMs(), c.timeShiftSteps(), c.velocityBins()),
        new Architecture("lstm", c.vocabSize(), c.embeddingSize(), c.hiddenSize(), c.layers()),
        new TreeMap<>(c.training()));
    return (JSON.writeValueAsString(d) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Reads and checks the bytes of {@code model.json}; {@code file} names the model in errors. */
  static ModelConfig read(Path file, byte[] json) throws ModelFormatException {
    Document d;
    try {
      d = JSON.readValue(json, Document.class);
    } catch (MismatchedInputException | InputCoercionException e) {
      throw wrongType(file, e, pathOf(e));
    } catch (JsonMappingException e) {
      // A syntax error inside a field arrives wrapped with the field's path.
      Throwable cause = e.getCause();
      if (cause instanceof MismatchedInputException || cause instanceof InputCoercionException) {
        throw wrongType(file, (JsonProcessingException) cause, pathOf(e));
      }
      throw notJson(file, cause instanceof JsonProcessingException j ? j : e);
    } catch (JsonProcessingException e) {
      throw notJson(file, e);
    } catch (IOException e) {
      throw new IllegalStateException("reading an array cannot fail: " + e.getMessage(), e);
    }
    if (d == null) {
      throw ModelFile.bad(file, "has a " + ModelFile.CONFIG_ENTRY + " that is not a JSON object");
    }
    return toConfig(file, d);
  }

  private static ModelConfig toConfig(Path file, Document d) throws ModelFormatException {
    String format = text(file, d.format(), "format");
    if (!ModelFile.FORMAT.equals(format)) {
      throw ModelFile.bad(file, "has format '" + ModelFile.printable(format) + "' in "
          + ModelFile.CONFIG_ENTRY + ", expected '" + ModelFile.FORMAT + "'");
    }
    int version = integer(file, d.version(), "version");
    if (version != ModelFile.VERSION) {
      throw ModelFile.bad(file, "has version " + version + " in " + ModelFile.CONFIG_ENTRY
          + ", but this continuo reads version " + ModelFile.VERSION);
    }
    String name = text(file, d.name(), "name");
    String description = d.description() == null ? "" : d.description();
    Encoding enc = object(file, d.encoding(), "encoding");
    String encType = text(file, enc.type(), "encoding.type");
    if (!"performance".equals(encType)) {
      throw ModelFile.bad(file, "uses encoding '" + ModelFile.printable(encType)
          + "', but only 'performance' is supported");
    }
    int shiftMs = integer(file, enc.timeShiftMs(), "encoding.time_shift_ms");
    int shiftSteps = integer(file, enc.timeShiftSteps(), "encoding.time_shift_steps");
    int bins = integer(file, enc.velocityBins(), "encoding.velocity_bins");
    if (shiftMs != 10 || shiftSteps != 100 || bins != 32) {
      throw ModelFile.bad(file, "has encoding time_shift_ms=" + shiftMs + ", time_shift_steps="
          + shiftSteps + ", velocity_bins=" + bins + "; the performance encoding is 10, 100, 32");
    }
    Architecture arch = object(file, d.architecture(), "architecture");
    String archType = text(file, arch.type(), "architecture.type");
    if (!"lstm".equals(archType)) {
      throw ModelFile.bad(file, "has architecture type '" + ModelFile.printable(archType)
          + "', expected 'lstm'");
    }
    int v = integer(file, arch.vocabSize(), "architecture.vocab_size");
    int e = integer(file, arch.embeddingSize(), "architecture.embedding_size");
    int h = integer(file, arch.hiddenSize(), "architecture.hidden_size");
    int l = integer(file, arch.layers(), "architecture.layers");
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
    Map<String, Object> training = d.training() == null ? Map.of() : nullFree(d.training());
    return new ModelConfig(name, description, shiftMs, shiftSteps, bins, v, e, h, l, training);
  }

  private static String text(Path file, String value, String path) throws ModelFormatException {
    if (value == null) {
      throw ModelFile.bad(file, "has no text field '" + path + "' in " + ModelFile.CONFIG_ENTRY);
    }
    return value;
  }

  private static int integer(Path file, Integer value, String path) throws ModelFormatException {
    if (value == null) {
      throw ModelFile.bad(file, "has no integer field '" + path + "' in " + ModelFile.CONFIG_ENTRY);
    }
    return value;
  }

  private static <T> T object(Path file, T value, String path) throws ModelFormatException {
    if (value == null) {
      throw ModelFile.bad(file, "has no object '" + path + "' in " + ModelFile.CONFIG_ENTRY);
    }
    return value;
  }

  /** A field of the wrong JSON type, named as the field the format expects. */
  private static ModelFormatException wrongType(Path file, JsonProcessingException e, String path) {
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType()
        : ((InputCoercionException) e).getTargetType();
    if (path.isEmpty() || target == Document.class) {
      return ModelFile.bad(file, "has a " + ModelFile.CONFIG_ENTRY + " that is not a JSON object");
    }
    if (path.equals("training")) {
      return ModelFile.bad(file, "has a 'training' field in " + ModelFile.CONFIG_ENTRY
          + " that is not a JSON object");
    }
    if (target == Encoding.class || target == Architecture.class) {
      return ModelFile.bad(file, "has no object '" + path + "' in " + ModelFile.CONFIG_ENTRY);
    }
    if (target == String.class) {
      return ModelFile.bad(file, "has no text field '" + path + "' in " + ModelFile.CONFIG_ENTRY);
    }
    return ModelFile.bad(file, "has no integer field '" + path + "' in " + ModelFile.CONFIG_ENTRY);
  }

  private static ModelFormatException notJson(Path file, JsonProcessingException e) {
    return ModelFile.bad(file, "has a " + ModelFile.CONFIG_ENTRY + " that is not valid JSON ("
        + e.getOriginalMessage() + ")");
  }

  /** The dotted field path of a binding error, as the format's field names ("encoding.type"). */
  private static String pathOf(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() == null) {
        break;
      }
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(r.getFieldName());
    }
    return b.toString();
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
