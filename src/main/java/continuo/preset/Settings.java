package continuo.preset;

import static continuo.preset.SettingTypes.OFF;

import continuo.steer.Key;
import continuo.tempo.BeatGrid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every preset setting, each declared once: key, type and range, default, documentation and the
 * {@code run} option that overrides it. Preset files, command-line overrides, validation, error
 * messages and {@code docs/presets.md} all follow this table; a new setting is one declaration
 * here plus its use. Immutable; any thread.
 */
public final class Settings {
  private Settings() {}

  private static final List<Setting<?>> TABLE = new ArrayList<>();

  public static final Setting<String> NAME = key("name", SettingTypes.displayName(64))
      .documentedDefault("file name").doc("display name, shown in every log line");
  public static final Setting<Path> MODEL = key("model", SettingTypes.path("model file"))
      .documentedDefault("required").doc("model file, relative to the repo root");
  public static final Setting<Double> TEMPERATURE = key("temperature", SettingTypes.real(0.0, 4.0))
      .byDefault(0.9).option("--temperature", "T").doc("sampling temperature");
  public static final Setting<Double> TOP_P = key("top_p", SettingTypes.real(0.01, 1.0))
      .byDefault(1.0).doc("nucleus sampling mass (1 = off)");
  public static final Setting<Integer> TEMPERATURE_CC = key("temperature_cc",
      SettingTypes.controller()).byDefault(OFF)
      .doc("controller that sets the temperature live (0.1..2.0)");
  public static final Setting<Integer> PROGRAM = key("program", SettingTypes.program())
      .byDefault(OFF).doc("Program Change that selects this preset");
  public static final Setting<Integer> INPUT_CHANNEL = key("input_channel",
      SettingTypes.channelOrOmni()).byDefault(Preset.OMNI).option("--in-channel", "1..16|omni")
      .doc("channel continuo listens on");
  public static final Setting<Integer> OUTPUT_CHANNEL = key("output_channel",
      SettingTypes.channel()).byDefault(1).option("--out-channel", "1..16")
      .doc("channel continuo plays on");
  public static final Setting<Mode> MODE = key("mode", SettingTypes.choice(Mode.class, Mode::key))
      .byDefault(Mode.DUET).option("--mode", "duet|call-response").doc("turn taking");
  public static final Setting<Integer> RESPONSE_GAP_MS = key("response_gap_ms",
      SettingTypes.whole(0, 10_000)).byDefault(600).option("--gap-ms", "MS")
      .doc("pause that starts the answer (duet) or ends the call");
  public static final Setting<Integer> RESPONSE_LENGTH_MS = key("response_length_ms",
      SettingTypes.whole(0, 120_000)).byDefault(0)
      .doc("call-response answer length (0 = as long as the call)");
  public static final Setting<Integer> HELD_NOTE_TIMEOUT_MS = key("held_note_timeout_ms",
      SettingTypes.whole(500, 600_000)).byDefault(8_000)
      .doc("a key or the sustain pedal held this long with nothing else played no longer keeps "
          + "continuo from answering (a lost note-off costs one wait, not the jam)");
  public static final Setting<Integer> END_OF_PHRASE_CC = key("end_of_phrase_cc",
      SettingTypes.controller()).byDefault(OFF).doc("controller that ends the call at once");
  public static final Setting<Integer> LOOKAHEAD_MS = key("lookahead_ms",
      SettingTypes.whole(20, 2_000)).byDefault(250)
      .doc("how far ahead of the clock continuo generates");
  public static final Setting<Integer> MAX_POLYPHONY = key("max_polyphony",
      SettingTypes.whole(1, 64)).byDefault(8).doc("most notes continuo sounds at once");
  public static final Setting<Integer> MAX_NOTE_LENGTH_MS = key("max_note_length_ms",
      SettingTypes.whole(50, 60_000)).byDefault(4_000).doc("no continuo note sounds longer");
  public static final Setting<Integer> LATENCY_OFFSET_MS = key("latency_offset_ms",
      SettingTypes.whole(-500, 500)).byDefault(0).option("--latency-ms", "MS")
      .doc("added to every output time; negative plays earlier to hide a slow synth");
  public static final Setting<Integer> DROP_LATE_MS = key("drop_late_ms",
      SettingTypes.whole(0, 5_000)).byDefault(50)
      .doc("a note that would start later than this is dropped, not played late");
  public static final Setting<Boolean> THRU = key("thru", SettingTypes.bool()).byDefault(false)
      .option("--thru", null).doc("echo the player's notes to the output");
  public static final Setting<Integer> PANIC_CC = key("panic_cc", SettingTypes.controller())
      .byDefault(OFF).doc("controller that silences continuo (CC 123 and 120 always do)");
  public static final Setting<Integer> PRESET_CC = key("preset_cc", SettingTypes.controller())
      .byDefault(OFF).doc("knob that selects a preset: its range is split evenly among all "
          + "presets in name order");

