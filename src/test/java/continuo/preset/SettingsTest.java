package continuo.preset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  @Test
  void everyDocumentedDefaultReadsBackAsTheDefault() throws Exception {
    StringBuilder toml = new StringBuilder("model = \"m.cmodel\"\n");
    for (Setting<?> s : Settings.ALL) {
      if (s.defaultValue() != null) {
        toml.append(s.key()).append(" = ").append(s.defaultDoc()).append('\n');
      }
    }
    Path f = Files.writeString(dir.resolve("all.toml"), toml);
    assertEquals(Preset.defaults("all", Path.of("m.cmodel")), Presets.load(f));
  }

  @Test
  void keysAndOptionsAreDeclaredOnce() {
    Set<String> keys = new HashSet<>();
    Set<String> options = new HashSet<>();
    for (Setting<?> s : Settings.ALL) {
      assertTrue(keys.add(s.key()), s.key());
      assertTrue(s.key().matches("[a-z][a-z_]*"), s.key());
      assertTrue(!s.doc().isBlank() && !s.doc().contains("\n"), s.key());
      s.option().ifPresent(o -> assertTrue(options.add(o) && o.startsWith("--"), o));
      assertEquals(s, Settings.byKey(s.key()).orElseThrow());
    }
    assertEquals(List.of("--temperature", "--in-channel", "--out-channel", "--mode", "--gap-ms",
        "--latency-ms", "--thru", "--clock-out", "--key", "--pitch-range", "--density",
        "--velocity"), Settings.ALL.stream().flatMap(s -> s.option().stream()).toList());
  }

  @Test
  void aPresetIsBuiltFromDefaultsWithOverridesByName() {
    Preset p = Preset.defaults("p", Path.of("m")).with("max_polyphony", 2)
        .with("mode", Mode.CALL_RESPONSE).with("input_channel", "omni").with("temperature", 1)
        .with("thru", true).with("panic_cc", "off");
    assertEquals(2, p.maxPolyphony());
    assertEquals(Mode.CALL_RESPONSE, p.mode());
    assertEquals(Preset.OMNI, p.inputChannel());
    assertEquals(1.0, p.temperature(), 0);
    assertTrue(p.thru());
    assertEquals(-1, p.panicCc());
    assertEquals(600, p.responseGapMs());
    assertEquals(p, Preset.defaults("p", Path.of("m")).with(Settings.MAX_POLYPHONY, 2)
        .with(Settings.MODE, Mode.CALL_RESPONSE).with(Settings.TEMPERATURE, 1.0)
        .with(Settings.THRU, true));
  }

  @Test
  void anOverrideByNameObeysTheSameRangeAsAPresetFile() {
    String m = assertThrows(IllegalArgumentException.class,
        () -> Preset.defaults("p", Path.of("m")).with("max_polyphony", 0)).getMessage();
    assertTrue(m.contains("max_polyphony") && m.contains("1 to 64"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> Preset.defaults("p", Path.of("m")).with("polyphony", 3)).getMessage();
    assertTrue(m.contains("'polyphony'"), m);
  }

  @Test
  void theOldCopyMethodsChangeOnlyTheirSettings() {
    Preset p = Preset.defaults("p", Path.of("m"));
    Preset q = p.withTiming(100, -20, true).withChannels(3, 4).withTemperature(1.5)
        .withMode(Mode.CALL_RESPONSE).withModel(Path.of("n"));
    assertEquals(p.with("response_gap_ms", 100).with("latency_offset_ms", -20).with("thru", true)
        .with("input_channel", 3).with("output_channel", 4).with("temperature", 1.5)
        .with("mode", "call-response").with("model", "n"), q);
  }

  @Test
  void aPairTypeTakesLowAndHighInOrderAndInRange() throws Exception {
    SettingType<SettingType.Pair> pair = SettingTypes.pair(0, 127);
    assertEquals(new SettingType.Pair(36, 96), pair.bind(List.of(36L, 96L)));
    assertEquals(new SettingType.Pair(36, 96), pair.parse("36,96"));
    assertEquals(new SettingType.Pair(60, 60), pair.parse("[60, 60]"));
    for (Object bad : new Object[] {List.of(96L, 36L), List.of(0L, 128L), List.of(1L),
        List.of(1L, 2L, 3L), "36,96", 36L}) {
      String m = assertThrows(SettingType.Rejected.class, () -> pair.bind(bad)).expected();
      assertEquals("[low, high] with 0 <= low <= high <= 127", m);
    }
    assertEquals("[36, 96]", pair.show(new SettingType.Pair(36, 96)));
  }

  @Test
  void commandLineWordsAreCheckedAsPresetValuesAre() throws Exception {
    assertEquals(1.5, SettingTypes.real(0, 4).parse("1.5"), 0);
    assertEquals(2.0, SettingTypes.real(0, 4).parse("2"), 0);
    assertEquals(-1, SettingTypes.controller().parse("off"));
    assertEquals(64, SettingTypes.controller().parse("64"));
    assertEquals(Preset.OMNI, SettingTypes.channelOrOmni().parse("omni"));
    assertEquals(Mode.DUET, SettingTypes.choice(Mode.class, Mode::key).parse("duet"));
    assertEquals(true, SettingTypes.bool().parse("true"));
    for (String bad : new String[] {"NaN", "Infinity", "4.01", "-0.1", "1e400", "", "x"}) {
      assertThrows(SettingType.Rejected.class, () -> SettingTypes.real(0, 4).parse(bad), bad);
    }
    for (String bad : new String[] {"128", "1.5", "-1", "on", "99999999999999999999"}) {
      assertThrows(SettingType.Rejected.class, () -> SettingTypes.controller().parse(bad), bad);
    }
    assertEquals("\"duet\" or \"call-response\"",
        SettingTypes.choice(Mode.class, Mode::key).expected());
  }

  @Test
  void aDisplayNameRefusesWhatWouldBreakALogLine() throws Exception {
    SettingType<String> name = SettingTypes.displayName(64);
    assertEquals("Bach – chorales ♪", name.bind("Bach – chorales ♪"));
    for (String bad : new String[] {"a\nb", "a\rb", "\u001b[31m", "a\u202eb", "a\u2028b", "a\u0085b",
        "a\ud800b", " ", "", "x".repeat(65)}) {
      assertThrows(SettingType.Rejected.class, () -> name.bind(bad), bad);
    }
  }

  @Test
  void steeringKeysReadFromAPresetFileAndABadOneIsOneLine() throws Exception {
    Path f = Files.writeString(dir.resolve("steer.toml"), "model = \"m.cmodel\"\n"
        + "key = \"bb  Blues\"\nkeys = [\"auto\", \"G major\", \"e minor\"]\n"
        + "pitch_range = [48, 84]\nvelocity = 100\ndensity = 2\nstate_cc = 14\n");
    Preset p = Presets.load(f);
    assertEquals("Bb blues", p.get(Settings.KEY));
    assertEquals(List.of("auto", "G major", "E minor"), p.get(Settings.KEYS));
    assertEquals(new SettingType.Pair(48, 84), p.get(Settings.PITCH_RANGE));
    assertEquals("100", p.get(Settings.VELOCITY));
    assertEquals(2.0, p.get(Settings.DENSITY), 0);
    assertEquals(14, p.get(Settings.STATE_CC));
    assertEquals("follow", Settings.VELOCITY.type().parse("follow"));
    assertEquals("auto", Settings.KEY.type().parse("auto"));
    for (String bad : new String[] {"key = \"F lydian\"", "key = 3", "velocity = 0",
        "velocity = \"loud\"", "keys = [\"H major\"]", "pitch_range = [80, 60]",
        "density = 5"}) {
      Path b = Files.writeString(dir.resolve("bad.toml"), "model = \"m.cmodel\"\n" + bad + "\n");
      String m = assertThrows(PresetException.class, () -> Presets.load(b), bad).getMessage();
      assertTrue(m.contains("key '" + bad.substring(0, bad.indexOf(' ')) + "'") && !m.contains("\n"),
          m);
    }
  }

  @Test
  void theGridQuantizeSwingAndClockOutKeysReadFromAPresetFileAndRefuseWhatIsOutOfRange()
      throws Exception {
    Path f = Files.writeString(dir.resolve("grid.toml"), "model = \"m.cmodel\"\n"
        + "grid = \"1/8T\"\nquantize = 60\nswing = 50\nclock_out = true\n");
    Preset p = Presets.load(f);
    assertEquals(continuo.tempo.BeatGrid.Grid.EIGHTH_TRIPLET, p.grid());
    assertEquals(60, p.quantize());
    assertEquals(50, p.swing());
    assertTrue(p.clockOut());
    Preset d = Preset.defaults("d", Path.of("m"));
    assertEquals(continuo.tempo.BeatGrid.Grid.OFF, d.grid(), "no grid unless asked for");
    assertEquals(100, d.quantize(), "a grid alone puts note-ons on it");
    assertEquals(0, d.swing());
    assertTrue(!d.clockOut());
    assertEquals(continuo.tempo.BeatGrid.Grid.SIXTEENTH, d.with("grid", "1/16").grid());
    String[][] bad = {
      {"grid = \"1/32\"",
        "key 'grid' is \"1/32\"; expected \"off\", \"1/8\", \"1/16\" or \"1/8T\""},
      {"quantize = 101", "key 'quantize' is 101; expected a whole number from 0 to 100"},
      {"swing = 76", "key 'swing' is 76; expected a whole number from 0 to 75"},
      {"clock_out = 1", "key 'clock_out' is 1; expected true or false"},
    };
    for (String[] b : bad) {
      Path g = Files.writeString(dir.resolve("bad.toml"), "model = \"m.cmodel\"\n" + b[0] + "\n");
      String m = assertThrows(PresetException.class, () -> Presets.load(g)).getMessage();
      assertTrue(m.endsWith(b[1]), m);
    }
  }
}
