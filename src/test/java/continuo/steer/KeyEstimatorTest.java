package continuo.steer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyEstimatorTest {
  static final String[] NOTTINGHAM = {"ashover13", "ashover18", "ashover24", "ashover27",
      "jigs10", "jigs111", "jigs268", "jigs339", "morris1"};
  static final String[] POP909 = {"001", "003", "007"};
  private static final long SECOND = 1_000_000;

  /** Share of the probes from 8 s on at which the reported key satisfies {@code ok}. */
  private static double shareFrom8s(Tunes.Tune tune, java.util.function.Predicate<Key> ok) {
    int[] counts = new int[2];
    Tunes.play(tune, new KeyEstimator(), 250_000, (t, key) -> {
      if (t >= 8 * SECOND) {
        counts[0]++;
        if (key != null && ok.test(key)) {
          counts[1]++;
        }
      }
    });
    return counts[1] / (double) counts[0];
  }

  @Test
  void reportsNothingUntilTwoSecondsOfNotesHaveBeenHeard() {
    KeyEstimator estimator = new KeyEstimator();
    estimator.noteOn(60, 0);
    estimator.noteOff(60, 1_000_000_000L);
    assertFalse(estimator.update(1_000_000_000L));
    assertNull(estimator.current());
  }

  @Test
  void findsCMajorFromItsScaleAndAMinorFromItsOwn() {
    assertEquals(Key.parse("C major"), playScale(new int[] {60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60}));
    assertEquals(Key.parse("A minor"), playScale(new int[] {57, 59, 60, 62, 64, 65, 67, 69, 64, 60, 57}));
  }

  private static Key playScale(int[] pitches) {
    KeyEstimator estimator = new KeyEstimator();
    long t = 0;
    for (int pitch : pitches) {
      estimator.noteOn(pitch, t);
      t += 400_000_000L;
      estimator.noteOff(pitch, t);
      estimator.update(t);
    }
    return estimator.current();
  }

  @Test
  void agreesWithTheWrittenScaleOfEveryNottinghamFixtureAndMostlyWithItsTonic() {
    List<String> report = new ArrayList<>();
    double keys = 0;
    double sets = 0;
    for (String name : NOTTINGHAM) {
      Tunes.Tune tune = Tunes.fixture("nottingham-" + name + ".mid");
      double key = shareFrom8s(tune, k -> k == tune.writtenKey());
      double set = shareFrom8s(tune, k -> k.pitchClasses() == tune.writtenKey().pitchClasses());
      report.add(name + " (" + tune.writtenKey() + ") key " + Math.round(100 * key) + "% set "
          + Math.round(100 * set) + "%");
      keys += key / NOTTINGHAM.length;
      sets += set / NOTTINGHAM.length;
      assertTrue(set >= 0.5, name + ": " + report);
    }
    System.out.printf("written key %.0f%%, its pitch set %.0f%%: %s%n", 100 * keys, 100 * sets,
        report);
    assertTrue(sets >= 0.85, report.toString());
    assertTrue(keys >= 0.65, report.toString());
  }

  @Test
  void findsTheSameKeysInTunesTransposedIntoUncommonKeys() {
    int[] shifts = {1, 6, -4, 8, 3};
    for (int i = 0; i < NOTTINGHAM.length; i++) {
      Tunes.Tune tune = Tunes.fixture("nottingham-" + NOTTINGHAM[i] + ".mid");
      double original = shareFrom8s(tune, key -> key == tune.writtenKey());
      Tunes.Tune moved = tune.transpose(shifts[i % shifts.length]);
      double transposed = shareFrom8s(moved, key -> key == moved.writtenKey());
      assertEquals(original, transposed, 1e-9, moved.name() + " in " + moved.writtenKey());
    }
  }

  @Test
  void findsTheDiatonicSetThatCoversEachPopSongBest() {
    for (String name : POP909) {
      Tunes.Tune tune = Tunes.fixture("pop909-" + name + ".mid").firstMicros(60 * SECOND);
      int set = bestDiatonicSet(tune);
      for (int shift : new int[] {0, 5, -3}) {
        Tunes.Tune moved = tune.transpose(shift);
        int expected = rotate(set, shift);
        double share = shareFrom8s(moved, key -> key.pitchClasses() == expected);
        assertTrue(share >= 0.8, moved.name() + ": " + share);
      }
    }
  }

  /** The major scale's pitch set (any of its 12 transpositions) holding most sounding time. */
  private static int bestDiatonicSet(Tunes.Tune tune) {
    double[] weight = new double[12];
    tune.notes().forEach(n -> weight[n.pitch() % 12] += n.durationMicros());
    int best = 0;
    double bestWeight = -1;
    for (int tonic = 0; tonic < 12; tonic++) {
      int set = Key.of(tonic, Scale.MAJOR).pitchClasses();
      double w = 0;
      for (int pc = 0; pc < 12; pc++) {
        w += (set >> pc & 1) * weight[pc];
      }
      if (w > bestWeight) {
        bestWeight = w;
        best = set;
      }
    }
    return best;
  }

  private static int rotate(int set, int shift) {
    int s = Math.floorMod(shift, 12);
    return ((set << s) | (set >>> (12 - s))) & 0xFFF;
  }

  @Test
  void followsAModulationBetweenTwoTunesWithinEightSeconds() {
    String[][] pairs = {{"ashover13", "jigs339"}, {"ashover27", "jigs268"}, {"jigs10", "ashover18"},
        {"ashover24", "morris1"}, {"jigs111", "ashover27"}};
    for (String[] pair : pairs) {
      Tunes.Tune first = Tunes.fixture("nottingham-" + pair[0] + ".mid").firstMicros(30 * SECOND);
      Tunes.Tune second = Tunes.fixture("nottingham-" + pair[1] + ".mid").transpose(-5);
      Tunes.Tune both = Tunes.splice(first, second, 0);
      long switchAt = first.endMicros();
      long[] followedAt = {-1};
      Tunes.play(both, new KeyEstimator(), 100_000, (t, key) -> {
        if (t >= switchAt && followedAt[0] < 0 && key == second.writtenKey()) {
          followedAt[0] = t;
        }
      });
      assertTrue(followedAt[0] >= 0, both.name() + ": never followed to " + second.writtenKey());
      double seconds = (followedAt[0] - switchAt) / 1e6;
      System.out.printf("%s: %s -> %s followed in %.1f s%n", both.name(), first.writtenKey(),
          second.writtenKey(), seconds);
      assertTrue(seconds <= 8, both.name() + " followed in " + seconds + " s");
    }
  }

  @Test
  void aShortExcursionDoesNotMoveTheReportedKey() {
    KeyEstimator estimator = new KeyEstimator();
    long t = 0;
    int[] cMajor = {60, 64, 67, 65, 62, 71, 69, 72};
    for (int i = 0; i < 40; i++) {
      t = note(estimator, cMajor[i % cMajor.length], t, 250);
    }
    assertEquals(Key.parse("C major"), estimator.current());
    long changes = estimator.changes();
    int[] eFlatMajor = {63, 67, 70, 68, 65, 62, 60};
    for (int i = 0; i < 6; i++) {
      t = note(estimator, eFlatMajor[i % eFlatMajor.length], t, 250);
    }
    for (int i = 0; i < 16; i++) {
      t = note(estimator, cMajor[i % cMajor.length], t, 250);
    }
    assertEquals(Key.parse("C major"), estimator.current());
    assertEquals(changes, estimator.changes());
    assertTrue(estimator.confidence() > 0.5, "confidence " + estimator.confidence());
  }

  private static long note(KeyEstimator estimator, int pitch, long millis, long length) {
    estimator.noteOn(pitch, millis * 1_000_000);
    estimator.update(millis * 1_000_000);
    estimator.noteOff(pitch, (millis + length) * 1_000_000);
    estimator.update((millis + length) * 1_000_000);
    return millis + length;
  }

  @Test
  void updatesWithoutAllocating() {
    KeyEstimator estimator = new KeyEstimator();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = Long.MAX_VALUE;
    long t = 0;
    for (int window = 0; window < 20 && allocated > 0; window++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 2000; i++) {
        t = note(estimator, 60 + (i * 7) % 12, t, 100);
      }
      allocated = threads.getCurrentThreadAllocatedBytes() - before;
    }
    assertEquals(0, allocated);
    assertNotNull(estimator.current());
  }

  @Test
  void rejectsAWindowOutsideItsRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KeyEstimator(KeyProfile.TEMPERLEY, 0.5, 0.1, 1, 1024));
    assertEquals("key window must be 1..60 s, got 0.5", e.getMessage());
  }
}
