package continuo.steer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The estimator over the whole Nottingham corpus, against each tune's written key signature:
 * the share of time (from 8 s on) the reported key is the written one, for each profile. Runs only
 * with {@code CONTINUO_CORPORA} pointing at the corpora folder.
 */
@EnabledIfEnvironmentVariable(named = "CONTINUO_CORPORA", matches = ".+")
class KeyEstimatorCorpusTest {
  @Test
  void theDefaultProfileAgreesWithTheWrittenKeyMostOfTheTime() throws IOException {
    Path dir = Path.of(System.getenv("CONTINUO_CORPORA"), "nottingham", "midi");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".mid")).sorted().toList();
    }
    double best = 0;
    for (KeyProfile profile : KeyProfile.values()) {
      long[] agree = new long[4];
      for (Path file : files) {
        Tunes.Tune tune = Tunes.parse(Files.readAllBytes(file), file.getFileName().toString());
        if (tune.writtenKey() == null) {
          continue;
        }
        KeyEstimator estimator = new KeyEstimator(profile, KeyEstimator.DEFAULT_WINDOW_SECONDS,
            KeyEstimator.DEFAULT_MARGIN, KeyEstimator.DEFAULT_HOLD_SECONDS, 1024);
        Tunes.play(tune, estimator, 250_000, (t, key) -> {
          if (t >= 8_000_000) {
            agree[0]++;
            if (key == tune.writtenKey()) {
              agree[1]++;
            }
            if (key != null && key.pitchClasses() == tune.writtenKey().pitchClasses()) {
              agree[2]++;
            }
          }
        });
        agree[3]++;
      }
      double share = agree[1] / (double) agree[0];
      System.out.printf("%s: %d tunes, written key %.1f%% of the time, its pitch set %.1f%%%n",
          profile, agree[3], 100 * share, 100.0 * agree[2] / agree[0]);
      if (profile == KeyProfile.TEMPERLEY) {
        best = share;
      }
    }
    assertTrue(best > 0.85, "default profile agrees " + best);
  }
}
