package continuo.steer;

import static continuo.encoding.PerformanceEncoding.NOTE_OFF;
import static continuo.encoding.PerformanceEncoding.NOTE_ON;
import static continuo.encoding.PerformanceEncoding.TIME_SHIFT;
import static continuo.encoding.PerformanceEncoding.VOCAB_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogitBiasTest {
  private static float[] flat() {
    float[] logits = new float[VOCAB_SIZE];
    Arrays.fill(logits, 1f);
    return logits;
  }

  @Test
  void masksEveryOutOfKeyNoteOnAtFullStrengthAndNothingElse() {
    LogitBias bias = new LogitBias();
    bias.setKey(Key.parse("F major"));
    float[] logits = flat();
    bias.apply(logits);
    for (int p = 0; p < 128; p++) {
      boolean in = Key.parse("F major").contains(p);
      assertEquals(in ? 1f : Float.NEGATIVE_INFINITY, logits[NOTE_ON + p], "pitch " + p);
      assertEquals(1f, logits[NOTE_OFF + p]);
    }
    assertEquals(1f, logits[TIME_SHIFT]);
  }

  @Test
  void lowersOutOfKeyNotesMoreTheStrongerTheKey() {
    LogitBias bias = new LogitBias();
    bias.setKey(Key.parse("C major"));
    float last = 1f;
    for (double strength : new double[] {0, 0.5, 0.9, 0.99}) {
      bias.setKeyStrength(strength);
      float[] logits = flat();
      bias.apply(logits);
      assertEquals(1f, logits[NOTE_ON + 60]);
      float outside = logits[NOTE_ON + 61];
      assertEquals(1 + Math.log(1 - strength), outside, 1e-5);
      assertTrue(outside <= last);
      last = outside;
    }
  }

  @Test
  void keepsNoteOnsInsideThePitchRange() {
    LogitBias bias = new LogitBias();
    bias.setRange(60, 79, false);
    float[] logits = flat();
    bias.apply(logits);
    for (int p = 0; p < 128; p++) {
      assertEquals(p >= 60 && p <= 79 ? 1f : Float.NEGATIVE_INFINITY, logits[NOTE_ON + p]);
    }
  }

  @Test
  void foldsANoteWantedAnOctaveAwayOntoItsPitchClassInsideTheRange() {
    LogitBias bias = new LogitBias();
    bias.setRange(60, 79, true);
    float[] logits = new float[VOCAB_SIZE];
    Arrays.fill(logits, Float.NEGATIVE_INFINITY);
    logits[NOTE_ON + 50] = 2f;
    logits[NOTE_ON + 62] = 2f;
    logits[NOTE_ON + 91] = 0f;
    bias.apply(logits);
    assertEquals(2 + Math.log(2), logits[NOTE_ON + 62], 1e-5);
    assertEquals(0f, logits[NOTE_ON + 79]);
    assertEquals(Float.NEGATIVE_INFINITY, logits[NOTE_ON + 50]);
    assertEquals(Float.NEGATIVE_INFINITY, logits[NOTE_ON + 91]);
  }

  @Test
  void findsTheOctaveInsideTheRegister() {
    assertEquals(62, LogitBias.toRegister(38, 60, 79));
    assertEquals(76, LogitBias.toRegister(100, 60, 79));
    assertEquals(70, LogitBias.toRegister(70, 60, 79));
    assertEquals(-1, LogitBias.toRegister(59, 60, 65));
    assertEquals(60, LogitBias.toRegister(0, 60, 65));
  }

  @Test
  void densityRaisesNotesAndShortensWaitsWithoutUnmaskingAnything() {
    LogitBias bias = new LogitBias();
    bias.setKey(Key.parse("C major"));
    bias.setDensity(4);
    float[] logits = flat();
    bias.apply(logits);
    assertEquals(1 + LogitBias.NOTE_GAIN * Math.log(4), logits[NOTE_ON + 60], 1e-5);
    assertEquals(Float.NEGATIVE_INFINITY, logits[NOTE_ON + 61]);
    assertTrue(logits[TIME_SHIFT] > logits[TIME_SHIFT + 99]);
    bias.setDensity(0.25);
    logits = flat();
    bias.apply(logits);
    assertTrue(logits[TIME_SHIFT] < logits[TIME_SHIFT + 99]);
    assertTrue(logits[NOTE_ON + 60] < 1f);
  }

  @Test
  void rejectsKnobsOutsideTheirRangesNamingTheKey() {
    LogitBias bias = new LogitBias();
    assertEquals("density must be 0.25..4, got 5.0",
        assertThrows(IllegalArgumentException.class, () -> bias.setDensity(5)).getMessage());
    assertEquals("key_strength must be 0..1, got -0.1",
        assertThrows(IllegalArgumentException.class, () -> bias.setKeyStrength(-0.1)).getMessage());
    assertEquals("pitch_range must be [low, high] with 0 <= low <= high <= 127, got [80, 60]",
        assertThrows(IllegalArgumentException.class, () -> bias.setRange(80, 60, false))
            .getMessage());
  }

  @Test
  void appliesWithoutAllocating() {
    LogitBias bias = new LogitBias();
    bias.setKey(Key.parse("Eb major"));
    bias.setKeyStrength(0.8);
    bias.setRange(48, 84, true);
    bias.setDensity(2);
    float[] logits = flat();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = Long.MAX_VALUE;
    for (int window = 0; window < 20 && allocated > 0; window++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10_000; i++) {
        Arrays.fill(logits, 0.5f);
        bias.apply(logits);
      }
      allocated = threads.getCurrentThreadAllocatedBytes() - before;
    }
    assertEquals(0, allocated);
  }
}
