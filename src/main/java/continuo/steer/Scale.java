package continuo.steer;

import java.util.Locale;

/**
 * The scales a key can be built on, each a set of semitone steps above the tonic. Immutable; safe
 * from any thread.
 */
public enum Scale {
  MAJOR("major", 0, 2, 4, 5, 7, 9, 11),
  NATURAL_MINOR("minor", 0, 2, 3, 5, 7, 8, 10),
  HARMONIC_MINOR("harmonic minor", 0, 2, 3, 5, 7, 8, 11),
  DORIAN("dorian", 0, 2, 3, 5, 7, 9, 10),
  MIXOLYDIAN("mixolydian", 0, 2, 4, 5, 7, 9, 10),
  PENTATONIC_MAJOR("pentatonic major", 0, 2, 4, 7, 9),
  PENTATONIC_MINOR("pentatonic minor", 0, 3, 5, 7, 10),
  BLUES("blues", 0, 3, 5, 6, 7, 10);

  private final String label;
  private final int steps;

  Scale(String label, int... semitones) {
    this.label = label;
    int mask = 0;
    for (int s : semitones) {
      mask |= 1 << s;
    }
    this.steps = mask;
  }

  /** The name a preset writes after the tonic ("harmonic minor"). */
  public String label() {
    return label;
  }

  /** Bit {@code i} set when the note {@code i} semitones above the tonic is in the scale. */
  public int steps() {
    return steps;
  }

  /** Whether the scale has a major third above its tonic (major, mixolydian, pentatonic major). */
  public boolean majorThird() {
    return (steps & (1 << 4)) != 0;
  }

  /**
   * The scale a preset names, in any case: the labels above, plus "natural minor", "aeolian",
   * "ionian", "major pentatonic" and "minor pentatonic". Null when the name is none of them.
   */
  static Scale byName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    return switch (n) {
      case "major", "ionian" -> MAJOR;
      case "minor", "natural minor", "aeolian" -> NATURAL_MINOR;
      case "harmonic minor" -> HARMONIC_MINOR;
      case "dorian" -> DORIAN;
      case "mixolydian" -> MIXOLYDIAN;
      case "pentatonic major", "major pentatonic" -> PENTATONIC_MAJOR;
      case "pentatonic minor", "minor pentatonic" -> PENTATONIC_MINOR;
      case "blues" -> BLUES;
      default -> null;
    };
  }
}
