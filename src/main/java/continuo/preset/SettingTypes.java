package continuo.preset;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The kinds of value a preset setting can hold: numbers in a range, booleans, MIDI channels and
 * controllers, enumerated strings, names, file paths and {@code [low, high]} pairs (words and
 * lists of them are in {@link WordTypes}). Immutable; any thread.
 */
public final class SettingTypes {
  private SettingTypes() {}

  /** Controller settings hold this when no controller is assigned. */
  public static final int OFF = -1;

  /** A number (whole numbers accepted) from {@code min} to {@code max}. */
  public static SettingType<Double> real(double min, double max) {
    String expected = "a number from " + min + " to " + max;
    return new SettingType<>() {
      @Override
      public Double bind(Object o) throws SettingType.Rejected {
        double d;
        if (o instanceof Double x) {
          d = x;
        } else if (o instanceof Long x) {
          d = x;
        } else {
          throw new SettingType.Rejected(expected);
        }
        if (!(d >= min && d <= max)) {
          throw new SettingType.Rejected(expected);
        }
        return d;
      }

      @Override
      public String expected() {
        return expected;
      }

      @Override
      public String range() {
        return min + ".." + max;
      }

      @Override
      public String show(Double value) {
        return String.valueOf(value);
      }
    };
  }

  /** A whole number from {@code min} to {@code max}. */
  public static SettingType<Integer> whole(int min, int max) {
    return new Whole(min, max, "a whole number from " + min + " to " + max, null, 0);
  }

  /** A MIDI channel 1..16, or {@code "omni"} (held as {@link Preset#OMNI}) for every channel. */
  public static SettingType<Integer> channelOrOmni() {
    return new Whole(1, 16, "a MIDI channel from 1 to 16 or \"omni\"", "omni", Preset.OMNI);
  }

  /** A MIDI channel 1..16. */
  public static SettingType<Integer> channel() {
    return new Whole(1, 16, "a MIDI channel from 1 to 16", null, 0);
  }

  /** A controller number 0..127, or {@code "off"} (held as {@link #OFF}) for none. */
  public static SettingType<Integer> controller() {
    return new Whole(0, 127, "a controller number from 0 to 127 or \"off\"", "off", OFF);
  }

  /** A Program Change number 0..127, or {@code "off"} (held as {@link #OFF}) for none. */
  public static SettingType<Integer> program() {
    return new Whole(0, 127, "a program number from 0 to 127 or \"off\"", "off", OFF);
  }

  /** true or false. */
  public static SettingType<Boolean> bool() {
    return new SettingType<>() {
      @Override
      public Boolean bind(Object o) throws SettingType.Rejected {
        if (o instanceof Boolean b) {
          return b;
        }
        throw new SettingType.Rejected(expected());
      }

      @Override
      public String expected() {
        return "true or false";
      }

      @Override
      public String range() {
        return "true/false";
      }

      @Override
      public String show(Boolean value) {
        return String.valueOf(value);
      }
    };
  }

  /** One of the constants of {@code type}, spelled as {@code key} gives them. */
  public static <E extends Enum<E>> SettingType<E> choice(Class<E> type, Function<E, String> key) {
    E[] values = type.getEnumConstants();
    List<String> quoted = new ArrayList<>();
    List<String> code = new ArrayList<>();
    for (E e : values) {
      quoted.add("\"" + key.apply(e) + "\"");
      code.add("`\"" + key.apply(e) + "\"`");
    }
    String expected = quoted.size() == 1 ? quoted.get(0)
        : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or "
            + quoted.get(quoted.size() - 1);
    return new SettingType<>() {
      @Override
      public E bind(Object o) throws SettingType.Rejected {
        for (E e : values) {
          if (key.apply(e).equals(o)) {
            return e;
          }
        }
        throw new SettingType.Rejected(expected);
      }

      @Override
      public String expected() {
        return expected;
      }

      @Override
      public String range() {
        return String.join(", ", code);
      }

      @Override
      public String show(E value) {
        return "\"" + key.apply(value) + "\"";
      }
    };
  }

