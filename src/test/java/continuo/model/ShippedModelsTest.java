package continuo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import continuo.testkit.Corpora;
import continuo.train.TempoMaps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The models continuo ships say the tempo they speak at, the median tempo of their corpus. */
class ShippedModelsTest {
  /** Model to its reference tempo and its corpus under the full corpora. */
  private static final Map<String, Object[]> SHIPPED = Map.of(
      "folk", new Object[] {120.0, "nottingham/midi"},
      "piano", new Object[] {74.0, "pop909"},
      "bach", new Object[] {120.0, "jsb/jsb-chorales-16th.json"});

  @Test
  void everyShippedModelGivesItsReferenceTempo() throws Exception {
    for (var e : SHIPPED.entrySet()) {
      ModelConfig c = ModelFile.read(Path.of("models", e.getKey() + ".cmodel")).config();
      assertEquals((double) e.getValue()[0], c.referenceBpm(), e.getKey());
    }
  }

  @Test
  @EnabledIfEnvironmentVariable(named = Corpora.ENV, matches = ".+")
  void eachReferenceTempoIsTheMedianOfTheModelsCorpus() throws Exception {
    for (var e : SHIPPED.entrySet()) {
      Path corpus = Corpora.full().resolve((String) e.getValue()[1]);
      assertEquals((Double) e.getValue()[0], TempoMaps.medianBpm(List.of(corpus)), e.getKey());
    }
  }
}
