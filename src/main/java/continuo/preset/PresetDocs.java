package continuo.preset;

/**
 * {@code docs/presets.md}, written from {@link Settings}: the table of preset keys with their
 * ranges, defaults, {@code run} options and meanings. A test checks the committed file against it;
 * after changing a setting, regenerate it with
 * {@code java -cp target/continuo.jar continuo.preset.PresetDocs > docs/presets.md}. Any thread.
 */
public final class PresetDocs {
  private PresetDocs() {}

  public static void main(String[] args) {
    System.out.print(markdown());
  }

  /** The whole of {@code docs/presets.md}. */
  public static String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Presets\n\n")
        .append("<!-- Generated from src/main/java/continuo/preset/Settings.java by\n")
        .append("     `java -cp target/continuo.jar continuo.preset.PresetDocs > docs/presets.md`;")
        .append(" do not edit. -->\n\n")
        .append("A preset is one voice of continuo: the model it plays, how it samples, the MIDI\n")
        .append("channels and controllers it uses, and how it takes turns with you. Presets are TOML\n")
        .append("files in `presets/` (the commented `presets/folk.toml`, `presets/piano.toml` and\n")
        .append("`presets/bach.toml` ship with continuo); `continuo run --preset NAME|FILE` picks one\n")
        .append("by name or path, and a Program Change or the `preset_cc` knob switches among them\n")
        .append("live. Options of `run` override a key for one run (the \"`run` option\" column).\n\n")
        .append("Every key except `model` is optional. An unknown key, a wrong type or a value out\n")
        .append("of range stops continuo with one line naming the file, the key and what was\n")
        .append("expected, so a typo never falls back to a default silently. A controller or\n")
        .append("program key set to `\"off\"` (or left out) is not used. A preset must be a regular\n")
        .append("file of at most ").append(Presets.MAX_BYTES >> 20).append(" MiB; a name may not")
        .append(" hold control characters or escape codes,\nsince it appears in every log line.\n\n")
        .append("| key | type, range | default | `run` option | meaning |\n")
        .append("|---|---|---|---|---|\n");
    for (Setting<?> s : Settings.ALL) {
      String option = s.option().map(o -> "`" + o + (s.optionLabel() == null ? "`"
          : " " + s.optionLabel() + "`")).orElse("");
      if (s.defaultValue() instanceof Boolean && option.length() > 0) {
        option = option + " / `" + s.option().get().replace("--", "--no-") + "`";
      }
      b.append("| `").append(s.key()).append("` | ").append(cell(s.type().range()))
          .append(" | ").append(cell(code(s.defaultDoc()))).append(" | ").append(cell(option))
          .append(" | ").append(cell(s.doc())).append(" |\n");
    }
    return b.toString();
  }

  /** A default that is a value, in code style; words such as "required" stay plain. */
  private static String code(String value) {
    return value.matches("[\"\\[\\-0-9].*|true|false") ? "`" + value + "`" : value;
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
