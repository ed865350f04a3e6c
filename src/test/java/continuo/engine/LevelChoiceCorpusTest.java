package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.model.LstmStepper;
import continuo.model.ModelFile;
import continuo.model.Models;
import continuo.tempo.MetricalLevel;
import continuo.testkit.Corpora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Corpus-wide: how often the model, asked as the live engine asks it ({@link LevelChoice}, the
 * player's last {@link Timekeeper#WINDOW_EVENTS} note events), hears the first 8 bars of a corpus
 * piece performed at 0.67x, 1.0x and 1.5x at its written tempo, against the onset density alone
 * over the tracker's octaves ({@link MetricalLevel}, what the engine did before it asked). Every
 * tenth Nottingham tune (written at 120 bpm) with the folk model and every 25th POP909 song (at
 * its tempo map's tempo) with the piano model. The figures are in docs/tempo.md.
 */
@EnabledIfEnvironmentVariable(named = Corpora.ENV, matches = ".+")
class LevelChoiceCorpusTest {
  static final double[] SPEEDS = {0.67, 1.0, 1.5};

  /**
   * Per speed: pieces whose written level the model found, and the density found; then the
   * pieces heard at one level (relative to the written one) at all three speeds, by each.
   */
  static int[] judge(String model, Path dir, int every, boolean tempoMap) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".mid")).sorted().toList();
    }
    int[] right = new int[2 * SPEEDS.length + 3];
    try (LstmStepper stepper = Models.stepper(ModelFile.read(Path.of("models", model + ".cmodel")))) {
      LevelChoice choice = new LevelChoice(stepper);
      double reference = ReferenceTempo.of(stepper.config());
      double density = ReferenceTempo.onsetsPerBeat(stepper.config());
      for (int f = 0; f < files.size(); f += every) {
        double written = tempoMap
            ? continuo.midifile.MidiFileReader.read(files.get(f)).tempoMap().bpmAt(0) : 120;
        double[] heard = new double[SPEEDS.length];
        double[] dense = new double[SPEEDS.length];
        for (int i = 0; i < SPEEDS.length; i++) {
          LevelChoiceTest.Performance p =
              LevelChoiceTest.perform(files.get(f), written, 32, SPEEDS[i]);
          double truth = written * SPEEDS[i];
          heard[i] = choice.choose(p.window(), p.trackerBpm(), reference, density, Double.NaN)
              / truth;
          MetricalLevel level = new MetricalLevel();
          level.use(reference, density);
          for (int e = 0; e < p.window().size(); e++) {
            if ((p.window().events[e] & 0xFF) > 0) {
              level.noteOn(p.window().nanos[e]);
            }
          }
          dense[i] = level.levelOf(p.trackerBpm()) / truth;
          right[i] += Math.abs(Math.log(heard[i])) < Math.log(1.03) ? 1 : 0;
          right[SPEEDS.length + i] += Math.abs(Math.log(dense[i])) < Math.log(1.03) ? 1 : 0;
        }
        right[2 * SPEEDS.length] += sameLevel(heard) ? 1 : 0;
        right[2 * SPEEDS.length + 1] += sameLevel(dense) ? 1 : 0;
        right[2 * SPEEDS.length + 2]++;
      }
    }
    int n = right[2 * SPEEDS.length + 2];
    System.out.printf(Locale.ROOT, "%s, %d pieces: written level found by the model at 0.67x/1.0x/"
        + "1.5x %d/%d/%d (%.0f/%.0f/%.0f %%), by the density %d/%d/%d (%.0f/%.0f/%.0f %%); one level "
        + "at all three speeds: model %d (%.0f %%), density %d (%.0f %%)%n", model, n, right[0],
        right[1], right[2], 100.0 * right[0] / n, 100.0 * right[1] / n, 100.0 * right[2] / n,
        right[3], right[4], right[5], 100.0 * right[3] / n, 100.0 * right[4] / n,
        100.0 * right[5] / n, right[6], 100.0 * right[6] / n, right[7], 100.0 * right[7] / n);
    return right;
  }

  private static boolean sameLevel(double[] r) {
    for (double x : r) {
      if (Math.abs(Math.log(x / r[1])) > Math.log(1.03)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void folkHearsMostTunesAtTheirWrittenLevelAndMoreThanTheDensityDid() throws Exception {
    int[] r = judge("folk", Corpora.full().resolve(Path.of("nottingham", "midi")), 10, false);
    int n = r[7 + 1];
    for (int i = 0; i < SPEEDS.length; i++) {
      assertTrue(r[i] >= 0.8 * n, "folk at x" + SPEEDS[i] + ": " + r[i] + " of " + n);
      assertTrue(r[i] > r[SPEEDS.length + i], "folk at x" + SPEEDS[i] + ": the model found " + r[i]
          + ", the density " + r[SPEEDS.length + i]);
    }
  }

  @Test
  void pianoHearsMostSongsAtTheirWrittenLevel() throws Exception {
    int[] r = judge("piano", Corpora.full().resolve("pop909"), 25, true);
    int n = r[7 + 1];
    for (int i = 0; i < SPEEDS.length; i++) {
      assertTrue(r[i] >= 0.7 * n, "piano at x" + SPEEDS[i] + ": " + r[i] + " of " + n);
    }
  }
}
