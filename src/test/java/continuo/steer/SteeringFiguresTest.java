package continuo.steer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.EventEncoder;
import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.model.ModelFile;
import continuo.model.Models;
import continuo.sample.Sampler;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The measures that need no engine: the shipped folk model generating from real primers
 * with the biases applied before sampling, as the sampler will apply them.
 */
class SteeringFiguresTest {
  private static LstmStepper stepper;

  @BeforeAll
  static void load() throws Exception {
    stepper = Models.stepper(ModelFile.read(Path.of("models/folk.cmodel")));
  }

  @AfterAll
  static void close() {
    stepper.close();
  }

  /** What a run produced: its events and notes, the time it covered, and the bias's cost. */
  record Run(int events, int[] pitches, int notes, long millis, long[] biasNanos,
      long allocatedBytes) {
    double notesPerSecond() {
      return notes * 1000.0 / millis;
    }

    double share(Key key) {
      int in = 0;
      for (int i = 0; i < notes; i++) {
        in += key.contains(pitches[i]) ? 1 : 0;
      }
      return in / (double) notes;
    }
  }

  /**
   * The minimal generation loop: prime with the first 8 s of a tune, then sample {@code events}
   * events, a NOTE_OFF only for a sounding pitch and a NOTE_ON only for a silent one, the bias
   * applied to every step's logits.
   */
  static Run generate(Tunes.Tune primer, LogitBias bias, float temperature, int events,
      long seed) {
    int[] tokens = EventEncoder.encode(primer.firstMicros(8_000_000).notes());
    LstmState state = stepper.newState();
    float[] logits = new float[PerformanceEncoding.VOCAB_SIZE];
    for (int i = 0; i < tokens.length - 1; i++) {
      stepper.advance(state, tokens[i]);
    }
    stepper.step(state, tokens[tokens.length - 1], logits);
    boolean[] sounding = new boolean[128];
    Sampler sampler = new Sampler(seed, PerformanceEncoding.VOCAB_SIZE);
    int[] pitches = new int[events];
    long[] biasNanos = new long[events];
    int notes = 0;
    long millis = 0;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = 0;
    for (int n = 0; n < events; n++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      long t0 = System.nanoTime();
      bias.apply(logits);
      biasNanos[n] = System.nanoTime() - t0;
      allocated += threads.getCurrentThreadAllocatedBytes() - before;
      for (int p = 0; p < 128; p++) {
        logits[(sounding[p] ? PerformanceEncoding.NOTE_ON : PerformanceEncoding.NOTE_OFF) + p] =
            Float.NEGATIVE_INFINITY;
      }
      int token = sampler.sample(logits, temperature, 1f);
      if (PerformanceEncoding.isNoteOn(token)) {
        pitches[notes++] = PerformanceEncoding.pitch(token);
        sounding[PerformanceEncoding.pitch(token)] = true;
      } else if (PerformanceEncoding.isNoteOff(token)) {
        sounding[PerformanceEncoding.pitch(token)] = false;
      } else if (PerformanceEncoding.isTimeShift(token)) {
        millis += PerformanceEncoding.shiftMillis(token);
      }
      stepper.step(state, token, logits);
    }
    return new Run(events, pitches, notes, millis, biasNanos, allocated);
  }

  private static Tunes.Tune primer(String name, int semitones) {
    return Tunes.fixture("nottingham-" + name + ".mid").transpose(semitones);
  }

  @Test
  void tenThousandEventsInFMajorBetween60And79HaveNoNoteOutOfKeyOrRange() {
    LogitBias bias = new LogitBias();
    Key f = Key.parse("F major");
    bias.setKey(f);
    bias.setRange(60, 79, false);
    String[] primers = {"ashover13", "jigs111", "morris1", "ashover24", "jigs339"};
    int notes = 0;
    long[] cost = new long[0];
    long allocated = 0;
    for (int i = 0; i < primers.length; i++) {
      Run run = generate(primer(primers[i], 0), bias, 1.3f, 2000, i + 1);
      for (int j = 0; j < run.notes(); j++) {
        int p = run.pitches()[j];
        assertTrue(f.contains(p) && p >= 60 && p <= 79, primers[i] + ": pitch " + p);
      }
      notes += run.notes();
      cost = concat(cost, Arrays.copyOfRange(run.biasNanos(), 500, run.events()));
      allocated += run.allocatedBytes();
    }
    assertTrue(notes > 1000, "only " + notes + " notes in 10,000 events");
    Arrays.sort(cost);
    System.out.printf("F major [60, 79] at 1.3: %d notes in 10,000 events, all in key and range;"
        + " bias cost median %d ns, p99 %d ns, %d bytes allocated%n", notes,
        cost[cost.length / 2], cost[(int) (cost.length * 0.99)], allocated);
  }

