package continuo.preset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/**
 * Loads {@code presets/*.toml} strictly: a key the program does not know, a value of the wrong
 * type or out of range is an error naming the file, the key and what was expected, so a typo never
 * silently falls back to a default. Set-up code only; any thread.
 */
public final class Presets {
  private Presets() {}

  /** The directory presets are looked up in, under the repo root. */
  public static final String DIRECTORY = "presets";

  private static final Set<String> KEYS = Set.of(
      "name", "model", "temperature", "top_p", "temperature_cc", "program", "input_channel",
      "output_channel", "mode", "response_gap_ms", "response_length_ms", "end_of_phrase_cc",
      "lookahead_ms", "max_polyphony", "max_note_length_ms", "latency_offset_ms", "drop_late_ms",
      "thru", "panic_cc", "preset_cc");

  /** Reads and validates one preset file. */
  public static Preset load(Path file) throws PresetException {
    TomlParseResult toml;
    try {
      if (Files.size(file) > 1 << 20) {
        throw new PresetException(file + ": is larger than 1 MiB; expected a small TOML preset");
      }
      toml = Toml.parse(file);
    } catch (NoSuchFileException e) {
      throw new PresetException(file + ": no such preset file", e);
    } catch (IOException e) {
      throw new PresetException(file + ": cannot be read (" + printable(e.getMessage()) + ")", e);
    } catch (RuntimeException e) {
      throw new PresetException(file + ": is not valid TOML (" + printable(e.getMessage()) + ")", e);
    } catch (StackOverflowError e) {
      throw tooDeep(file);
    } catch (AssertionError e) {
      // tomlj checks the length of unicode escapes with assert statements: with assertions on
      // (tests, java -ea) a short escape throws AssertionError instead of a parse error.
      boolean escape = e.getStackTrace().length > 0
          && e.getStackTrace()[0].getClassName().equals("org.tomlj.QuotedStringVisitor");
      throw new PresetException(file + ": is not valid TOML: " + (escape
          ? "invalid unicode escape sequence (\\u takes 4 hex digits, \\U takes 8)"
          : "the TOML parser gave up on it"));
    }
    if (toml.hasErrors()) {
      TomlParseError first = toml.errors().get(0);
      throw new PresetException(file + ": is not valid TOML: line " + first.position().line()
          + ": " + printable(first.getMessage()));
    }
    Map<String, Object> values;
    try {
      values = toml.toMap();
    } catch (StackOverflowError e) {
      throw tooDeep(file);
    }
    return parse(file, toml.keySet(), values);
  }

  /**
   * The TOML parser and its conversion to maps recurse once per nesting level; a preset has no
   * nesting at all, so a file nesting thousands deep is refused rather than crashing the loader.
   */
  private static PresetException tooDeep(Path file) {
    return new PresetException(file + ": nests arrays or tables too deeply; expected a flat list of"
        + " key = value lines");
  }

  /**
   * {@code s} for a one-line message: control characters escaped (a TOML string may hold any of
   * them) and cut to 60 characters, so a bad value never spreads an error over many lines.
   */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (b.length() >= 60) {
        return b.append("...").toString();
      }
      char c = s.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * The preset {@code nameOrPath}: a path to a .toml file (absolute, or relative to the current
   * directory), or a bare name looked up as {@code presets/NAME.toml} under {@code repoRoot}.
   */
  public static Preset find(Path repoRoot, String nameOrPath) throws PresetException {
    if (nameOrPath.endsWith(".toml") || nameOrPath.contains("/") || nameOrPath.contains("\\")) {
      return load(Path.of(nameOrPath));
    }
    Path file = repoRoot.resolve(DIRECTORY).resolve(nameOrPath + ".toml");
    if (!Files.isRegularFile(file)) {
      throw new PresetException("no preset named '" + nameOrPath + "' (looked for " + file
          + "; available: " + String.join(", ", names(repoRoot)) + ")");
    }
    return load(file);
  }

  /** Every preset in {@code repoRoot/presets}, sorted by file name; fails on the first bad one. */
  public static List<Preset> all(Path repoRoot) throws PresetException {
    List<Preset> out = new ArrayList<>();
    for (String n : names(repoRoot)) {
      out.add(load(repoRoot.resolve(DIRECTORY).resolve(n + ".toml")));
    }
    return out;
  }

