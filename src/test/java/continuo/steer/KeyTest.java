package continuo.steer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyTest {
  private static int set(int... pcs) {
    int mask = 0;
    for (int pc : pcs) {
      mask |= 1 << pc;
    }
    return mask;
  }

  @Test
  void readsTheKeysAPresetWrites() {
    assertEquals(set(5, 7, 9, 10, 0, 2, 4), Key.parse("F major").pitchClasses());
    assertEquals(set(4, 6, 7, 9, 11, 0, 2), Key.parse("E minor").pitchClasses());
    assertEquals(set(2, 4, 5, 7, 9, 11, 0), Key.parse("D dorian").pitchClasses());
    assertEquals(set(10, 1, 3, 4, 5, 8), Key.parse("Bb blues").pitchClasses());
    assertEquals(set(1, 3, 4, 6, 8, 9, 0), Key.parse("C# harmonic minor").pitchClasses());
    assertEquals(set(7, 9, 11, 0, 2, 4, 5), Key.parse("G mixolydian").pitchClasses());
    assertEquals(set(0, 2, 4, 7, 9), Key.parse("c pentatonic major").pitchClasses());
    assertEquals(set(9, 0, 2, 4, 7), Key.parse("A minor pentatonic").pitchClasses());
    assertSame(Key.parse("Db major"), Key.parse("C# major"));
    assertSame(Key.parse("E♭ major"), Key.parse("Eb  Major"));
  }

  @Test
  void printsAKeySoThatItReadsBack() {
    for (Scale scale : Scale.values()) {
      for (int tonic = 0; tonic < 12; tonic++) {
        Key key = Key.of(tonic, scale);
        assertSame(key, Key.parse(key.toString()));
      }
    }
    assertEquals("Bb blues", Key.parse("A# blues").toString());
  }

  @Test
  void tellsWhetherAPitchIsInTheKey() {
    Key f = Key.parse("F major");
    assertTrue(f.contains(70));
    assertFalse(f.contains(71));
    assertTrue(f.contains(65));
    assertEquals(Key.parse("G minor"), Key.parse("F minor").transpose(2));
    assertEquals(Key.parse("B minor"), Key.parse("C minor").transpose(-1));
  }

  @Test
  void rejectsAnythingElseWithOneLineSayingWhatIsExpected() {
    for (String bad : new String[] {"H major", "F", "F lydian", "", "F## major", "major"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Key.parse(bad));
      assertTrue(e.getMessage().startsWith("'" + bad + "' is not a key: expected a tonic"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
    assertThrows(IllegalArgumentException.class, () -> Key.parse(null));
  }
}
