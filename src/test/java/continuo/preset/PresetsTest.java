package continuo.preset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PresetsTest {
  private static final Path REPO = Path.of(".").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void loadsTheShippedFolkPreset() throws Exception {
    Preset p = Presets.find(REPO, "folk");
    assertEquals("folk", p.name());
    assertEquals(Path.of("models/folk.cmodel"), p.model());
    assertEquals(0, p.program());
    assertEquals(Mode.DUET, p.mode());
    assertEquals(0.9, p.temperature(), 1e-9);
    assertEquals(Preset.OMNI, p.inputChannel());
    assertEquals(1, p.outputChannel());
    assertEquals(21, p.temperatureCc());
    assertEquals(22, p.presetCc());
    assertEquals(REPO.resolve("models/folk.cmodel"), p.modelPath(REPO));
  }

  @Test
  void loadsEveryShippedPresetWithDistinctPrograms() throws Exception {
    var all = Presets.all(REPO);
    assertTrue(all.size() >= 2, "presets: " + all);
    assertEquals(all.size(), all.stream().mapToInt(Preset::program).distinct().count());
    assertEquals(1, Presets.find(REPO, "piano").program());
  }

  @Test
  void absentOptionalKeysTakeDefaults() throws Exception {
    Preset p = Presets.load(write("min.toml", "model = \"m.cmodel\"\n"));
    assertEquals("min", p.name());
    assertEquals(1.0, p.topP(), 0);
    assertEquals(-1, p.program());
    assertEquals(-1, p.presetCc());
    assertEquals(Mode.DUET, p.mode());
    assertTrue(p.listensTo(7));
  }

  @Test
  void aBareModelGetsTheSameDefaultsAsAnEmptyPresetFile() throws Exception {
    Preset file = Presets.load(write("m.toml", "model = \"m.cmodel\"\n"));
    assertEquals(file, Preset.forModel(Path.of("m.cmodel")));
  }

  @Test
  void anIntegerTemperatureIsAccepted() throws Exception {
    assertEquals(1.0, Presets.load(write("t.toml", "model = \"m\"\ntemperature = 1\n"))
        .temperature(), 0);
  }

  @Test
  void anUnknownKeyIsRejectedWithTheFileAndTheKey() throws IOException {
    Path f = write("typo.toml", "model = \"m\"\ntemprature = 0.5\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains(f.toString()) && m.contains("'temprature'") && m.contains("temperature"),
        m);
  }

  @Test
  void aWrongTypeNamesTheKeyAndTheExpectedType() throws IOException {
    Path f = write("type.toml", "model = \"m\"\nmax_polyphony = \"lots\"\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains("'max_polyphony'") && m.contains("\"lots\"") && m.contains("whole number"),
        m);
  }

  @Test
  void anOutOfRangeValueNamesTheRange() throws IOException {
    Path f = write("range.toml", "model = \"m\"\noutput_channel = 17\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains("'output_channel'") && m.contains("17") && m.contains("1 to 16"), m);
  }

  @Test
  void anInputChannelMustBeAChannelOrOmni() throws IOException {
    Path f = write("ch.toml", "model = \"m\"\ninput_channel = \"all\"\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains("'input_channel'") && m.contains("omni"), m);
  }

  @Test
  void aBadModeListsTheModes() throws IOException {
    Path f = write("mode.toml", "model = \"m\"\nmode = \"solo\"\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains("'mode'") && m.contains("call-response"), m);
  }

  @Test
  void aMissingModelIsReported() throws IOException {
    Path f = write("nomodel.toml", "name = \"x\"\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains(f.toString()) && m.contains("'model'"), m);
  }

  @Test
  void aTableIsAnUnknownKey() throws IOException {
    Path f = write("table.toml", "model = \"m\"\n[engine]\ngap = 3\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains("'engine'"), m);
  }

  @Test
  void brokenTomlNamesTheFileAndTheLine() throws IOException {
    Path f = write("broken.toml", "model = \"m\"\ntemperature = = 3\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains(f.toString()) && m.contains("line 2"), m);
  }

  @Test
  void anUnknownNameListsTheAvailablePresets() {
    String m = assertThrows(PresetException.class, () -> Presets.find(REPO, "jazz")).getMessage();
    assertTrue(m.contains("'jazz'") && m.contains("folk"), m);
  }

  @Test
  void aMissingFileIsReported() {
    Path f = dir.resolve("gone.toml");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.contains(f.toString()), m);
  }

  @Test
  void escapedControlCharactersInAValueStayOnOneEscapedLine() throws IOException {
    Path f = write("ctl.toml", "model = \"m\"\nmode = \"duet\\nrm -rf\\u0007\"\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertEquals(f + ": key 'mode' is \"duet\\nrm -rf\\u0007\"; expected \"duet\" or \"call-response\"", m);
    Path key = write("key.toml", "model = \"m\"\n\"a\\nb\" = 1\n");
    m = assertThrows(PresetException.class, () -> Presets.load(key)).getMessage();
    assertTrue(m.startsWith(key + ": unknown key 'a\\nb';"), m);
  }

  @Test
  void aLongBadValueIsShortenedInTheMessage() throws IOException {
    Path f = write("long.toml", "model = \"m\"\ntemperature = \"" + "x".repeat(100_000) + "\"\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.length() < f.toString().length() + 150 && m.contains("x..."), m);
  }

  @Test
  void aModelPathThatCannotBeAPathIsRejected() throws IOException {
    Path f = write("nul.toml", "model = \"models/a\\u0000b.cmodel\"\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertTrue(m.startsWith(f + ": key 'model' is \"models/a\\u0000b.cmodel\"; expected a model file path"),
        m);
  }

  @Test
  void deeplyNestedArraysAndTablesAreRefusedNotACrash() throws IOException {
    for (String deep : new String[] {"[".repeat(100_000), "{a=".repeat(50_000),
        "[".repeat(100_000) + "]".repeat(100_000)}) {
      Path f = write("deep.toml", "model = \"m\"\nx = " + deep + "\n");
      String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
      assertTrue(m.startsWith(f + ": "), m);
    }
  }

  @Test
  void aShortUnicodeEscapeIsInvalidTomlAlsoWithAssertionsOn() throws IOException {
    // Surefire runs with -ea, where the TOML parser's own assert statements fire.
    for (String escape : new String[] {"\\U00", "\\u00", "\\U0041"}) {
      Path f = write("esc.toml", "model = \"m" + escape + "\"\n");
      String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
      assertTrue(m.startsWith(f + ": is not valid TOML: ") && m.toLowerCase().contains("unicode escape"),
          m);
    }
  }

  @Test
  void aDirectoryIsRefusedWithOneLine() {
    String m = assertThrows(PresetException.class, () -> Presets.load(dir)).getMessage();
    assertEquals(dir + ": is a directory; expected a TOML preset file", m);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aFifoIsRefusedAtOnceInsteadOfWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("fifo.toml");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (IOException e) {
      mkfifo = null;
    }
    assumeTrue(mkfifo != null && mkfifo.waitFor() == 0, "mkfifo is not available here");
    String m = assertThrows(PresetException.class, () -> Presets.load(fifo)).getMessage();
    assertEquals(fifo + ": is not a regular file (a device, FIFO or socket); expected a TOML"
        + " preset file", m);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void anEndlessDeviceIsRefusedInsteadOfFillingTheHeap() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero here");
    String m = assertThrows(PresetException.class, () -> Presets.load(zero)).getMessage();
    assertTrue(m.startsWith("/dev/zero: is not a regular file"), m);
  }

  @Test
  void aFileOverOneMebibyteIsRefusedUnread() throws IOException {
    Path f = write("big.toml", "model = \"m\"\n" + "# comment\n".repeat(120_000));
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertEquals(f + ": is larger than 1 MiB; expected a small TOML preset", m);
  }

  @Test
  void aNameWithANewlineIsRefusedSoItCannotForgeALogLine() throws IOException {
    Path f = write("nl.toml", "model = \"m\"\nname = \"folk\\nts=0 event=fake\"\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertEquals(f + ": key 'name' is \"folk\\nts=0 event=fake\"; expected a name of 1 to 64"
        + " characters without control characters or escape codes", m);
  }

  @Test
  void aNameWithTerminalEscapeCodesOrADirectionOverrideIsRefused() throws IOException {
    for (String name : new String[] {"\\u001b[31mfolk", "folk\\u202egnp", "folk\\u0085"}) {
      Path f = write("esc.toml", "model = \"m\"\nname = \"" + name + "\"\n");
      String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
      assertTrue(m.startsWith(f + ": key 'name' is \"folk") || m.startsWith(f + ": key 'name' is \"\\u001b"), m);
      assertTrue(m.chars().noneMatch(Character::isISOControl) && m.indexOf('\u202e') < 0, m);
    }
  }

  @Test
  void aNameMadeFromAFileNameHasItsControlCharactersEscaped() throws Exception {
    Path f = write("a\u001b[31mb.toml", "model = \"m\"\n");
    assertEquals("a\\u001b[31mb", Presets.load(f).name());
    assertEquals("x\\ny", Preset.forModel(Path.of("x\ny.cmodel")).name());
  }

  @Test
  void aControllerOrProgramMayBeSwitchedOffByName() throws Exception {
    Preset p = Presets.load(write("off.toml", "model = \"m\"\npanic_cc = \"off\"\nprogram = \"off\"\n"));
    assertEquals(-1, p.panicCc());
    assertEquals(-1, p.program());
  }

  @Test
  void anUnknownPresetNameIsEchoedOnOneLine() {
    String m = assertThrows(PresetException.class, () -> Presets.find(REPO, "a\nb")).getMessage();
    assertTrue(m.startsWith("no preset named 'a\\nb'"), m);
  }

  @Test
  void aFileNameWithANewlineIsEscapedInTheMessage() throws IOException {
    Path f = write("a\nb.toml", "model = 3\n");
    String m = assertThrows(PresetException.class, () -> Presets.load(f)).getMessage();
    assertEquals(dir + "/a\\nb.toml: key 'model' is 3; expected a model file path", m);
    m = assertThrows(PresetException.class, () -> Presets.find(dir, "x\u0000y")).getMessage();
    assertTrue(m.startsWith("x\\u0000y: is not a preset name or file path"), m);
  }

  @Test
  void aDirectoryNamedLikeAPresetIsReportedAsADirectory() throws IOException {
    Files.createDirectories(dir.resolve("presets/jazz.toml"));
    String m = assertThrows(PresetException.class, () -> Presets.find(dir, "jazz")).getMessage();
    assertTrue(m.endsWith("jazz.toml: is a directory; expected a TOML preset file"), m);
  }

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }
}
