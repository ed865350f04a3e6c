package continuo.engine;

import continuo.model.LstmStepper;
import continuo.preset.Preset;

/** Loads the model of a preset; runs on the preset-switch thread, never on the engine thread. */
@FunctionalInterface
public interface ModelLoader {
  /** The stepper for {@code preset}'s model; throws with a clear message when it cannot. */
  LstmStepper load(Preset preset) throws Exception;
}
