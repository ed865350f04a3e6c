package continuo.preset;

/**
 * What one preset setting may hold: how a TOML value and a command-line word become a value, what
 * is expected when they cannot, and how the range and a value read in the documentation. The
 * types themselves are in {@link SettingTypes}. Immutable; any thread.
 *
 * @param <T> the value's Java type
 */
public interface SettingType<T> {

  /**
   * The value of the TOML value {@code o} (a String, Long, Double, Boolean or list, as tomlj
   * gives them); throws when {@code o} is not one of this type's values.
   */
  T bind(Object o) throws Rejected;

  /** What a user must write, for error messages: "a whole number from 1 to 64". */
  String expected();

  /** The range in the documentation table: "1..64", "`\"duet\"`, `\"call-response\"`". */
  String range();

  /** {@code value} as written in a preset file, for the documentation: 4000, "omni", false. */
  String show(T value);

  /**
   * The value of a command-line word: a number, true or false, a list "a,b", or else the word
   * as a string; then bound as a TOML value would be, so both obey the same range.
   */
  default T parse(String word) throws Rejected {
    return bind(SettingTypes.tomlValueOf(word));
  }

  /** A value outside the type; the message says what was expected instead. */
  final class Rejected extends Exception {
    private final String expected;

    public Rejected(String expected) {
      super(expected, null, false, false);
      this.expected = expected;
    }

    public String expected() {
      return expected;
    }
  }

  /** Both ends of a range of whole numbers, as in {@code pitch_range = [36, 96]}. */
  record Pair(int low, int high) {
    @Override
    public String toString() {
      return "[" + low + ", " + high + "]";
    }
  }
}
