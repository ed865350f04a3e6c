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
}
