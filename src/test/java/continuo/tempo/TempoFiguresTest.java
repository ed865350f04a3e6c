package continuo.tempo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.tempo.TempoFixtures.Tune;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Prints the figures docs/tempo.md quotes: the beat tracker's settle time and error over every
 * fixture, time-scaled, ramped and stepped, and the clock follower's error under jitter. Checks
 * only that the figures are what the document claims at their loosest (the targets are asserted in
 * {@link BeatTrackerTest} and {@link MidiClockFollowerTest}).
 */
class TempoFiguresTest {
  private static final long START = 1_000_000_000L;
  private static final double[] FACTORS = {0.67, 0.8, 1.0, 1.25, 1.5};

  private static String stats(String label, double[] values, int n, String unit) {
    double[] v = Arrays.copyOf(values, n);
    Arrays.sort(v);
    return String.format("%-44s n=%3d  median %7.3f  p90 %7.3f  max %7.3f %s", label, n,
        v[n / 2], v[Math.min(n - 1, (int) Math.ceil(0.9 * n) - 1)], v[n - 1], unit);
  }

  @Test
  void trackerFiguresOverTheFixtures() {
    for (String group : new String[] {"nottingham", "pop909"}) {
      double[] settle = new double[100];
      double[] error = new double[100];
      double[] share = new double[100];
      int n = 0;
      int[] levels = new int[5];
      for (Tune tune : TempoFixtures.all()) {
        if (!tune.name().startsWith(group)) {
          continue;
        }
        for (double f : FACTORS) {
          double bpm = tune.writtenBpm() * f;
          if (bpm < 60 || bpm > 180) {
            continue;
          }
          TrackerRuns.Result r = TrackerRuns.run(
              TempoFixtures.perform(tune, TempoFixtures.steady(bpm), START), 0.03, 0);
          settle[n] = Math.min(r.settleBeats(), 999) / tune.beatsPerBar();
          error[n] = Double.isNaN(r.medianError()) ? 100 : Math.min(r.medianError(), 1) * 100;
          share[n] = r.shareWithin() * 100;
          levels[r.level() == 99 ? 4 : Math.max(0, Math.min(3, r.level() + 2))]++;
          n++;
        }
      }
      System.out.println(stats(group + " steady 60-180 bpm: settle", settle, n, "bars"));
      System.out.println(stats(group + " steady: median error after settling", error, n, "%"));
      double[] low = Arrays.copyOf(share, n);
      Arrays.sort(low);
      System.out.printf("%-44s n=%3d  median %7.3f  p10 %7.3f  min %7.3f %%%n",
          group + " steady: onsets within 3 % after 2 bars", n, low[n / 2], low[n / 10], low[0]);
      System.out.println(group + " metrical level (1/4x, 1/2x, 1x, 2x, never settled): "
          + Arrays.toString(levels));
      double[] ramp = new double[40];
      double[] rampErr = new double[40];
      double[] step = new double[40];
      int r = 0;
      int s = 0;
      for (Tune tune : TempoFixtures.all()) {
        if (!tune.name().startsWith(group)) {
          continue;
        }
        double bpm = tune.writtenBpm();
        for (double to : new double[] {1.1, 0.9}) {
          TrackerRuns.Result x = TrackerRuns.run(TempoFixtures.perform(
              tune, TempoFixtures.ramp(bpm, 16, 32, bpm * to), START), 0.03, 0);
          ramp[r] = Math.min(x.settleBeats(), 999) / tune.beatsPerBar();
          rampErr[r++] = Math.min(x.maxErrorAfterSettle(), 1) * 100;
        }
        for (double to : new double[] {1.2, 0.8}) {
          TrackerRuns.Result x = TrackerRuns.run(TempoFixtures.perform(
              tune, TempoFixtures.ramp(bpm, 32, 0, bpm * to), START), 0.03, 32);
          step[s++] = Math.max(0, Math.min(x.settleBeats(), 999) - 32) / tune.beatsPerBar();
        }
      }
      System.out.println(stats(group + " ramp +-10 % over 8 bars: settle", ramp, r, "bars"));
      System.out.println(stats(group + " ramp: max error after settling", rampErr, r, "%"));
      System.out.println(stats(group + " step +-20 %: bars to follow", step, s, "bars"));
      assertTrue(n > 0 && r > 0 && s > 0);
    }
  }

