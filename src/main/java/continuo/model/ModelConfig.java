package continuo.model;

import java.util.Map;

/**
 * What {@code model.json} says about a model: its name, description, encoding and LSTM
 * architecture, and free-form training provenance. Immutable.
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
    Map<String, Object> training) {

  public ModelConfig {
    training = training == null ? Map.of() : Map.copyOf(training);
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
