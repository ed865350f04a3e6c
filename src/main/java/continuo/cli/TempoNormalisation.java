package continuo.cli;

import continuo.model.ModelConfig;
import continuo.train.TempoMaps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --tempo-normalise} and {@code --reference-bpm}, shared by {@code encode --shards}, {@code
 * train --corpus} and {@code eval}: whether each piece reaches the model at one tempo R (its notes placed
 * through its own tempo map, a note b quarter notes from the start at b * 60/R seconds), and which
 * R: the corpus's median tempo ({@link TempoMaps#medianBpm}; for {@code eval}, the model's reference
 * tempo) unless {@code --reference-bpm} gives one.
 */
final class TempoNormalisation {
  @Option(names = "--tempo-normalise",
      description = "Place every piece at the reference tempo through its own tempo map before"
          + " encoding it (a note b beats from the start at b * 60/R s).")
  boolean normalise;

  @Option(names = "--reference-bpm", paramLabel = "R",
      description = "With --tempo-normalise: the tempo to place the pieces at (20..400; default:"
          + " the reference tempo, the corpus's median for encode and train, the model's for"
          + " eval).")
  Double referenceBpm;

  /** Refuses bad values in one line: a tempo out of range, or one without the option it serves. */
  void check() {
    if (referenceBpm != null && !normalise) {
      throw new UserError("--reference-bpm goes with --tempo-normalise");
    }
    if (referenceBpm != null && !ModelConfig.isReferenceBpm(referenceBpm)) {
      throw new UserError("--reference-bpm must be " + (int) ModelConfig.MIN_REFERENCE_BPM + ".."
          + (int) ModelConfig.MAX_REFERENCE_BPM + ", got " + referenceBpm);
    }
  }

  /**
   * The tempo to place the pieces of {@code corpus} at, or NaN if they are encoded as written;
   * {@code median} is the corpus's median tempo (null: none known), as {@link TempoMaps#medianBpm}
   * gives it.
   */
  double bpm(Double median) {
    return bpm(median, "the corpus's median tempo");
  }

  /**
   * The tempo to place pieces at, or NaN if they are read as written: {@code --reference-bpm}, or
   * else {@code fallback} ({@code fallbackIs} says what it is, for the error when it is null or out
   * of range).
   */
  double bpm(Double fallback, String fallbackIs) {
    check();
    if (!normalise) {
      return Double.NaN;
    }
    if (referenceBpm != null) {
      return referenceBpm;
    }
    if (fallback == null || !ModelConfig.isReferenceBpm(fallback)) {
      throw new UserError("--tempo-normalise: " + fallbackIs + " is not known or not in 20..400"
          + " bpm (" + fallback + "); give --reference-bpm");
    }
    return fallback;
  }

  /** {@link #bpm(Double)} with the median read from {@code corpus}'s tempo maps. */
  double bpm(List<Path> corpus) {
    check();
    if (!normalise) {
      return Double.NaN;
    }
    try {
      return bpm(referenceBpm != null ? null : TempoMaps.medianBpm(corpus));
    } catch (IOException e) {
      throw new UserError("--corpus: " + e.getMessage(), e);
    }
  }
}
