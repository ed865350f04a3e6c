package continuo.model;

import java.util.Map;

/**
 * What {@code model.json} says about a model: its name, description, encoding (with the tempo the
 * model speaks at, when known) and LSTM architecture, and free-form training provenance.
 * Immutable.
 *
 * @param name short model name
 * @param description one-sentence description for humans
 * @param timeShiftMs encoding: milliseconds per TIME_SHIFT step (10)
 * @param timeShiftSteps encoding: number of TIME_SHIFT tokens (100)
 * @param velocityBins encoding: number of VELOCITY tokens (32)
 * @param vocabSize V (388)
 * @param embeddingSize E, or 0 for one-hot input
 * @param hiddenSize H
 * @param layers L
 * @param training free-form provenance (corpus, split, epochs, validation figures); JSON values
 * @param referenceBpm encoding: the tempo the model speaks at ({@code reference_bpm}, the median
 *     tempo of its corpus), 20..400 bpm, or NaN when the file does not say (older files)
 * @param onsetsPerBeat encoding: how dense the model's music is at its reference tempo ({@code
 *     onsets_per_beat}, the median over its corpus of distinct onsets per quarter-note beat of the
 *     tempo map), 0.05..64, or NaN when the file does not say
 */
public record ModelConfig(
    String name,
    String description,
    int timeShiftMs,
    int timeShiftSteps,
    int velocityBins,
    int vocabSize,
    int embeddingSize,
    int hiddenSize,
    int layers,
    Map<String, Object> training,
    double referenceBpm,
    double onsetsPerBeat) {

  /** The reference tempos a model file may give, in bpm. */
  public static final double MIN_REFERENCE_BPM = 20;
  public static final double MAX_REFERENCE_BPM = 400;
  /** The onset densities a model file may give, in distinct onsets per beat. */
  public static final double MIN_ONSETS_PER_BEAT = 0.05;
  public static final double MAX_ONSETS_PER_BEAT = 64;

  public ModelConfig {
    training = training == null ? Map.of() : Map.copyOf(training);
    if (!Double.isNaN(referenceBpm) && !isReferenceBpm(referenceBpm)) {
      throw new IllegalArgumentException("reference_bpm must be " + MIN_REFERENCE_BPM + ".."
          + MAX_REFERENCE_BPM + " or NaN, got " + referenceBpm);
    }
    if (!Double.isNaN(onsetsPerBeat) && !isOnsetsPerBeat(onsetsPerBeat)) {
      throw new IllegalArgumentException("onsets_per_beat must be " + MIN_ONSETS_PER_BEAT + ".."
          + MAX_ONSETS_PER_BEAT + " or NaN, got " + onsetsPerBeat);
    }
  }

  /** A config that may give a reference tempo but not the onset density. */
  public ModelConfig(String name, String description, int timeShiftMs, int timeShiftSteps,
      int velocityBins, int vocabSize, int embeddingSize, int hiddenSize, int layers,
      Map<String, Object> training, double referenceBpm) {
    this(name, description, timeShiftMs, timeShiftSteps, velocityBins, vocabSize, embeddingSize,
        hiddenSize, layers, training, referenceBpm, Double.NaN);
  }

  /** A config whose file does not say its reference tempo. */
  public ModelConfig(String name, String description, int timeShiftMs, int timeShiftSteps,
      int velocityBins, int vocabSize, int embeddingSize, int hiddenSize, int layers,
      Map<String, Object> training) {
    this(name, description, timeShiftMs, timeShiftSteps, velocityBins, vocabSize, embeddingSize,
        hiddenSize, layers, training, Double.NaN, Double.NaN);
  }

  /** Whether {@code bpm} is a tempo a model file may give: finite, 20..400. */
  public static boolean isReferenceBpm(double bpm) {
    return bpm >= MIN_REFERENCE_BPM && bpm <= MAX_REFERENCE_BPM;
  }

  /** Whether the file gives the model's reference tempo. */
  public boolean hasReferenceBpm() {
    return !Double.isNaN(referenceBpm);
  }

  /** Whether {@code density} is an onset density a model file may give: finite, 0.05..64. */
  public static boolean isOnsetsPerBeat(double density) {
    return density >= MIN_ONSETS_PER_BEAT && density <= MAX_ONSETS_PER_BEAT;
  }

  /** Whether the file gives how dense the model's music is at its reference tempo. */
  public boolean hasOnsetsPerBeat() {
    return !Double.isNaN(onsetsPerBeat);
  }

  /** This config with reference tempo {@code bpm} (NaN: none). */
  public ModelConfig withReferenceBpm(double bpm) {
    return new ModelConfig(name, description, timeShiftMs, timeShiftSteps, velocityBins, vocabSize,
        embeddingSize, hiddenSize, layers, training, bpm, onsetsPerBeat);
  }

  /** This config with onset density {@code density} (NaN: none). */
  public ModelConfig withOnsetsPerBeat(double density) {
    return new ModelConfig(name, description, timeShiftMs, timeShiftSteps, velocityBins, vocabSize,
        embeddingSize, hiddenSize, layers, training, referenceBpm, density);
  }

  /** Width of the first LSTM layer's input: E, or V when the input is one-hot. */
  public int inputSize() {
    return embeddingSize == 0 ? vocabSize : embeddingSize;
  }

  /** A config for the standard performance encoding with the given architecture. */
  public static ModelConfig performance(
      String name, String description, int embeddingSize, int hiddenSize, int layers,
      Map<String, Object> training) {
    return new ModelConfig(
        name, description, 10, 100, 32, 388, embeddingSize, hiddenSize, layers, training);
  }
}