  /** The names of the presets in {@code repoRoot/presets}, sorted. */
  public static List<String> names(Path repoRoot) {
    Path dir = repoRoot.resolve(DIRECTORY);
    TreeSet<String> names = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".toml"))
            .forEach(n -> names.add(n.substring(0, n.length() - 5)));
      } catch (IOException e) {
        return List.of();
      }
    }
    return List.copyOf(names);
  }

  /** The repo root at run time: {@code continuo.home}, else the current directory. */
  public static Path home() {
    String h = System.getProperty("continuo.home");
    return Path.of(h == null || h.isBlank() ? "." : h);
  }

  private static Preset parse(Path file, Set<String> keys, Map<String, Object> values)
      throws PresetException {
    for (String key : keys) {
      if (!KEYS.contains(key)) {
        throw new PresetException(file + ": unknown key '" + printable(key) + "'; expected one of "
            + String.join(", ", new TreeSet<>(KEYS)));
      }
    }
    String stem = file.getFileName().toString().replaceFirst("\\.toml$", "");
    return fromValues(file, stem, values);
  }

  /** Every key at its default, playing {@code model}: what {@code --model} without a preset gets. */
  static Preset defaults(String name, Path model) {
    try {
      return fromValues(Path.of("(defaults)"), name, Map.of("model", model.toString()));
    } catch (PresetException e) {
      throw new IllegalStateException("the preset defaults are invalid", e);
    }
  }

  private static Preset fromValues(Path file, String stem, Map<String, Object> v)
      throws PresetException {
    Reader r = new Reader(file, v);
    String name = r.string("name", stem);
    String model = r.string("model", null);
    if (model == null) {
      throw new PresetException(file + ": missing key 'model'; expected the model file path, "
          + "e.g. model = \"models/folk.cmodel\"");
    }
    if (model.isBlank()) {
      throw new PresetException(file + ": key 'model' is empty; expected a model file path");
    }
    Path modelPath;
    try {
      modelPath = Path.of(model);
    } catch (InvalidPathException e) {
      throw new PresetException(file + ": key 'model' is \"" + printable(model)
          + "\"; expected a model file path (" + printable(e.getReason()) + ")");
    }
    String modeKey = r.string("mode", "duet");
    Mode mode = Mode.ofKey(modeKey);
    if (mode == null) {
      throw new PresetException(file + ": key 'mode' is \"" + printable(modeKey)
          + "\"; expected \"duet\" or \"call-response\"");
    }
    return new Preset(
        name,
        modelPath,
        r.real("temperature", 0.9, 0.0, 4.0),
        r.real("top_p", 1.0, 0.01, 1.0),
        r.integer("temperature_cc", -1, 0, 127),
        r.integer("program", -1, 0, 127),
        r.channelOrOmni("input_channel"),
        r.integer("output_channel", 1, 1, 16),
        mode,
        r.integer("response_gap_ms", 600, 0, 10_000),
        r.integer("response_length_ms", 0, 0, 120_000),
        r.integer("end_of_phrase_cc", -1, 0, 127),
        r.integer("lookahead_ms", 250, 20, 2_000),
        r.integer("max_polyphony", 8, 1, 64),
        r.integer("max_note_length_ms", 4_000, 50, 60_000),
        r.integer("latency_offset_ms", 0, -500, 500),
        r.integer("drop_late_ms", 50, 0, 5_000),
        r.bool("thru", false),
        r.integer("panic_cc", -1, 0, 127),
        r.integer("preset_cc", -1, 0, 127));
  }

  /** Typed, range-checked access to the top-level values of one file. */
  private record Reader(Path file, Map<String, Object> values) {
    String string(String key, String dflt) throws PresetException {
      Object o = values.get(key);
      if (o == null) {
        return dflt;
      }
      if (!(o instanceof String s)) {
        throw wrong(key, o, "a string in double quotes");
      }
      return s;
    }

    double real(String key, double dflt, double min, double max) throws PresetException {
      Object o = values.get(key);
      if (o == null) {
        return dflt;
      }
      double d;
      if (o instanceof Double x) {
        d = x;
      } else if (o instanceof Long x) {
        d = x;
      } else {
        throw wrong(key, o, "a number from " + min + " to " + max);
      }
      if (!(d >= min && d <= max)) {
        throw new PresetException(file + ": key '" + key + "' is " + d + "; expected a number from "
            + min + " to " + max);
      }
      return d;
    }

    int integer(String key, int dflt, int min, int max) throws PresetException {
      Object o = values.get(key);
      if (o == null) {
        return dflt;
      }
      if (!(o instanceof Long x)) {
        throw wrong(key, o, "a whole number from " + min + " to " + max);
      }
      if (x < min || x > max) {
        throw new PresetException(file + ": key '" + key + "' is " + x
            + "; expected a whole number from " + min + " to " + max);
      }
      return (int) (long) x;
    }

    int channelOrOmni(String key) throws PresetException {
      Object o = values.get(key);
      if (o == null || "omni".equals(o)) {
        return Preset.OMNI;
      }
      if (o instanceof Long x && x >= 1 && x <= 16) {
        return (int) (long) x;
      }
      throw new PresetException(file + ": key '" + key + "' is " + show(o)
          + "; expected a MIDI channel from 1 to 16 or \"omni\"");
    }

    boolean bool(String key, boolean dflt) throws PresetException {
      Object o = values.get(key);
      if (o == null) {
        return dflt;
      }
      if (!(o instanceof Boolean b)) {
        throw wrong(key, o, "true or false");
      }
      return b;
    }

    private PresetException wrong(String key, Object o, String expected) {
      return new PresetException(file + ": key '" + key + "' is " + show(o) + "; expected "
          + expected);
    }

    private static String show(Object o) {
      if (o instanceof String s) {
        return "\"" + printable(s) + "\"";
      }
      if (o instanceof Map<?, ?> || o instanceof org.tomlj.TomlTable) {
        return "a table";
      }
      if (o instanceof List<?> || o instanceof org.tomlj.TomlArray) {
        return "a list";
      }
      return String.valueOf(o);
    }
  }
}
