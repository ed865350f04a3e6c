package continuo.cli;

import continuo.preset.Preset;
import continuo.preset.Setting;
import continuo.preset.SettingType;
import continuo.preset.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code run} options that override one preset setting for one run ({@code --temperature},
 * {@code --gap-ms}...), made from the settings that declare an option, as picocli makes options
 * from {@code @Option} fields: name, parameter, help and range all come from the setting's one
 * declaration, and a value is checked exactly as in a preset file. Used on the main thread while
 * the command line is parsed.
 */
final class PresetOptions implements CommandLine.IModelTransformer {

  /** A command with preset overrides: where the parsed words are kept. */
  interface Holder {
    Overrides presetOverrides();
  }

  /** The override words given on one command line, by setting, in the order given. */
  static final class Overrides {
    private final Map<Setting<?>, String> words = new LinkedHashMap<>();

    /** {@code preset} with every override applied; a bad value is a one-line UserError. */
    Preset applyTo(Preset preset) {
      Preset p = preset;
      for (Map.Entry<Setting<?>, String> e : words.entrySet()) {
        p = apply(p, e.getKey(), e.getValue());
      }
      return p;
    }

    /**
     * {@code p} with {@code s} set from a command-line word (unchanged when the word is null); a
     * bad word is a UserError naming the option.
     */
    static <T> Preset apply(Preset p, Setting<T> s, String word) {
      if (word == null) {
        return p;
      }
      try {
        return p.with(s, s.type().parse(word));
      } catch (SettingType.Rejected e) {
        throw new UserError(s.option().orElseThrow() + " is '" + oneLine(word) + "'; expected "
            + e.expected());
      }
    }

    private void set(Setting<?> s, Object value) {
      if (value == null) {
        words.remove(s);
      } else {
        words.put(s, String.valueOf(value));
      }
    }
  }

  @Override
  public CommandSpec transform(CommandSpec spec) {
    for (Setting<?> s : Settings.ALL) {
      s.option().ifPresent(name -> spec.addOption(option(spec, s, name)));
    }
    return spec;
  }

  private static OptionSpec option(CommandSpec spec, Setting<?> s, String name) {
    boolean flag = s.defaultValue() instanceof Boolean;
    String doc = Character.toUpperCase(s.doc().charAt(0)) + s.doc().substring(1);
    String range = flag ? "" : " (" + s.type().range().replace("`", "") + ")";
    OptionSpec.Builder b = OptionSpec.builder(name)
        .description(doc + range + "; overrides the preset's " + s.key() + ".")
        .setter(new CommandLine.Model.ISetter() {
          @Override
          public <T> T set(T value) {
            if (spec.userObject() instanceof Holder h) {
              h.presetOverrides().set(s, value);
            }
            return null;
          }
        });
    if (flag) {
      b.type(Boolean.class).arity("0").negatable(true);
    } else {
      b.type(String.class).paramLabel(s.optionLabel());
    }
    return b.build();
  }

  private static String oneLine(String word) {
    String w = word.replaceAll("\\p{Cntrl}", "?");
    return w.length() > 60 ? w.substring(0, 60) + "..." : w;
  }
}
