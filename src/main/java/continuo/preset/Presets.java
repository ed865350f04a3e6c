package continuo.preset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

  /** The most a preset file may hold; the shipped ones are about 2 KB. */
  static final int MAX_BYTES = 1 << 20;

  /** Reads and validates one preset file. */
  public static Preset load(Path file) throws PresetException {
    String text = read(file);
    TomlParseResult toml;
    try {
      toml = Toml.parse(text);
    } catch (RuntimeException e) {
      throw new PresetException(at(file) + ": is not valid TOML (" + printable(e.getMessage())
          + ")", e);
    } catch (StackOverflowError e) {
      throw tooDeep(file);
    } catch (AssertionError e) {
      // tomlj checks the length of unicode escapes with assert statements: with assertions on
      // (tests, java -ea) a short escape throws AssertionError instead of a parse error.
      boolean escape = e.getStackTrace().length > 0
          && e.getStackTrace()[0].getClassName().equals("org.tomlj.QuotedStringVisitor");
      throw new PresetException(at(file) + ": is not valid TOML: " + (escape
          ? "invalid unicode escape sequence (\\u takes 4 hex digits, \\U takes 8)"
          : "the TOML parser gave up on it"));
    }
    if (toml.hasErrors()) {
      TomlParseError first = toml.errors().get(0);
      throw new PresetException(at(file) + ": is not valid TOML: line " + first.position().line()
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
   * The text of {@code file}, refusing at once what is not a regular file (a FIFO would block the
   * reader until someone writes to it, a device such as /dev/zero never ends) and reading at most
   * {@link #MAX_BYTES} + 1 bytes whatever size the file claims, so a preset cannot cost more.
   */
  static String read(Path file) throws PresetException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new PresetException(at(file) + ": no such preset file", e);
    } catch (IOException e) {
      throw new PresetException(at(file) + ": cannot be read (" + printable(e.getMessage()) + ")", e);
    }
    if (a.isDirectory()) {
      throw new PresetException(at(file) + ": is a directory; expected a TOML preset file");
    }
    if (!a.isRegularFile()) {
      throw new PresetException(at(file) + ": is not a regular file (a device, FIFO or socket);"
          + " expected a TOML preset file");
    }
    if (a.size() > MAX_BYTES) {
      throw tooLarge(file);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new PresetException(at(file) + ": cannot be read (" + printable(e.getMessage()) + ")", e);
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(file);
    }
    // As the TOML parser reads a file: UTF-8, a malformed byte read as U+FFFD.
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static PresetException tooLarge(Path file) {
    return new PresetException(at(file) + ": is larger than 1 MiB; expected a small TOML preset");
  }

  /**
   * The TOML parser and its conversion to maps recurse once per nesting level; a preset has no
   * nesting at all, so a file nesting thousands deep is refused rather than crashing the loader.
   */
  private static PresetException tooDeep(Path file) {
    return new PresetException(at(file) + ": nests arrays or tables too deeply; expected a flat list of"
        + " key = value lines");
  }

  /**
   * {@code s} for a one-line message: control characters escaped (a TOML string may hold any of
   * them) and cut to 60 characters, so a bad value never spreads an error over many lines.
   */
  static String printable(String s) {
    return SafeText.escaped(s, 60);
  }

  /** {@code file} for the start of a message, escaped: a file name may hold a newline too. */
  static String at(Path file) {
    return SafeText.escaped(file.toString(), 1000);
  }

  /**
   * The preset {@code nameOrPath}: a path to a .toml file (absolute, or relative to the current
   * directory), or a bare name looked up as {@code presets/NAME.toml} under {@code repoRoot}.
   */
  public static Preset find(Path repoRoot, String nameOrPath) throws PresetException {
    Path file;
    try {
      if (nameOrPath.endsWith(".toml") || nameOrPath.contains("/") || nameOrPath.contains("\\")) {
        return load(Path.of(nameOrPath));
      }
      file = repoRoot.resolve(DIRECTORY).resolve(nameOrPath + ".toml");
    } catch (InvalidPathException e) {
      throw new PresetException(printable(nameOrPath) + ": is not a preset name or file path ("
          + printable(e.getReason()) + ")");
    }
    // Anything there is loaded, so that a directory or a FIFO is reported as what it is.
    if (!Files.exists(file)) {
      throw new PresetException("no preset named '" + printable(nameOrPath) + "' (looked for "
          + SafeText.escaped(file.toString(), 300) + "; available: "
          + String.join(", ", names(repoRoot)) + ")");
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
      if (Settings.byKey(key).isEmpty()) {
        TreeSet<String> known = new TreeSet<>();
        Settings.ALL.forEach(s -> known.add(s.key()));
        throw new PresetException(at(file) + ": unknown key '" + printable(key) + "'; expected one of "
            + String.join(", ", known));
      }
    }
    String stem = file.getFileName().toString().replaceFirst("\\.toml$", "");
    Object model = values.get(Settings.MODEL.key());
    if (model == null) {
      throw new PresetException(at(file) + ": missing key 'model'; expected the model file path, "
          + "e.g. model = \"models/folk.cmodel\"");
    }
    Preset p = Preset.defaults(SafeText.name(stem), Path.of(""));
    for (Setting<?> s : Settings.ALL) {
      Object v = values.get(s.key());
      if (v instanceof org.tomlj.TomlArray array) {
        v = array.toList(); // [low, high], a list of keys: checked as lists, as on the command line
      }
      if (v != null) {
        p = bind(file, p, s, v);
      }
    }
    return p;
  }

  private static <T> Preset bind(Path file, Preset p, Setting<T> s, Object v)
      throws PresetException {
    try {
      return p.with(s, s.bind(v));
    } catch (SettingType.Rejected e) {
      throw new PresetException(at(file) + ": key '" + s.key() + "' is " + show(v) + "; expected "
          + e.expected());
    }
  }

  private static String show(Object o) {
    if (o instanceof String s) {
      return "\"" + printable(s) + "\"";
    }
    if (o instanceof Map<?, ?> || o instanceof org.tomlj.TomlTable) {
      return "a table";
    }
    if (o instanceof List<?> || o instanceof org.tomlj.TomlArray) {
      return o instanceof List<?> l && l.size() <= 4 ? printable(String.valueOf(l)) : "a list";
    }
    return printable(String.valueOf(o));
  }
}
