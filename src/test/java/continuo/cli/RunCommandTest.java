package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.preset.Setting;
import continuo.preset.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
  @TempDir Path dir;

  private String err;

  private int run(String... args) {
    CommandLine cli = Main.newCommandLine(args);
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    cli.setErr(new PrintWriter(e, true));
    cli.setOut(new PrintWriter(new ByteArrayOutputStream(), true));
    int code = cli.execute(args);
    err = e.toString();
    return code;
  }

  @Test
  void aMissingModelFileIsOneClearLine() {
    Path m = dir.resolve("nope.cmodel");
    assertEquals(2, run("run", "--model", m.toString(), "--backend", "javasound"));
    assertTrue(err.contains(m.toString()) && err.contains("no such model file"), err);
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void aDirectoryGivenAsTheModelIsNamedAsADirectory() throws Exception {
    Path m = Files.createDirectory(dir.resolve("models"));
    assertEquals(2, run("run", "--model", m.toString(), "--backend", "javasound"));
    assertTrue(err.contains(m + " is a directory; expected a .cmodel file."), err);
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void aBadPresetNamesTheFileAndTheKey() throws Exception {
    Path p = dir.resolve("bad.toml");
    Files.writeString(p, "model = \"m.cmodel\"\nmax_polyphony = 0\n");
    assertEquals(2, run("run", "--preset", p.toString()));
    assertTrue(err.contains(p.toString()) && err.contains("'max_polyphony'"), err);
  }

  @Test
  void badOptionValuesAreRejectedBeforeAnythingOpens() {
    assertEquals(2, run("run", "--model", "m.cmodel", "--mode", "solo"));
    assertTrue(err.contains("--mode") && err.contains("call-response"), err);
    assertEquals(2, run("run", "--model", "m.cmodel", "--backend", "alsa"));
    assertTrue(err.contains("--backend") && err.contains("javasound"), err);
    assertEquals(2, run("run", "--model", "m.cmodel", "--out-channel", "17"));
    assertTrue(err.contains("--out-channel"), err);
    assertEquals(2, run("run", "--model", "m.cmodel", "--temperature", "9"));
    assertTrue(err.contains("--temperature"), err);
    assertEquals(2, run("run", "--model", "m.cmodel", "--learn", "volume"));
    assertTrue(err.contains("--learn") && err.contains("end-of-phrase"), err);
    assertEquals(2, run("run", "--model", "m.cmodel", "--in", "file:" + dir.resolve("x.mid")));
    assertTrue(err.contains("x.mid"), err);
    assertEquals(2, run("run", "--model", "m.cmodel", "--bpm", "500"));
    assertEquals("run: --bpm is 500.0; expected a tempo from 20 to 400", err.strip());
  }

  @Test
  void theSteeringOptionsOverrideThePresetAndLearnTakesTheirKnobs() throws Exception {
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs("--model", "m.cmodel", "--key", "d  Dorian", "--pitch-range",
        "55,84", "--density", "0.5", "--velocity", "follow", "--learn", "density");
    var c = cmd.config();
    assertEquals("D dorian", c.preset().get(Settings.KEY));
    assertEquals(new continuo.preset.SettingType.Pair(55, 84), c.preset().get(Settings.PITCH_RANGE));
    assertEquals(0.5, c.preset().get(Settings.DENSITY), 0);
    assertEquals("follow", c.preset().get(Settings.VELOCITY));
    assertEquals(continuo.engine.LiveEngine.Learn.DENSITY, c.learn());
    cmd = new RunCommand();
    new CommandLine(cmd).parseArgs("--model", "m.cmodel", "--key", "auto", "--learn", "key");
    assertEquals("auto", cmd.config().preset().get(Settings.KEY));
    assertEquals(continuo.engine.LiveEngine.Learn.KEY, cmd.config().learn());
    assertEquals(2, run("run", "--model", "m.cmodel", "--key", "F lydian"));
    assertTrue(err.contains("--key is 'F lydian'; expected \"off\", \"auto\" or a key"), err);
    assertEquals(1, err.strip().lines().count(), err);
    assertEquals(2, run("run", "--model", "m.cmodel", "--pitch-range", "80,60"));
    assertTrue(err.contains("--pitch-range is '80,60'; expected [low, high]"), err);
  }

  @Test
  void bpmFixesTheTempoAndIsOtherwiseLeftToTheSources() throws Exception {
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs("--model", "m.cmodel", "--bpm", "92.5");
    assertEquals(92.5, cmd.config().fixedBpm(), 0);
    cmd = new RunCommand();
    new CommandLine(cmd).parseArgs("--model", "m.cmodel");
    assertEquals(0, cmd.config().fixedBpm(), 0);
  }

  @Test
  void commandLineOptionsOverrideThePreset() throws Exception {
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs("--model", "m.cmodel", "--mode", "call-response",
        "--temperature", "1.5", "--gap-ms", "250", "--in-channel", "3", "--out-channel", "4",
        "--thru", "--name", "jam");
    var c = cmd.config();
    assertEquals("call-response", c.preset().mode().key());
    assertEquals(1.5, c.preset().temperature(), 0);
    assertEquals(250, c.preset().responseGapMs());
    assertEquals(3, c.preset().inputChannel());
    assertEquals(4, c.preset().outputChannel());
    assertTrue(c.preset().thru());
    assertEquals("jam", c.midi().clientName());
  }

  @Test
  void everyPresetOverrideOptionChecksTheSettingsRangeInOneLine() {
    for (Setting<?> s : Settings.ALL) {
      if (s.option().isEmpty() || s.defaultValue() instanceof Boolean) {
        continue;
      }
      String option = s.option().get();
      assertEquals(2, run("run", "--model", "m.cmodel", option, "99999"), option);
      assertEquals("run: " + option + " is '99999'; expected " + s.type().expected(), err.strip());
    }
  }

  @Test
  void theOverrideOptionsAreInTheHelpWithTheirRanges() {
    CommandLine cli = Main.newCommandLine("run");
    var spec = cli.getSubcommands().get("run").getCommandSpec();
    for (Setting<?> s : Settings.ALL) {
      s.option().ifPresent(o -> {
        var option = spec.findOption(o);
        assertTrue(option != null, o);
        String help = String.join(" ", option.description());
        assertTrue(help.contains(s.key()), help);
      });
    }
    assertTrue(String.join(" ", spec.findOption("--gap-ms").description()).contains("0..10000"));
  }

  @Test
  void aNegatedFlagAndOmniOverrideThePreset() throws Exception {
    Path p = dir.resolve("thru.toml");
    Files.writeString(p, "model = \"m.cmodel\"\nthru = true\ninput_channel = 5\n");
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs("--preset", p.toString());
    assertTrue(cmd.config().preset().thru());
    assertEquals(5, cmd.config().preset().inputChannel());
    cmd = new RunCommand();
    new CommandLine(cmd).parseArgs("--preset", p.toString(), "--no-thru", "--in-channel", "omni",
        "--latency-ms", "-40");
    assertTrue(!cmd.config().preset().thru());
    assertEquals(0, cmd.config().preset().inputChannel());
    assertEquals(-40, cmd.config().preset().latencyOffsetMs());
  }

  @Test
  void aSpecialFileAsPresetIsOneClearLine() {
    assertEquals(2, run("run", "--preset", "/dev/zero"));
    assertEquals("run: /dev/zero: is not a regular file (a device, FIFO or socket); expected a TOML"
        + " preset file", err.strip());
    assertEquals(2, run("run", "--preset", dir.toString() + "/"));
    assertTrue(err.strip().endsWith(": is a directory; expected a TOML preset file"), err);
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void everyLiveCommandHasHelp() {
    assertEquals(0, run("run", "--help"));
    assertEquals(0, run("ports", "--help"));
  }
}