  public static final Setting<Double> BPM = key("bpm", SettingTypes.real(20.0, 400.0))
      .byDefault(120.0).doc("tempo when nothing better is known (no MIDI clock, tap tempo or "
          + "settled beat tracker); `run --bpm` fixes the tempo instead");
  public static final Setting<Integer> TAP_CC = key("tap_cc", SettingTypes.controller())
      .byDefault(OFF).doc("controller whose presses (value > 0) tap the tempo");
  // Quantise, swing and clock out (docs/tempo.md).
  public static final Setting<BeatGrid.Grid> GRID = key("grid",
      SettingTypes.choice(BeatGrid.Grid.class, BeatGrid.Grid::label)).byDefault(BeatGrid.Grid.OFF)
      .doc("beat grid continuo's note-ons are placed on, at the current tempo and beat: eighths, "
          + "sixteenths, eighth triplets or off");
  public static final Setting<Integer> QUANTIZE = key("quantize", SettingTypes.whole(0, 100))
      .byDefault(100).doc("how far (in %) a note-on moves towards its grid line: 100 puts it on "
          + "the line, 0 leaves it");
  public static final Setting<Integer> SWING = key("swing", SettingTypes.whole(0, 75))
      .byDefault(0).doc("delays every second grid line by this % of two thirds of a step: 50 is "
          + "triplet swing, 75 a dotted shuffle (not on 1/8T)");
  public static final Setting<Boolean> CLOCK_OUT = key("clock_out", SettingTypes.bool())
      .byDefault(false).option("--clock-out", null)
      .doc("send MIDI clock (24 per beat) at the current tempo, with Start and Stop, for a drum "
          + "machine or DAW that follows");
  // Steering the answer (docs/steering.md): key, register, density, dynamics, state out.
  private static final String KEY_EXPECTED = "\"off\", \"auto\" or a key: a tonic (C, C#, Db,"
      + " D, ... B) and a scale (major, minor, harmonic minor, dorian, mixolydian, pentatonic"
      + " major, pentatonic minor, blues), e.g. \"F major\"";
  private static final SettingType<String> KEY_TYPE = WordTypes.wordOr(List.of("off", "auto"),
      text -> Key.parse(text).toString(), KEY_EXPECTED,
      "`\"off\"`, `\"auto\"` or a key such as `\"F major\"`, `\"D dorian\"`");
  public static final Setting<String> KEY = key("key", KEY_TYPE).byDefault("off")
      .option("--key", "off|auto|KEY")
      .doc("keep the answer in a key: a fixed one, or \"auto\" for the key you are playing in");
  public static final Setting<Double> KEY_STRENGTH = key("key_strength",
      SettingTypes.real(0.0, 1.0)).byDefault(1.0)
      .doc("1 never plays a note outside the key; below 1 such a note is (1 - strength) times as"
          + " likely as the model wanted");
  public static final Setting<Double> KEY_WINDOW_S = key("key_window_s",
      SettingTypes.real(1.0, 60.0)).byDefault(12.0)
      .doc("key \"auto\": seconds of your playing the key is heard from (the latest count most)");
  public static final Setting<Double> KEY_MARGIN = key("key_margin", SettingTypes.real(0.0, 1.0))
      .byDefault(0.15)
      .doc("key \"auto\": how much better (in correlation) a new key must fit before it is taken");
  public static final Setting<Double> KEY_HOLD_S = key("key_hold_s", SettingTypes.real(0.0, 30.0))
      .byDefault(1.0).doc("key \"auto\": how long (s) a new key must keep that lead first");
  public static final Setting<Integer> KEY_CC = key("key_cc", SettingTypes.controller())
      .byDefault(OFF).doc("knob that chooses the key among `keys`: its range is split evenly");
  public static final Setting<List<String>> KEYS = key("keys", WordTypes.list(KEY_TYPE, 32))
      .byDefault(List.of("off", "auto"))
      .doc("the keys the key_cc knob chooses among, e.g. [\"auto\", \"G major\", \"E minor\"]");
  public static final Setting<SettingType.Pair> PITCH_RANGE = key("pitch_range",
      SettingTypes.pair(0, 127)).byDefault(new SettingType.Pair(0, 127))
      .option("--pitch-range", "LOW,HIGH")
      .doc("continuo never plays a note below low or above high (MIDI notes, 60 = middle C)");
  public static final Setting<Boolean> TRANSPOSE_TO_REGISTER = key("transpose_to_register",
      SettingTypes.bool()).byDefault(false)
      .doc("a note the model wants outside pitch_range is played an octave (or more) inside");
  public static final Setting<Double> DENSITY = key("density", SettingTypes.real(0.25, 4.0))
      .byDefault(1.0).option("--density", "D")
      .doc("notes per second against the model's own: below 1 sparser, above 1 busier");
  public static final Setting<Integer> DENSITY_CC = key("density_cc", SettingTypes.controller())
      .byDefault(OFF).doc("knob that sets the density live (0.25..4; the middle is 1)");
  public static final Setting<String> VELOCITY = key("velocity",
      WordTypes.wordOrWhole(List.of("model", "follow"), 1, 127)).byDefault("model")
      .option("--velocity", "model|follow|1..127")
      .doc("the answer's loudness: the model's, following yours, or always this velocity");
  public static final Setting<Double> VELOCITY_SCALE = key("velocity_scale",
      SettingTypes.real(0.1, 4.0)).byDefault(1.0)
      .doc("multiplies the model's or the followed velocity (not a fixed one)");
  public static final Setting<Integer> STATE_CC = key("state_cc", SettingTypes.controller())
      .byDefault(OFF).doc("controller continuo sends on its output channel when its state"
          + " changes: 0 listening, 1 playing, 2 silenced");

