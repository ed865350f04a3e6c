package continuo.preset;

import continuo.tempo.BeatGrid;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Everything that defines one live voice of continuo: which model plays, how it samples, which
 * MIDI channels and controllers it uses, and how it takes turns with the player. One value per
 * {@link Settings setting}, each within its setting's range. Immutable; loaded by {@link Presets},
 * built from {@link #defaults} and changed by name or setting with the {@code with} methods; any
 * thread. The named accessors ({@link #temperature()}...) read without allocating, for the engine.
 */
public final class Preset {
  /** {@link #inputChannel()} when continuo listens on every channel. */
  public static final int OMNI = 0;

  private final Object[] values;

  private Preset(Object[] values) {
    if (values[Settings.NAME.index()] == null || values[Settings.MODEL.index()] == null) {
      throw new IllegalArgumentException("a preset needs a name and a model");
    }
    for (Setting<?> s : Settings.ALL) {
      if (values[s.index()] == null) {
        throw new IllegalArgumentException("preset setting " + s.key() + " has no value");
      }
    }
    this.values = values;
  }

  /** Every setting at its default, named {@code name} and playing {@code model}. */
  public static Preset defaults(String name, Path model) {
    Object[] v = new Object[Settings.ALL.size()];
    for (Setting<?> s : Settings.ALL) {
      v[s.index()] = s.defaultValue();
    }
    v[Settings.NAME.index()] = name;
    v[Settings.MODEL.index()] = model;
    return new Preset(v);
  }

  /**
   * A preset for a bare model file (no preset given): the defaults of every key, named after the
   * file with any control characters escaped, since the name goes into every log line.
   */
  public static Preset forModel(Path modelFile) {
    String file = modelFile.getFileName().toString();
    String n = file.endsWith(".cmodel") ? file.substring(0, file.length() - 7) : file;
    return defaults(SafeText.name(n), modelFile);
  }

  /** The value of {@code setting}. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values[setting.index()];
  }

  /** This preset with {@code setting} set to {@code value}, which must be within its range. */
  public <T> Preset with(Setting<T> setting, T value) {
    if (value == null) {
      throw new IllegalArgumentException("preset setting " + setting.key() + " cannot be null");
    }
    Object[] v = values.clone();
    v[setting.index()] = value;
    return new Preset(v);
  }

  /**
   * This preset with the setting whose preset-file key is {@code key} set to {@code value}, checked
   * as the same value in a preset file would be: a number, boolean, string, {@link Mode}, path or
   * list. For tests and tools; throws IllegalArgumentException naming the key when it is unknown or
   * the value out of range.
   */
  public Preset with(String key, Object value) {
    Setting<?> s = Settings.byKey(key).orElseThrow(() -> new IllegalArgumentException(
        "no preset setting '" + key + "'"));
    return bindAndSet(s, tomlOf(value));
  }

  private <T> Preset bindAndSet(Setting<T> s, Object toml) {
    try {
      return with(s, s.bind(toml));
    } catch (SettingType.Rejected e) {
      throw new IllegalArgumentException("preset setting " + s.key() + " = " + toml
          + "; expected " + e.expected());
    }
  }

  private static Object tomlOf(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof Mode m) {
      return m.key();
    }
    if (v instanceof BeatGrid.Grid g) {
      return g.label();
    }
    if (v instanceof Path p) {
      return p.toString();
    }
    if (v instanceof int[] pair) {
      return Arrays.stream(pair).mapToObj(i -> (Object) (long) i).toList();
    }
    return v;
  }

  /** The model file, resolved against the repo root. */
  public Path modelPath(Path repoRoot) {
    return repoRoot.resolve(model());
  }

  /** Whether continuo listens to MIDI channel {@code channel} (1..16). */
  public boolean listensTo(int channel) {
    int in = inputChannel();
    return in == OMNI || in == channel;
  }

  public String name() {
    return get(Settings.NAME);
  }

  public Path model() {
    return get(Settings.MODEL);
  }

  public double temperature() {
    return get(Settings.TEMPERATURE);
  }

  public double topP() {
    return get(Settings.TOP_P);
  }

  public int temperatureCc() {
    return get(Settings.TEMPERATURE_CC);
  }

  public int program() {
    return get(Settings.PROGRAM);
  }

  public int inputChannel() {
    return get(Settings.INPUT_CHANNEL);
  }

  public int outputChannel() {
    return get(Settings.OUTPUT_CHANNEL);
  }

  public Mode mode() {
    return get(Settings.MODE);
  }

  public int responseGapMs() {
    return get(Settings.RESPONSE_GAP_MS);
  }

  public int responseLengthMs() {
    return get(Settings.RESPONSE_LENGTH_MS);
  }

  public int heldNoteTimeoutMs() {
    return get(Settings.HELD_NOTE_TIMEOUT_MS);
  }

  public int endOfPhraseCc() {
    return get(Settings.END_OF_PHRASE_CC);
  }

  public int lookaheadMs() {
    return get(Settings.LOOKAHEAD_MS);
  }

  public int maxPolyphony() {
    return get(Settings.MAX_POLYPHONY);
  }

  public int maxNoteLengthMs() {
    return get(Settings.MAX_NOTE_LENGTH_MS);
  }

  public int latencyOffsetMs() {
    return get(Settings.LATENCY_OFFSET_MS);
  }

  public int dropLateMs() {
    return get(Settings.DROP_LATE_MS);
  }

  public boolean thru() {
    return get(Settings.THRU);
  }

  public int panicCc() {
    return get(Settings.PANIC_CC);
  }

  public int presetCc() {
    return get(Settings.PRESET_CC);
  }

  public double bpm() {
    return get(Settings.BPM);
  }

  public int tapCc() {
    return get(Settings.TAP_CC);
  }

  public BeatGrid.Grid grid() {
    return get(Settings.GRID);
  }

  public int quantize() {
    return get(Settings.QUANTIZE);
  }

  public int swing() {
    return get(Settings.SWING);
  }

  public boolean clockOut() {
    return get(Settings.CLOCK_OUT);
  }

  public Preset withModel(Path m) {
    return with(Settings.MODEL, m);
  }

  public Preset withMode(Mode m) {
    return with(Settings.MODE, m);
  }

  public Preset withTemperature(double t) {
    return with(Settings.TEMPERATURE, t);
  }

  public Preset withChannels(int in, int out) {
    return with(Settings.INPUT_CHANNEL, in).with(Settings.OUTPUT_CHANNEL, out);
  }

  public Preset withTiming(int gapMs, int latencyMs, boolean thruOn) {
    return with(Settings.RESPONSE_GAP_MS, gapMs).with(Settings.LATENCY_OFFSET_MS, latencyMs)
        .with(Settings.THRU, thruOn);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preset p && Arrays.equals(values, p.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Preset[");
    List<Setting<?>> all = Settings.ALL;
    for (int i = 0; i < all.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(all.get(i).key()).append('=').append(values[i]);
    }
    return b.append(']').toString();
  }
}
