package continuo.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import continuo.preset.Preset;
import continuo.preset.PresetException;
import continuo.preset.Presets;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Any file given to the preset loader gives a preset whose every field is in range, or a
 * PresetException naming the file and the problem in one line; an accepted preset's name is
 * safe to print in a log line.
 */
class PresetsFuzzTest {
  private static final Path DIR = Contract.scratch("continuo-preset-fuzz");

  /** The keys and TOML's punctuation, so mutations build plausible presets sooner. */
  @DictionaryEntries({"model", "mode", "temperature", "top_p", "input_channel", "output_channel",
      "max_polyphony", "thru", "name", "preset_cc", "panic_cc", "program", "\"off\"", "\\u001b",
      "\"omni\"", "\"duet\"", "\"call-response\"", " = ", "\"",
      "'''", "\"\"\"", "\\n", "\\u0000", "\\U0010FFFF", "[", "]", "{", "}", "[[", "true",
      "1979-05-27T07:32:00Z", "inf", "nan", "0x7F", "1e400", "9223372036854775808"})
  @FuzzTest(maxDuration = "30s")
  @Timeout(10)
  void anyFileGivesAValidPresetOrOneClearError(byte[] bytes) {
    Path file = Contract.write(DIR.resolve("fuzzed.toml"), bytes);
    Preset p;
    try {
      p = Presets.load(file);
    } catch (PresetException e) {
      Contract.clearOneLineNaming(e, file + ": ");
      return;
    }
    assertTrue(p.temperature() >= 0 && p.temperature() <= 4, "temperature " + p.temperature());
    assertTrue(p.topP() > 0 && p.topP() <= 1, "top_p " + p.topP());
    assertTrue(p.inputChannel() >= 0 && p.inputChannel() <= 16, "input channel " + p.inputChannel());
    assertTrue(p.outputChannel() >= 1 && p.outputChannel() <= 16, "output channel " + p.outputChannel());
    assertTrue(p.maxPolyphony() >= 1 && p.maxPolyphony() <= 64, "polyphony " + p.maxPolyphony());
    assertTrue(p.model() != null && !p.model().toString().isBlank(), "model " + p.model());
    assertTrue(p.mode() != null && p.name() != null);
    // The name goes into every log line: no newline, escape code or direction override.
    assertTrue(!p.name().isBlank() && p.name().codePoints().noneMatch(c ->
        Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT),
        "name " + p.name().replace("\n", "\\n").replace("\u001b", "\\u001b"));
    for (int cc : new int[] {p.temperatureCc(), p.endOfPhraseCc(), p.panicCc(), p.presetCc(),
        p.program()}) {
      assertTrue(cc >= -1 && cc <= 127, "controller or program " + cc);
    }
  }
}