  /** Every setting, in the order of the documentation. */
  public static final List<Setting<?>> ALL = Collections.unmodifiableList(TABLE);

  /** The setting with preset-file key {@code key}, if there is one. */
  public static Optional<Setting<?>> byKey(String key) {
    for (Setting<?> s : TABLE) {
      if (s.key().equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static <T> Declaration<T> key(String key, SettingType<T> type) {
    return new Declaration<>(key, type);
  }

  /** One declaration being written; {@link #doc} ends it and adds the setting to the table. */
  private static final class Declaration<T> {
    private final String key;
    private final SettingType<T> type;
    private T defaultValue;
    private String defaultDoc;
    private String option;
    private String optionLabel;

    Declaration(String key, SettingType<T> type) {
      this.key = key;
      this.type = type;
    }

    Declaration<T> byDefault(T value) {
      this.defaultValue = value;
      return this;
    }

    Declaration<T> documentedDefault(String text) {
      this.defaultDoc = text;
      return this;
    }

    Declaration<T> option(String name, String label) {
      this.option = name;
      this.optionLabel = label;
      return this;
    }

    Setting<T> doc(String doc) {
      Setting<T> s = new Setting<>(TABLE.size(), key, type, defaultValue, defaultDoc, doc, option,
          optionLabel);
      TABLE.add(s);
      return s;
    }
  }
}
