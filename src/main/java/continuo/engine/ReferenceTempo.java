package continuo.engine;

import continuo.model.ModelConfig;
import continuo.preset.Preset;

/**
 * The tempo a model speaks at, decided in this one place for the live engine and {@code generate}
 * alike: the player's time is warped to it before the model hears it, and the model's TIME_SHIFTs
 * are warped from it to the current tempo. Pure; any thread.
 */
public final class ReferenceTempo {
  private ReferenceTempo() {}

  /**
   * The reference tempo of the model {@code config} describes, played through {@code preset}: the
   * preset's {@code bpm} (the tempo the preset says its model plays at).
   */
  public static double of(ModelConfig config, Preset preset) {
    return preset.bpm();
  }
}