  /**
   * A name shown in every log line and on the status line: 1 to {@code maxLength} characters with
   * no control or formatting characters, so a preset cannot break a log line into two, colour
   * the terminal or reorder the text around it.
   */
  public static SettingType<String> displayName(int maxLength) {
    String expected = "a name of 1 to " + maxLength
        + " characters without control characters or escape codes";
    return new SettingType<>() {
      @Override
      public String bind(Object o) throws SettingType.Rejected {
        if (!(o instanceof String s) || s.isBlank() || s.length() > maxLength || !printable(s)) {
          throw new SettingType.Rejected(expected);
        }
        return s;
      }

      @Override
      public String parse(String word) throws SettingType.Rejected {
        return bind(word);
      }

      @Override
      public String expected() {
        return expected;
      }

      @Override
      public String range() {
        return "string of 1.." + maxLength + " printable characters";
      }

      @Override
      public String show(String value) {
        return "\"" + value + "\"";
      }
    };
  }

  /** A file path (relative paths are resolved by the setting's user). */
  public static SettingType<Path> path(String what) {
    String expected = "a " + what + " path";
    return new SettingType<>() {
      @Override
      public Path bind(Object o) throws SettingType.Rejected {
        if (!(o instanceof String s) || s.isBlank()) {
          throw new SettingType.Rejected(expected);
        }
        try {
          return Path.of(s);
        } catch (InvalidPathException e) {
          throw new SettingType.Rejected(expected + " (" + Presets.printable(e.getReason()) + ")");
        }
      }

      @Override
      public Path parse(String word) throws SettingType.Rejected {
        return bind(word);
      }

      @Override
      public String expected() {
        return expected;
      }

      @Override
      public String range() {
        return "string";
      }

      @Override
      public String show(Path value) {
        return "\"" + value + "\"";
      }
    };
  }

  /**
   * Two whole numbers {@code [low, high]}, each from {@code min} to {@code max}, low not above
   * high; on the command line "low,high".
   */
  public static SettingType<SettingType.Pair> pair(int min, int max) {
    String expected = "[low, high] with " + min + " <= low <= high <= " + max;
    return new SettingType<>() {
      @Override
      public SettingType.Pair bind(Object o) throws SettingType.Rejected {
        if (o instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Long low
            && l.get(1) instanceof Long high && min <= low && low <= high && high <= max) {
          return new SettingType.Pair((int) (long) low, (int) (long) high);
        }
        throw new SettingType.Rejected(expected);
      }

      @Override
      public String expected() {
        return expected;
      }

      @Override
      public String range() {
        return "[low, high], " + min + "..." + max;
      }

      @Override
      public String show(SettingType.Pair value) {
        return value.toString();
      }
    };
  }

  /**
   * A command-line word as the TOML value it would be: a whole number, a number, true or false,
   * a list "a,b" of those, or else the word itself as a string.
   */
  static Object tomlValueOf(String word) {
    String w = word.strip();
    if (w.startsWith("[") && w.endsWith("]")) {
      w = w.substring(1, w.length() - 1);
    }
    if (w.indexOf(',') >= 0) {
      List<Object> items = new ArrayList<>();
      for (String item : w.split(",", -1)) {
        items.add(scalarOf(item.strip()));
      }
      return items;
    }
    return scalarOf(w);
  }

  private static Object scalarOf(String w) {
    if (w.equals("true") || w.equals("false")) {
      return Boolean.valueOf(w);
    }
    try {
      return Long.valueOf(w);
    } catch (NumberFormatException e) {
      // not a whole number
    }
    try {
      double d = Double.parseDouble(w);
      if (!w.isEmpty() && !Character.isLetter(w.charAt(w.length() - 1))) {
        return d;
      }
    } catch (NumberFormatException e) {
      // not a number
    }
    return w;
  }

  /** Whether {@code s} has no control, formatting, separator or unpaired surrogate characters. */
  static boolean printable(String s) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  /** Whole numbers from min to max, and optionally one word standing for a special value. */
  private record Whole(int min, int max, String expected, String word, int wordValue)
      implements SettingType<Integer> {
    @Override
    public Integer bind(Object o) throws SettingType.Rejected {
      if (word != null && word.equals(o)) {
        return wordValue;
      }
      if (o instanceof Long x && x >= min && x <= max) {
        return (int) (long) x;
      }
      throw new SettingType.Rejected(expected);
    }

    @Override
    public String range() {
      return min + ".." + max + (word == null ? "" : " or `\"" + word + "\"`");
    }

    @Override
    public String show(Integer value) {
      return word != null && value == wordValue ? "\"" + word + "\"" : String.valueOf(value);
    }
  }
}
