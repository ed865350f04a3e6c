package continuo.engine;

import continuo.model.ModelConfig;

/**
 * The tempo a model speaks at, decided in this one place for the live engine and {@code generate}
 * alike: the player's time is warped to it before the model hears it, and the model's TIME_SHIFTs
 * are warped from it to the current tempo. Pure; any thread.
 */
public final class ReferenceTempo {
  private ReferenceTempo() {}

  /**
   * The reference tempo {@code model.json} gives ({@code encoding.reference_bpm}), or 0 for a model
   * without one: it is not warped (it plays at whatever tempo its TIME_SHIFTs say).
   */
  public static double of(ModelConfig config) {
    return config.hasReferenceBpm() ? config.referenceBpm() : 0;
  }

  /**
   * How dense the model's music is at its reference tempo ({@code encoding.onsets_per_beat}), or 0
   * for a model without it: the live engine then folds the beat tracker's tempo to the octave
   * nearest the reference rather than choosing the metrical level from the player's onset rate.
   */
  public static double onsetsPerBeat(ModelConfig config) {
    return config.hasOnsetsPerBeat() ? config.onsetsPerBeat() : 0;
  }
}