  @Test
  void theDensityKnobChangesNotesPerSecondMonotonicallyAndAtLeastTwofold() {
    double[] densities = {0.25, 0.5, 1, 2, 4};
    double[] rate = new double[densities.length];
    String[] primers = {"ashover13", "jigs10", "ashover18", "jigs268"};
    for (int d = 0; d < densities.length; d++) {
      LogitBias bias = new LogitBias();
      bias.setDensity(densities[d]);
      long notes = 0;
      long millis = 0;
      for (int i = 0; i < primers.length; i++) {
        Run run = generate(primer(primers[i], 0), bias, 1.0f, 3000, 10 + i);
        notes += run.notes();
        millis += run.millis();
      }
      rate[d] = notes * 1000.0 / millis;
    }
    System.out.println("density " + Arrays.toString(densities) + " -> notes/s "
        + Arrays.toString(Arrays.stream(rate).map(r -> Math.round(r * 100) / 100.0).toArray()));
    for (int d = 1; d < rate.length; d++) {
      assertTrue(rate[d] > rate[d - 1], Arrays.toString(rate));
    }
    assertTrue(rate[rate.length - 1] >= 2 * rate[0], Arrays.toString(rate));
  }

  @Test
  void atTemperature16TheKeyMaskKeepsEveryNoteInKeyWhereTheModelAloneStrays() {
    Key eFlat = Key.parse("Eb major");
    String[] primers = {"ashover24", "ashover13", "ashover27"};
    int[] shifts = {-6, 1, -4};
    LogitBias off = new LogitBias();
    LogitBias on = new LogitBias();
    on.setKey(eFlat);
    double shareOff = 0;
    double shareOn = 0;
    for (int i = 0; i < primers.length; i++) {
      Tunes.Tune tune = primer(primers[i], shifts[i]);
      assertEquals(eFlat, tune.writtenKey());
      shareOff += generate(tune, off, 1.6f, 3000, 20 + i).share(eFlat) / primers.length;
      shareOn += generate(tune, on, 1.6f, 3000, 20 + i).share(eFlat) / primers.length;
    }
    System.out.printf("Eb major primers at 1.6: in key %.1f%% with key off, %.1f%% with the mask%n",
        100 * shareOff, 100 * shareOn);
    assertEquals(1.0, shareOn, 1e-12);
    assertTrue(shareOff < 0.99, "off: " + shareOff);
  }

  @Test
  void withTheKeyEstimatedFromPrimersInUncommonKeysTheAnswerStaysInThePlayersKey() {
    String[] primers = {"ashover24", "jigs111", "ashover18", "morris1", "ashover27"};
    int[] shifts = {-3, 1, 1, -2, -1};
    double shareAuto = 0;
    double shareOff = 0;
    StringBuilder report = new StringBuilder();
    for (int i = 0; i < primers.length; i++) {
      Tunes.Tune tune = primer(primers[i], shifts[i]);
      KeyEstimator estimator = new KeyEstimator();
      Tunes.play(tune.firstMicros(8_000_000), estimator, 100_000, (t, key) -> { });
      LogitBias auto = new LogitBias();
      auto.setKey(estimator.current());
      double on = generate(tune, auto, 1.6f, 3000, 30 + i).share(tune.writtenKey());
      double off = generate(tune, new LogitBias(), 1.6f, 3000, 30 + i).share(tune.writtenKey());
      report.append(String.format(" %s %s (heard as %s): %.1f%% vs %.1f%% off;", tune.name(),
          tune.writtenKey(), estimator.current(), 100 * on, 100 * off));
      shareAuto += on / primers.length;
      shareOff += off / primers.length;
    }
    System.out.printf("key auto at 1.6: in the player's key %.1f%%, key off %.1f%%:%s%n",
        100 * shareAuto, 100 * shareOff, report);
    assertTrue(shareAuto >= 0.95, report.toString());
    assertTrue(shareAuto >= shareOff + 0.1, report.toString());
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
