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
    b.append("""
        # Presets

        <!-- Generated from src/main/java/continuo/preset/Settings.java by
             `java -cp target/continuo.jar continuo.preset.PresetDocs > docs/presets.md`; \
        do not edit. -->

        A preset is one voice of continuo: the model it plays, how it samples, the MIDI
        channels and controllers it uses, and how it takes turns with you. Presets are TOML
        files in `presets/` (the commented `presets/folk.toml`, `presets/piano.toml` and
        `presets/bach.toml` ship with continuo); `continuo run --preset NAME|FILE` picks one
        by name or path, and a Program Change or the `preset_cc` knob switches among them
        live. Options of `run` override a key for one run (the "`run` option" column).

        Every key except `model` is optional. An unknown key, a wrong type or a value out
        of range stops continuo with one line naming the file, the key and what was
        expected, so a typo never falls back to a default silently. A controller or
        program key set to `"off"` (or left out) is not used. A preset must be a regular
        file of at most %d MiB; a name may not hold control characters or escape codes,
        since it appears in every log line.

        | key | type, range | default | `run` option | meaning |
        |---|---|---|---|---|
        """.formatted(Presets.MAX_BYTES >> 20));
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
