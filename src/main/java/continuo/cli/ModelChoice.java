package continuo.cli;

import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import continuo.model.Models;
import continuo.preset.Preset;
import continuo.preset.PresetException;
import continuo.preset.Presets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model M | --preset P}: which model an offline command runs, with the sampling defaults
 * that come with it. A bare model gets the defaults of an empty preset, as {@code run} does.
 */
final class ModelChoice {
  @Option(names = "--model", paramLabel = "M.cmodel", description = "A model file.")
  Path model;

  @Option(names = "--preset", paramLabel = "P",
      description = "A preset: a name from presets/ (e.g. folk, piano, bach) or a .toml file.")
  String preset;

  /**
   * The loaded model with the sampling defaults, the note-length limit and the steering that come
   * with it (all in {@code preset}).
   */
  record Resolved(String name, LstmWeights weights, float temperature, float topP,
      int maxNoteLengthMs, Preset preset) {}

  Resolved resolve() {
    Path home = Presets.home();
    Preset p;
    if (model != null) {
      p = Preset.forModel(model);
    } else {
      try {
        p = Presets.find(home, preset);
      } catch (PresetException e) {
        throw new UserError(e.getMessage(), e);
      }
    }
    Path file = model != null ? model : p.modelPath(home);
    String name = model != null ? model.getFileName().toString() : "preset " + p.name();
    return new Resolved(name, load(file), (float) p.temperature(), (float) p.topP(),
        p.maxNoteLengthMs(), p);
  }

  /**
   * A stepper whose results do not depend on the JIT's state: plain Java float arithmetic in a
   * fixed order. The Vector API stepper's lane reductions may add in another order once compiled,
   * which moves the last bits of a logit and could flip a sampled event, so the offline commands
   * that promise the same output for the same seed use this one.
   */
  static LstmStepper reproducibleStepper(LstmWeights weights) {
    return Models.candidate("plain", weights);
  }

  static LstmWeights load(Path file) {
    try {
      return ModelFile.read(file);
    } catch (ModelFormatException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
