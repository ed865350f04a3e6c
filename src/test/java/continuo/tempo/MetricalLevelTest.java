package continuo.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Which octave of the tracker's tempo a model hears, from the player's onset rate. */
class MetricalLevelTest {
  private static final long MS = 1_000_000L;

  /** {@code n} onsets {@code gapMs} apart from {@code from}, each a chord of three notes. */
  private static long play(MetricalLevel level, long from, int n, double gapMs) {
    long t = from;
    for (int i = 0; i < n; i++) {
      t = from + Math.round(i * gapMs * MS);
      level.noteOn(t);
      level.noteOn(t + 8 * MS); // chord notes count once
      level.noteOn(t + 25 * MS);
    }
    return t;
  }

  @Test
  void theLevelWhoseDensityIsTheModelsIsTaken() {
    // A model at 120 bpm with 2 onsets per beat; the player plays eighths at 180 bpm (6 a second).
    MetricalLevel level = new MetricalLevel();
    level.use(120, 2);
    play(level, 0, 24, 1000.0 / 6);
    assertEquals(180, level.levelOf(90), 1e-9, "the tracker counts in half time");
    assertEquals(180, level.levelOf(180), 1e-9);
    assertEquals(180, level.levelOf(360), 1e-9, "the tracker counts in double time");
    // Eighths at 80 bpm (2.67 a second): folding to the octave nearest 120 would give 160.
    level.reset();
    play(level, 0, 24, 375);
    assertEquals(80, level.levelOf(80), 1e-9);
    assertEquals(80, level.levelOf(160), 1e-9);
  }

  @Test
  void withoutTheModelsDensityOrEnoughOnsetsTheTempoIsFoldedToTheReferencesOctave() {
    MetricalLevel level = new MetricalLevel();
    level.use(120, Double.NaN);
    play(level, 0, 24, 1000.0 / 6);
    assertEquals(90, level.levelOf(90), 1e-9, "90 is in 120's octave");
    assertTrue(level.decided(), "without the model's density the fold is the level");
    assertEquals(160.8, level.levelOf(80.4), 1e-9);
    level.use(120, 2);
    level.reset();
    play(level, 0, MetricalLevel.MIN_GAPS, 1000.0 / 6); // one gap short
    assertEquals(90, level.levelOf(90), 1e-9);
    assertFalse(level.decided(), "the fold is only a guess until the rate is known");
    level.noteOn(MetricalLevel.MIN_GAPS * 1000 * MS / 6);
    assertEquals(180, level.levelOf(90), 1e-9);
    assertTrue(level.decided());
    level.reset();
    assertFalse(level.decided(), "forgotten with the onsets");
  }

  @Test
  void pausesDoNotCount() {
    MetricalLevel level = new MetricalLevel();
    level.use(120, 2);
    long t = play(level, 0, 12, 1000.0 / 6);
    play(level, t + 5_000 * MS, 12, 1000.0 / 6); // five seconds of rest between two phrases
    assertEquals(6, level.onsetsPerSecond(180), 1e-6);
    assertEquals(180, level.levelOf(90), 1e-9);
  }

  @Test
  void theLevelHoldsWhileTheDensitySitsBetweenTwo() {
    // A model at 120 bpm with 2 onsets per beat, a tracker at 180: 180 and 90 cost the same at
    // 4.27 onsets a second (1.42 a beat at 180, 2.84 at 90).
    MetricalLevel level = new MetricalLevel();
    level.use(120, 2);
    long t = play(level, 0, 25, 1000 / 4.6);
    assertEquals(180, level.levelOf(180), 1e-9);
    t = play(level, t + 250 * MS, 25, 1000 / 4.0); // past the midpoint, within the hysteresis
    assertEquals(180, level.levelOf(180), 1e-9, "held");
    MetricalLevel fresh = new MetricalLevel();
    fresh.use(120, 2);
    play(fresh, 0, 25, 1000 / 4.0);
    assertEquals(90, fresh.levelOf(180), 1e-9, "chosen afresh, 4 a second is the lower level");
    t = play(level, t + 250 * MS, 25, 1000 / 3.5); // well past it
    assertEquals(90, level.levelOf(180), 1e-9, "moved");
    play(level, t + 250 * MS, 25, 1000 / 4.5);
    assertEquals(90, level.levelOf(180), 1e-9, "held again");
  }

  @Test
  void aReferenceThatIsNoTempoIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MetricalLevel().use(0, 2));
  }

  @Test
  void choosingAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    MetricalLevel level = new MetricalLevel();
    level.use(120, 2);
    long t = 0;
    for (int i = 0; i < 20_000; i++) {
      t += (i % 3 == 0 ? 170 : 160) * MS;
      level.noteOn(t);
      level.levelOf(i % 2 == 0 ? 90 : 180);
    }
    long[] windows = new long[20];
    for (int w = 0; w < windows.length; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      double sink = 0;
      for (int i = 0; i < 10_000; i++) {
        t += (i % 3 == 0 ? 170 : 160) * MS;
        level.noteOn(t);
        sink += level.levelOf(i % 2 == 0 ? 90 : 180);
      }
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      assertTrue(sink > 0);
      if (windows[w] == 0) {
        return;
      }
    }
    throw new AssertionError("every window allocated: " + java.util.Arrays.toString(windows));
  }

  @Test
  void aVerdictOfTheModelsDecidesTheLevelAndFollowsTheTracker() {
    MetricalLevel level = new MetricalLevel();
    level.use(120, 2);
    level.awaitVerdicts(true);
    play(level, 0, 24, 1000.0 / 6);
    level.levelOf(80);
    assertFalse(level.decided(), "the density does not decide while a verdict is awaited");
    // A jig: the tracker counts its dotted quarter at 80, the model hears quarters at 120.
    level.judged(120, 80);
    assertEquals(120, level.levelOf(80), 1e-9);
    assertTrue(level.decided());
    assertEquals(126, level.levelOf(84), 1e-9, "the player speeds up: the factor is kept");
    assertEquals(126, level.levelOf(168), 1e-9,
        "the tracker doubles its count: the candidate nearest the verdict");
    assertEquals(120, level.verdict(), 1e-9);
    level.reset();
    assertTrue(Double.isNaN(level.verdict()), "forgotten with the onsets");
    play(level, 0, 24, 1000.0 / 6);
    level.judged(Double.NaN, 80);
    assertEquals(180, level.levelOf(90), 1e-9, "a model that cannot be asked: the density decides");
    assertTrue(level.decided());
  }
}
