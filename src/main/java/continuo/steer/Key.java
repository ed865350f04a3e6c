package continuo.steer;

import java.util.Locale;

/**
 * A tonic (pitch class 0..11, C = 0) and a {@link Scale}: the set of pitch classes an answer may
 * use. Every key exists once ({@link #of}), so handing keys around allocates nothing. Immutable;
 * safe from any thread.
 */
public final class Key {
  /** How the tonics are spelled when a key is shown. */
  private static final String[] NAMES =
      {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

  private static final Key[] ALL = new Key[12 * Scale.values().length];

  static {
    for (Scale scale : Scale.values()) {
      for (int tonic = 0; tonic < 12; tonic++) {
        ALL[scale.ordinal() * 12 + tonic] = new Key(tonic, scale);
      }
    }
  }

  private final int tonic;
  private final Scale scale;
  private final int pitchClasses;
  private final String name;

  private Key(int tonic, Scale scale) {
    this.tonic = tonic;
    this.scale = scale;
    int steps = scale.steps();
    // Rotate the scale's steps up by the tonic, within 12 bits.
    this.pitchClasses = ((steps << tonic) | (steps >>> (12 - tonic))) & 0xFFF;
    this.name = NAMES[tonic] + " " + scale.label();
  }

  /** The key on {@code tonic} (0..11, C = 0). */
  public static Key of(int tonic, Scale scale) {
    if (tonic < 0 || tonic > 11) {
      throw new IllegalArgumentException("a tonic is a pitch class 0..11, got " + tonic);
    }
    return ALL[scale.ordinal() * 12 + tonic];
  }

  /**
   * A key as a preset writes it: a tonic (C, C#, Db, ... B, in any case, with # or b, or the signs
   * ♯ and ♭) then a scale name ({@link Scale}), e.g. "F major", "Bb blues", "C# harmonic minor".
   *
   * @throws IllegalArgumentException with one line naming what was wrong and what was expected
   */
  public static Key parse(String text) {
    String t = text == null ? "" : text.trim().replace('♯', '#').replace('♭', 'b');
    int space = t.indexOf(' ');
    int tonic = space < 0 ? -1 : tonicOf(t.substring(0, space));
    Scale scale = space < 0 ? null : Scale.byName(t.substring(space + 1));
    if (tonic < 0 || scale == null) {
      throw new IllegalArgumentException("'" + text + "' is not a key: expected a tonic (C, C#, Db,"
          + " D, ... B) and a scale (major, minor, harmonic minor, dorian, mixolydian, pentatonic"
          + " major, pentatonic minor, blues), e.g. \"F major\" or \"C# harmonic minor\"");
    }
    return of(tonic, scale);
  }

  private static int tonicOf(String s) {
    if (s.isEmpty() || s.length() > 2) {
      return -1;
    }
    int base = "C D EF G A B".indexOf(Character.toUpperCase(s.charAt(0)));
    if (base < 0 || s.charAt(0) == ' ') {
      return -1;
    }
    if (s.length() == 1) {
      return base;
    }
    return switch (s.substring(1).toLowerCase(Locale.ROOT)) {
      case "#" -> (base + 1) % 12;
      case "b" -> (base + 11) % 12;
      default -> -1;
    };
  }

  public int tonic() {
    return tonic;
  }

  public Scale scale() {
    return scale;
  }

  /** Bit {@code pc} set when pitch class {@code pc} (C = 0) belongs to the key. */
  public int pitchClasses() {
    return pitchClasses;
  }

  /** Whether MIDI pitch {@code pitch} belongs to the key. */
  public boolean contains(int pitch) {
    return (pitchClasses & (1 << Math.floorMod(pitch, 12))) != 0;
  }

  /** The same scale moved up by {@code semitones} (negative: down). */
  public Key transpose(int semitones) {
    return of(Math.floorMod(tonic + semitones, 12), scale);
  }

  /** "F major", "C# harmonic minor": the spelling {@link #parse} reads back. */
  @Override
  public String toString() {
    return name;
  }
}
