package continuo.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/set-reference-bpm} sets a shipped model's reference tempo and onsets per beat (given,
 * or from an {@code encode --shards} manifest) and names its corpus, changing nothing but those
 * fields of {@code model.json}.
 */
class SetReferenceBpmScriptTest {
  @TempDir Path dir;

  private record Run(int exit, String output) {}

  private static Run script(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "scripts/set-reference-bpm"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  /** Every entry's bytes but model.json's. */
  private static List<byte[]> weights(Path model) throws Exception {
    List<byte[]> out = new ArrayList<>();
    try (ZipFile z = new ZipFile(model.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        if (!e.getName().equals("model.json")) {
          out.add(z.getInputStream(e).readAllBytes());
        }
      }
    }
    return out;
  }

  @Test
  void setsTheTempoAndDensityGivenOrFromAManifestAndNamesTheCorpus() throws Exception {
    Path copy = Files.copy(Path.of("models/piano.cmodel"), dir.resolve("piano.cmodel"),
        StandardCopyOption.REPLACE_EXISTING);
    List<byte[]> before = weights(copy);
    ModelConfig shipped = ModelFile.read(copy).config();

    Run r = script(copy.toString(), "96", "3.25");
    assertEquals(0, r.exit(), r.output());
    ModelConfig c = ModelFile.read(copy).config();
    assertEquals(shipped.withReferenceBpm(96).withOnsetsPerBeat(3.25), c);

    Path manifest = dir.resolve("manifest.json");
    Files.writeString(manifest, "{\"reference_bpm\": 74.0, \"onsets_per_beat\": 2.54}");
    r = script(copy.toString(), "--manifest", manifest.toString());
    assertEquals(0, r.exit(), r.output());
    assertEquals(shipped.withReferenceBpm(74).withOnsetsPerBeat(2.54),
        ModelFile.read(copy).config());

    r = script(copy.toString(), "--corpus-name", "pop909-renamed");
    assertEquals(0, r.exit(), r.output());
    c = ModelFile.read(copy).config();
    assertEquals(List.of("pop909-renamed"), c.training().get("corpus"));
    assertNotEquals(shipped.training(), c.training());
    List<byte[]> after = weights(copy);
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), "entry " + i + " is untouched");
    }
  }

  @Test
  void aValueOutOfRangeOrAManifestWithoutThemLeavesTheModelAsItWas() throws Exception {
    Path copy = Files.copy(Path.of("models/folk.cmodel"), dir.resolve("folk.cmodel"),
        StandardCopyOption.REPLACE_EXISTING);
    byte[] before = Files.readAllBytes(copy);
    Run r = script(copy.toString(), "120", "900");
    assertEquals(1, r.exit());
    assertEquals("onsets_per_beat must be 0.05..64, got 900.0", r.output().strip());
    Path manifest = dir.resolve("manifest.json");
    Files.writeString(manifest, "{\"reference_bpm\": 120.0}");
    r = script(copy.toString(), "--manifest", manifest.toString());
    assertEquals(1, r.exit());
    assertEquals(manifest + " gives no onsets_per_beat", r.output().strip());
    assertArrayEquals(before, Files.readAllBytes(copy));
  }
}
