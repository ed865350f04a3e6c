package continuo.preset;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Setting types made of words: a word or a text with its own grammar (a key such as "F major"),
 * a word or a whole number ({@code velocity = "follow"} or {@code 100}), and lists of them. The
 * other types are in {@link SettingTypes}. Immutable; any thread.
 */
public final class WordTypes {
  private WordTypes() {}

  /**
   * A string one of {@code words}, or else one that {@code canonical} accepts (it throws
   * IllegalArgumentException otherwise) and turns into the form kept: a key name "f  Major" is
   * kept as "F major".
   */
  public static SettingType<String> wordOr(List<String> words, UnaryOperator<String> canonical,
      String expected, String range) {
    return new SettingType<>() {
      @Override
      public String bind(Object o) throws SettingType.Rejected {
        if (!(o instanceof String s)) {
          throw new SettingType.Rejected(expected);
        }
        if (words.contains(s)) {
          return s;
        }
        try {
          return canonical.apply(s);
        } catch (IllegalArgumentException e) {
          throw new SettingType.Rejected(expected);
        }
      }

      @Override
      public String parse(String word) throws SettingType.Rejected {
        return bind(word.strip());
      }

      @Override
      public String expected() {
        return expected;
      }

      @Override
      public String range() {
        return range;
      }

      @Override
      public String show(String value) {
        return "\"" + value + "\"";
      }
    };
  }

  /**
   * One of {@code words} or a whole number from {@code min} to {@code max}, kept as the word or
   * the number's digits ({@code velocity = "follow"} or {@code velocity = 100}).
   */
  public static SettingType<String> wordOrWhole(List<String> words, int min, int max) {
    List<String> quoted = words.stream().map(w -> "\"" + w + "\"").toList();
    String expected = String.join(", ", quoted) + " or a whole number from " + min + " to " + max;
    return new SettingType<>() {
      @Override
      public String bind(Object o) throws SettingType.Rejected {
        if (o instanceof String s && words.contains(s)) {
          return s;
        }
        if (o instanceof Long x && x >= min && x <= max) {
          return String.valueOf(x);
        }
        if (o instanceof String s && s.matches("[0-9]{1,3}")) {
          return bind(Long.valueOf(s)); // velocity = "100" means velocity = 100
        }
        throw new SettingType.Rejected(expected);
      }

      @Override
      public String expected() {
        return expected;
      }

      @Override
      public String range() {
        return words.stream().map(w -> "`\"" + w + "\"`").collect(Collectors.joining(", "))
            + " or " + min + ".." + max;
      }

      @Override
      public String show(String value) {
        return words.contains(value) ? "\"" + value + "\"" : value;
      }
    };
  }

  /** A list of values of {@code element} (strings), at most {@code maxSize} of them. */
  public static SettingType<List<String>> list(SettingType<String> element, int maxSize) {
    String expected = "a list of up to " + maxSize + " values, each " + element.expected();
    return new SettingType<>() {
      @Override
      public List<String> bind(Object o) throws SettingType.Rejected {
        if (!(o instanceof List<?> l) || l.size() > maxSize) {
          throw new SettingType.Rejected(expected);
        }
        List<String> out = new ArrayList<>();
        for (Object item : l) {
          try {
            out.add(element.bind(item));
          } catch (SettingType.Rejected e) {
            throw new SettingType.Rejected(expected);
          }
        }
        return List.copyOf(out);
      }

      @Override
      public String expected() {
        return expected;
      }

      @Override
      public String range() {
        return "list of up to " + maxSize + ": " + element.range();
      }

      @Override
      public String show(List<String> value) {
        return value.stream().map(element::show).collect(Collectors.joining(", ", "[", "]"));
      }
    };
  }
}
