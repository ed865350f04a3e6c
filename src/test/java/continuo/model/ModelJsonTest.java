package continuo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelJsonTest {
  private static final Path FILE = Path.of("m.cmodel");

  private static final String CURRENT = """
      {"format":"continuo-model","version":1,"name":"folk","description":"Reels",
       "encoding":{"type":"performance","time_shift_ms":10,"time_shift_steps":100,"velocity_bins":32},
       "architecture":{"type":"lstm","vocab_size":388,"embedding_size":64,"hidden_size":256,"layers":2},
       "training":{"corpus":"reels","epochs":20}}
      """;

  private static ModelConfig read(String json) throws ModelFormatException {
    return ModelJson.read(FILE, json.getBytes(StandardCharsets.UTF_8));
  }

  private static String problem(String json) {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(json));
    assertTrue(e.getMessage().startsWith("m.cmodel "), e.getMessage());
    return e.getMessage();
  }

  private static void assertProblem(String json, String ending) {
    String msg = problem(json);
    assertTrue(msg.endsWith(ending), msg);
  }

  @Test
  void aCurrentConfigReadsIntoItsFields() throws Exception {
    ModelConfig c = read(CURRENT);
    assertEquals(ModelConfig.performance("folk", "Reels", 64, 256, 2,
        Map.of("corpus", "reels", "epochs", 20)), c);
  }

  @Test
  void fieldsALaterVersionAddsAreIgnored() throws Exception {
    String later = """
        {"format":"continuo-model","version":1,"name":"folk","description":"Reels",
         "encoding":{"type":"performance","time_shift_ms":10,"time_shift_steps":100,
                     "velocity_bins":32,"reference_bpm":120,"meter":{"beats":4,"unit":4}},
         "architecture":{"type":"lstm","vocab_size":388,"embedding_size":64,"hidden_size":256,
                         "layers":2,"dropout":0.1},
         "training":{"corpus":"reels","epochs":20,"schedule":{"warmup":[1,2,null]}},
         "tempo":{"steering":true},"tags":["a","b"]}
        """;
    ModelConfig c = read(later);
    assertEquals(read(CURRENT).hiddenSize(), c.hiddenSize());
    assertEquals(10, c.timeShiftMs());
    assertEquals(Map.of("warmup", List.of(1, 2)), c.training().get("schedule"));
  }

  @Test
  void theWrittenTextHasAFixedKeyOrderAndSortedProvenance() throws Exception {
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("zeta", 1);
    training.put("alpha", Map.of("b", 2.5, "a", List.of(1, "x")));
    ModelConfig c = ModelConfig.performance("n\u00e9", "d \"q\"", 4, 8, 2, training);
    String expected = """
        {
          "format" : "continuo-model",
          "version" : 1,
          "name" : "n\u00e9",
          "description" : "d \\"q\\"",
          "encoding" : {
            "type" : "performance",
            "time_shift_ms" : 10,
            "time_shift_steps" : 100,
            "velocity_bins" : 32
          },
          "architecture" : {
            "type" : "lstm",
            "vocab_size" : 388,
            "embedding_size" : 4,
            "hidden_size" : 8,
            "layers" : 2
          },
          "training" : {
            "alpha" : {
              "a" : [ 1, "x" ],
              "b" : 2.5
            },
            "zeta" : 1
          }
        }
        """;
    String written = new String(ModelJson.write(c), StandardCharsets.UTF_8);
    assertEquals(expected, written.replace(System.lineSeparator(), "\n"));
    assertEquals(c, ModelJson.read(FILE, ModelJson.write(c)));
  }

  @Test
  void theReferenceTempoIsReadWrittenAfterTheEncodingAndAbsentInOlderFiles() throws Exception {
    assertTrue(Double.isNaN(read(CURRENT).referenceBpm()), "an older file does not say");
    assertTrue(!read(CURRENT).hasReferenceBpm());
    String withTempo = CURRENT.replace("\"velocity_bins\":32}",
        "\"velocity_bins\":32,\"reference_bpm\":103.5}");
    ModelConfig c = read(withTempo);
    assertEquals(103.5, c.referenceBpm());
    assertEquals(read(CURRENT).withReferenceBpm(103.5), c);
    String written = new String(ModelJson.write(c), StandardCharsets.UTF_8);
    assertTrue(written.contains("\"velocity_bins\" : 32,\n    \"reference_bpm\" : 103.5\n  },"),
        written);
    assertEquals(c, ModelJson.read(FILE, ModelJson.write(c)));
    assertTrue(!new String(ModelJson.write(read(CURRENT)), StandardCharsets.UTF_8)
        .contains("reference_bpm"), "written only when known");
    assertTrue(Double.isNaN(read(CURRENT.replace("\"velocity_bins\":32}",
        "\"velocity_bins\":32,\"reference_bpm\":null}")).referenceBpm()));
  }

  @Test
  void aReferenceTempoThatIsNoTempoIsRefusedInOneLine() {
    for (String bad : new String[] {"19.9", "400.5", "0", "-120", "\"120\"", "[120]", "1e999"}) {
      String msg = problem(CURRENT.replace("\"velocity_bins\":32}",
          "\"velocity_bins\":32,\"reference_bpm\":" + bad + "}"));
      assertTrue(msg.contains("has encoding.reference_bpm ") && msg.endsWith(
          " in model.json, expected a tempo of 20 to 400 bpm.") && !msg.contains("\n"), msg);
    }
  }

  @Test
  void theOnsetsPerBeatAreReadWrittenAfterTheReferenceTempoAndAbsentInOlderFiles()
      throws Exception {
    assertTrue(!read(CURRENT).hasOnsetsPerBeat(), "an older file does not say");
    ModelConfig c = read(CURRENT.replace("\"velocity_bins\":32}",
        "\"velocity_bins\":32,\"reference_bpm\":120.0,\"onsets_per_beat\":1.53}"));
    assertEquals(1.53, c.onsetsPerBeat());
    assertEquals(read(CURRENT).withReferenceBpm(120).withOnsetsPerBeat(1.53), c);
    String written = new String(ModelJson.write(c), StandardCharsets.UTF_8);
    assertTrue(written.contains("\"reference_bpm\" : 120.0,\n    \"onsets_per_beat\" : 1.53\n  },"),
        written);
    assertEquals(c, ModelJson.read(FILE, ModelJson.write(c)));
    assertTrue(!new String(ModelJson.write(read(CURRENT)), StandardCharsets.UTF_8)
        .contains("onsets_per_beat"), "written only when known");
  }

  @Test
  void onsetsPerBeatThatAreNoDensityAreRefusedInOneLine() {
    for (String bad : new String[] {"0", "0.01", "65", "-2", "\"2\"", "[2]", "1e999"}) {
      String msg = problem(CURRENT.replace("\"velocity_bins\":32}",
          "\"velocity_bins\":32,\"onsets_per_beat\":" + bad + "}"));
      assertTrue(msg.contains("has encoding.onsets_per_beat ") && msg.endsWith(
          " in model.json, expected 0.05 to 64.0 onsets per beat.") && !msg.contains("\n"), msg);
    }
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedAsTheFieldExpected() {
    assertProblem(CURRENT.replace("\"version\":1", "\"version\":\"1\""),
        "has no integer field 'version' in model.json.");
    assertProblem(CURRENT.replace("\"version\":1", "\"version\":1.0"),
        "has no integer field 'version' in model.json.");
    assertProblem(CURRENT.replace("\"layers\":2", "\"layers\":99999999999"),
        "has no integer field 'architecture.layers' in model.json.");
    assertProblem(CURRENT.replace("\"type\":\"performance\"", "\"type\":7"),
        "has no text field 'encoding.type' in model.json.");
    assertProblem(CURRENT.replace("\"name\":\"folk\"", "\"name\":null"),
        "has no text field 'name' in model.json.");
    assertProblem(CURRENT.replace("\"architecture\":{", "\"architecture\":[{").replace("\"layers\":2},", "\"layers\":2}],"),
        "has no object 'architecture' in model.json.");
    assertProblem(CURRENT.replace("\"training\":{\"corpus\":\"reels\",\"epochs\":20}", "\"training\":[]"),
        "has a 'training' field in model.json that is not a JSON object.");
    assertProblem("[1]", "has a model.json that is not a JSON object.");
    assertProblem("", "has a model.json that is not a JSON object.");
  }

  @Test
  void aFieldGivenTwiceIsRefusedRatherThanGuessed() {
    String msg = problem(CURRENT.replace("\"version\":1,", "\"version\":1,\"version\":2,"));
    assertTrue(msg.contains("not valid JSON (Duplicate field 'version')"), msg);
  }

  @Test
  void bytesThatLookLikeUtf32ButDoNotDecodeAreInvalidJson() {
    // Found by fuzzing: Jackson detects UTF-32 from the leading zero bytes, then cannot decode.
    String msg = problem("\0\0\0\"format\":1}");
    assertTrue(msg.contains("that is not valid JSON (Invalid UTF-32 character"), msg);
  }

  @Test
  void aSyntaxErrorInsideAFieldIsReportedAsInvalidJson() {
    String msg = problem(CURRENT.replace("\"epochs\":20", "\"epochs\":[1,,2]"));
    assertTrue(msg.contains("that is not valid JSON (Unexpected character"), msg);
  }
}