  /** Steps smaller than the table's, at beat 32 on every fixture (60-180 bpm after the step). */
  @Test
  void trackerFollowsSmallerSteps() {
    for (double to : new double[] {1.05, 0.95, 1.08, 0.92, 1.1, 0.9, 1.15, 0.85}) {
      double[] bars = new double[20];
      int n = 0;
      for (Tune tune : TempoFixtures.all()) {
        double bpm = tune.writtenBpm();
        if (bpm * to < 60 || bpm * to > 180) {
          continue;
        }
        TrackerRuns.Result x = TrackerRuns.run(TempoFixtures.perform(
            tune, TempoFixtures.ramp(bpm, 32, 0, bpm * to), START), 0.03, 32);
        bars[n++] = Math.max(0, Math.min(x.settleBeats(), 999) - 32) / tune.beatsPerBar();
      }
      System.out.println(stats(String.format("step x%.2f: bars to follow", to), bars, n, "bars"));
      assertTrue(n > 0);
    }
  }

  /**
   * A player's uneven timing: every fixture at 0.8x, 1.0x and 1.25x (60-180 bpm), each onset (a
   * chord's notes together) moved by Gaussian noise, 5 seeds each; the tracker's re-seeds after
   * bar 4 and its share of notes within 3 % from there on.
   */
  @Test
  void trackerUnderTimingNoise() {
    for (double sd : new double[] {0.005, 0.010, 0.020}) {
      long reseeds = 0;
      double sum = 0;
      int runs = 0;
      for (Tune tune : TempoFixtures.all()) {
        for (double f : new double[] {0.8, 1.0, 1.25}) {
          double bpm = tune.writtenBpm() * f;
          if (bpm < 60 || bpm > 180) {
            continue;
          }
          for (int seed = 0; seed < 5; seed++) {
            TempoFixtures.Performance p =
                TempoFixtures.perform(tune, TempoFixtures.steady(bpm), START);
            SplittableRandom random = new SplittableRandom(seed * 31 + runs);
            long[] nanos = new long[p.size()];
            for (int i = 0; i < nanos.length; i++) {
              boolean chord = i > 0 && p.nanos()[i] == p.nanos()[i - 1];
              long moved = p.nanos()[i] + Math.round(gaussian(random) * sd * 1e9);
              nanos[i] = chord ? nanos[i - 1] : i > 0 ? Math.max(moved, nanos[i - 1]) : moved;
            }
            BeatTracker t = new BeatTracker();
            int counted = 0;
            int within = 0;
            long seedsBefore = -1;
            for (int i = 0; i < nanos.length; i++) {
              t.noteOn(nanos[i], p.pitches()[i], p.velocities()[i]);
              long now = nanos[i] + BeatTracker.CHORD_NANOS + 1;
              t.update(i + 1 < nanos.length ? Math.min(now, nanos[i + 1]) : now);
              if (p.beats()[i] >= 4 * tune.beatsPerBar()) {
                seedsBefore = seedsBefore < 0 ? t.seeds() : seedsBefore;
                counted++;
                within += t.settled() && TempoFixtures.octaveError(t.bpm(), bpm) <= 0.03 ? 1 : 0;
              }
            }
            reseeds += t.seeds() - Math.max(seedsBefore, 0);
            sum += within / (double) counted;
            runs++;
          }
        }
      }
      System.out.printf("timing noise %2.0f ms: %d runs, re-seeds after bar 4 %d, notes within 3 %%"
          + " %.1f %%%n", sd * 1000, runs, reseeds, 100 * sum / runs);
      assertTrue(runs > 0);
    }
  }

  private static double gaussian(SplittableRandom random) {
    double u = random.nextDouble(1e-12, 1);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  @Test
  void clockFollowerErrorUnderJitter() {
    for (double bpm : new double[] {90, 140}) {
      for (int beats : new int[] {1, 4}) {
        double[] err = new double[2000];
        for (int seed = 0; seed < err.length; seed++) {
          MidiClockFollower c = new MidiClockFollower();
          SplittableRandom random = new SplittableRandom(seed);
          double period = 60e9 / (bpm * 24);
          for (int i = 0; i < 24 * beats; i++) {
            c.onMessage(0xF8, 0, 0,
                START + Math.round(i * period) + random.nextLong(-1_000_000, 1_000_001));
          }
          err[seed] = Math.abs(c.bpm() - bpm);
        }
        Arrays.sort(err);
        System.out.printf("clock %3.0f bpm +-1 ms after %d beat(s): median %.3f  p99 %.3f  max"
            + " %.3f bpm%n", bpm, beats, err[1000], err[1979], err[1999]);
        assertTrue(err[1999] < 0.5);
      }
    }
  }
}
