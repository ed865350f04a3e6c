package continuo.preset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PresetDocsTest {
  private static final Path DOC = Path.of("docs/presets.md");

  @Test
  void theCommittedPresetTableMatchesTheDeclarations() throws Exception {
    assertEquals(PresetDocs.markdown(), Files.readString(DOC),
        "docs/presets.md is out of date; regenerate it: java -cp target/continuo.jar"
            + " continuo.preset.PresetDocs > docs/presets.md");
  }

  @Test
  void everySettingHasOneRowWithItsRangeDefaultAndOption() {
    String doc = PresetDocs.markdown();
    for (Setting<?> s : Settings.ALL) {
      String row = doc.lines().filter(l -> l.startsWith("| `" + s.key() + "` |")).findFirst()
          .orElseThrow(() -> new AssertionError("no row for " + s.key()));
      assertEquals(1, doc.lines().filter(l -> l.startsWith("| `" + s.key() + "` |")).count());
      assertTrue(row.contains(s.type().range().replace("|", "\\|")) && row.contains(s.doc()), row);
      s.option().ifPresent(o -> assertTrue(row.contains("`" + o), row));
    }
  }

  @Test
  void theReadmeLinksToThePresetTable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(readme.contains("(docs/presets.md)"), "README.md does not link docs/presets.md");
    assertTrue(!readme.contains("| `max_note_length_ms` |"), "README.md still has its own table");
  }
}
