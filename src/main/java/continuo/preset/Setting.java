package continuo.preset;

import java.util.Optional;

/**
 * One preset setting, declared once in {@link Settings}: its key in preset files, its type (which
 * holds the range), its default, one line of documentation and, when the player may override it
 * for one run, its command-line option. Everything else (reading TOML, command-line overrides,
 * validation, error messages, the documentation table) is derived from it. Immutable; any thread.
 *
 * @param <T> the value's Java type
 */
public final class Setting<T> {
  private final int index;
  private final String key;
  private final SettingType<T> type;
  private final T defaultValue;
  private final String defaultDoc;
  private final String doc;
  private final String option;
  private final String optionLabel;

  Setting(int index, String key, SettingType<T> type, T defaultValue, String defaultDoc, String doc,
      String option, String optionLabel) {
    this.index = index;
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.defaultDoc = defaultDoc;
    this.doc = doc;
    this.option = option;
    this.optionLabel = optionLabel;
  }

  /** Position in {@link Settings#ALL}, which is also where a {@link Preset} keeps the value. */
  int index() {
    return index;
  }

  /** The key in a preset file: {@code max_polyphony}. */
  public String key() {
    return key;
  }

  public SettingType<T> type() {
    return type;
  }

  /** The value when the key is absent; null when a preset must give it or it is derived. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as the documentation shows it. */
  public String defaultDoc() {
    return defaultDoc != null ? defaultDoc : type.show(defaultValue);
  }

  /** One line saying what the setting does. */
  public String doc() {
    return doc;
  }

  /** The {@code run} option that overrides it for one run ({@code --gap-ms}), if any. */
  public Optional<String> option() {
    return Optional.ofNullable(option);
  }

  /** The option's parameter in help texts: {@code MS}, {@code 1..16|omni}. */
  public String optionLabel() {
    return optionLabel;
  }

  /** The value of the TOML value {@code o}; the exception says what was expected. */
  public T bind(Object o) throws SettingType.Rejected {
    return type.bind(o);
  }

  @Override
  public String toString() {
    return key;
  }
}
