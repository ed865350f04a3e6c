package continuo.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmStepper;
import continuo.model.Models;
import continuo.model.RandomModels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  static final int[] PRIMER = {
    PerformanceEncoding.velocity(20), PerformanceEncoding.noteOn(60), PerformanceEncoding.timeShift(25),
    PerformanceEncoding.noteOn(64), PerformanceEncoding.timeShift(25),
  };

  static int[] generate(long seed, long millis, float temperature) {
    try (LstmStepper stepper = Models.stepper(RandomModels.create(16, 32, 1, 5))) {
      Generator g = new Generator(stepper, seed);
      g.prime(PRIMER);
      return g.continueFor(millis, temperature, 1f, Generator.maxTokensFor(millis));
    }
  }

  @Test
  void onlyPlayableNoteEventsAreSampledAndEveryNoteEndsClosed() {
    int[] out = generate(1, 20_000, 1.5f);
    boolean[] sounding = new boolean[128];
    sounding[60] = true; // still held at the end of the primer
    sounding[64] = true;
    for (int t : out) {
      if (PerformanceEncoding.isNoteOn(t)) {
        assertFalse(sounding[PerformanceEncoding.pitch(t)], "NOTE_ON of a sounding pitch");
        sounding[PerformanceEncoding.pitch(t)] = true;
      } else if (PerformanceEncoding.isNoteOff(t)) {
        assertTrue(sounding[PerformanceEncoding.pitch(t)], "NOTE_OFF of a silent pitch");
        sounding[PerformanceEncoding.pitch(t)] = false;
      }
    }
    for (int p = 0; p < 128; p++) {
      assertFalse(sounding[p], "pitch " + p + " left sounding");
    }
    assertTrue(Arrays.stream(out).anyMatch(PerformanceEncoding::isNoteOn), "no notes at all");
  }

  @Test
  void itStopsWithinOneTimeShiftOfTheRequestedLength() {
    int[] out = generate(2, 5_000, 1f);
    long elapsed = Arrays.stream(out).filter(PerformanceEncoding::isTimeShift)
        .map(PerformanceEncoding::shiftMillis).sum();
    assertTrue(elapsed >= 5_000 && elapsed < 5_000 + PerformanceEncoding.MAX_SHIFT_MS,
        "generated " + elapsed + " ms");
  }

  @Test
  void theSeedDecides() {
    assertArrayEquals(generate(3, 3_000, 1f), generate(3, 3_000, 1f));
    assertFalse(Arrays.equals(generate(3, 3_000, 1f), generate(4, 3_000, 1f)));
  }

  @Test
  void aModelThatNeverMovesTheClockIsStoppedByTheTokenBound() {
    try (LstmStepper stepper = Models.stepper(RandomModels.create(16, 32, 1, 5))) {
      Generator g = new Generator(stepper, 1);
      g.prime(PRIMER);
      // Temperature 0 on a fixed model may well never choose a time shift; the bound ends it.
      int[] out = g.continueFor(60_000, 0f, 1f, 50);
      assertTrue(out.length <= 50 + 128, "bounded: " + out.length);
    }
    assertThrows(IllegalStateException.class, () -> {
      try (LstmStepper stepper = Models.stepper(RandomModels.create(16, 32, 1, 5))) {
        new Generator(stepper, 1).continueFor(1000, 1f, 1f, 10);
      }
    });
    assertEquals(1000 + 10 * 101, Generator.maxTokensFor(1000));
  }

  @Test
  void noNoteOutlastsTheLengthLimitPrimerNotesIncluded() {
    // The primer holds pitch 60 for 500 ms when it ends; the limit applies to it too.
    assertTrue(longestNote(Long.MAX_VALUE) > 700, "without a limit this model holds notes longer");
    assertTrue(longestNote(700) <= 700, "with it, no note is longer than the limit");
  }

  /** The longest note, in ms, of the primer plus 20 s generated under {@code limitMillis}. */
  private static long longestNote(long limitMillis) {
    int[] out;
    try (LstmStepper stepper = Models.stepper(RandomModels.create(16, 32, 1, 5))) {
      Generator g = new Generator(stepper, 6);
      if (limitMillis != Long.MAX_VALUE) {
        g.setMaxNoteMillis(limitMillis);
      }
      g.prime(PRIMER);
      out = g.continueFor(20_000, 1.2f, 1f, Generator.maxTokensFor(20_000));
    }
    int[] all = new int[PRIMER.length + out.length];
    System.arraycopy(PRIMER, 0, all, 0, PRIMER.length);
    System.arraycopy(out, 0, all, PRIMER.length, out.length);
    long clock = 0;
    long longest = 0;
    long[] onset = new long[128];
    for (int t : all) {
      if (PerformanceEncoding.isTimeShift(t)) {
        clock += PerformanceEncoding.shiftMillis(t);
      } else if (PerformanceEncoding.isNoteOn(t)) {
        onset[PerformanceEncoding.pitch(t)] = clock;
      } else if (PerformanceEncoding.isNoteOff(t)) {
        longest = Math.max(longest, clock - onset[PerformanceEncoding.pitch(t)]);
      }
    }
    return longest;
  }

  @Test
  void aModelWhoseScoresAreNotFiniteStopsGenerationWithOneSentenceNamingIt() {
    continuo.model.LstmWeights loaded = continuo.testkit.OverflowingModel.weights();
    try (LstmStepper stepper = Models.stepper(loaded)) {
      Generator g = new Generator(stepper, 1);
      g.prime(PRIMER);
      NonFiniteLogitsException e = assertThrows(NonFiniteLogitsException.class,
          () -> g.continueFor(5_000, 1f, 1f, Generator.maxTokensFor(5_000)));
      assertTrue(e.getMessage().startsWith("model " + loaded.config().name() + " gives scores"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }
}
