package continuo.cli;

import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import continuo.preset.Preset;
import continuo.preset.PresetException;
import continuo.preset.Presets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model M | --preset P}: which model a command runs, and the preset's defaults. */
final class ModelChoice {
  @Option(names = "--model", paramLabel = "M.cmodel", description = "A model file.")
  Path model;

  @Option(names = "--preset", paramLabel = "P",
      description = "A preset: a name from presets/ (e.g. folk, piano) or a .toml file.")
  String preset;

  /** The loaded model with the sampling defaults that come with it. */
  record Resolved(String name, LstmWeights weights, float temperature, float topP) {}

  Resolved resolve() {
    if (model != null) {
      return new Resolved(model.getFileName().toString(), load(model), 1.0f, 1.0f);
    }
    Preset p;
    try {
      p = Presets.find(repoRoot(), preset);
    } catch (PresetException e) {
      throw new UserError(e.getMessage(), e);
    }
    return new Resolved("preset " + p.name(), load(p.model()), p.temperature(), p.topP());
  }

  static LstmWeights load(Path file) {
    try {
      return ModelFile.read(file);
    } catch (ModelFormatException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The repository root: where presets/ and models/ live. */
  static Path repoRoot() {
    return Path.of(System.getProperty("continuo.home", "."));
  }
}
