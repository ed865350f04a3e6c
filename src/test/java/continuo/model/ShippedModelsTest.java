package continuo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import continuo.testkit.Corpora;
import continuo.train.OnsetDensity;
import continuo.train.TempoMaps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The models continuo ships say the tempo they speak at, the median tempo of their corpus, and how
 * dense their music is there, its median onsets per beat ({@code scripts/set-reference-bpm} set
 * both on the shipped files).
 */
class ShippedModelsTest {
  /** Model to its reference tempo, onsets per beat and its corpus under the full corpora. */
  private static final Map<String, Object[]> SHIPPED = Map.of(
      "folk", new Object[] {120.0, 1.53, "nottingham/midi"},
      "piano", new Object[] {74.0, 2.54, "pop909"},
      "bach", new Object[] {120.0, 1.55, "jsb/jsb-chorales-16th.json"});

  @Test
  void everyShippedModelGivesItsReferenceTempo() throws Exception {
    for (var e : SHIPPED.entrySet()) {
      ModelConfig c = ModelFile.read(Path.of("models", e.getKey() + ".cmodel")).config();
      assertEquals((double) e.getValue()[0], c.referenceBpm(), e.getKey());
      assertEquals((double) e.getValue()[1], c.onsetsPerBeat(), e.getKey());
    }
  }

  @Test
  @EnabledIfEnvironmentVariable(named = Corpora.ENV, matches = ".+")
  void eachReferenceTempoAndDensityIsTheMedianOfTheModelsCorpus() throws Exception {
    for (var e : SHIPPED.entrySet()) {
      Path corpus = Corpora.full().resolve((String) e.getValue()[2]);
      assertEquals((Double) e.getValue()[0], TempoMaps.medianBpm(List.of(corpus)), e.getKey());
      assertEquals((Double) e.getValue()[1], OnsetDensity.medianOnsetsPerBeat(List.of(corpus)),
          e.getKey());
    }
  }
}
