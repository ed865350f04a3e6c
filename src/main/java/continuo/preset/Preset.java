package continuo.preset;

import java.nio.file.Path;

/**
 * Everything that defines one live voice of continuo: which model plays, how it samples, which
 * MIDI channels and controllers it uses, and how it takes turns with the player. Immutable; loaded
 * by {@link Presets} and overridable field by field with the {@code with...} methods.
 *
 * @param name display name
 * @param model model file, relative to the repo root unless absolute
 * @param temperature sampling temperature (0.0..4.0)
 * @param topP nucleus sampling mass (0 < p <= 1; 1 = off)
 * @param temperatureCc controller number that sets the temperature live, or -1 for none
 * @param program Program Change number that selects this preset, or -1 for none
 * @param inputChannel MIDI channel listened to (1..16), or 0 for omni
 * @param outputChannel MIDI channel played on (1..16)
 * @param mode turn taking
 * @param responseGapMs duet: player silence before continuo continues; call-response: silence that
 *     ends the call
 * @param responseLengthMs call-response: answer length, or 0 to answer as long as the call
 * @param endOfPhraseCc call-response: controller that ends the call at once, or -1 for none
 * @param lookaheadMs how far ahead of the clock generated events are scheduled
 * @param maxPolyphony most notes continuo sounds at once
 * @param maxNoteLengthMs longest note continuo lets sound before releasing it
 * @param latencyOffsetMs added to every output time (may be negative to compensate a slow synth)
 * @param dropLateMs output events later than this are dropped rather than played
 * @param thru echo the player's notes to the output
 * @param panicCc controller that silences continuo (besides CC 123), or -1 for none
 * @param presetCc controller whose range 0..127 is split evenly among the presets, so that moving
 *     it selects one (a knob or fader works as a preset selector), or -1 for none
 */
public record Preset(
    String name,
    Path model,
    double temperature,
    double topP,
    int temperatureCc,
    int program,
    int inputChannel,
    int outputChannel,
    Mode mode,
    int responseGapMs,
    int responseLengthMs,
    int endOfPhraseCc,
    int lookaheadMs,
    int maxPolyphony,
    int maxNoteLengthMs,
    int latencyOffsetMs,
    int dropLateMs,
    boolean thru,
    int panicCc,
    int presetCc) {

  public static final int OMNI = 0;

  public Preset {
    if (name == null || name.isBlank() || model == null || mode == null) {
      throw new IllegalArgumentException("a preset needs a name, a model and a mode");
    }
  }

  /** The model file, resolved against the repo root. */
  public Path modelPath(Path repoRoot) {
    return repoRoot.resolve(model);
  }

  public boolean listensTo(int channel) {
    return inputChannel == OMNI || inputChannel == channel;
  }

  public Preset withModel(Path m) {
    return new Preset(name, m, temperature, topP, temperatureCc, program, inputChannel,
        outputChannel, mode, responseGapMs, responseLengthMs, endOfPhraseCc, lookaheadMs,
        maxPolyphony, maxNoteLengthMs, latencyOffsetMs, dropLateMs, thru, panicCc, presetCc);
  }

  public Preset withMode(Mode m) {
    return new Preset(name, model, temperature, topP, temperatureCc, program, inputChannel,
        outputChannel, m, responseGapMs, responseLengthMs, endOfPhraseCc, lookaheadMs,
        maxPolyphony, maxNoteLengthMs, latencyOffsetMs, dropLateMs, thru, panicCc, presetCc);
  }

  public Preset withTemperature(double t) {
    return new Preset(name, model, t, topP, temperatureCc, program, inputChannel,
        outputChannel, mode, responseGapMs, responseLengthMs, endOfPhraseCc, lookaheadMs,
        maxPolyphony, maxNoteLengthMs, latencyOffsetMs, dropLateMs, thru, panicCc, presetCc);
  }

  public Preset withChannels(int in, int out) {
    return new Preset(name, model, temperature, topP, temperatureCc, program, in,
        out, mode, responseGapMs, responseLengthMs, endOfPhraseCc, lookaheadMs,
        maxPolyphony, maxNoteLengthMs, latencyOffsetMs, dropLateMs, thru, panicCc, presetCc);
  }

  public Preset withTiming(int gapMs, int latencyMs, boolean thruOn) {
    return new Preset(name, model, temperature, topP, temperatureCc, program, inputChannel,
        outputChannel, mode, gapMs, responseLengthMs, endOfPhraseCc, lookaheadMs,
        maxPolyphony, maxNoteLengthMs, latencyMs, dropLateMs, thruOn, panicCc, presetCc);
  }

  /** A preset for a bare model file (no preset given): the defaults of every key. */
  public static Preset forModel(Path modelFile) {
    String file = modelFile.getFileName().toString();
    String n = file.endsWith(".cmodel") ? file.substring(0, file.length() - 7) : file;
    return Presets.defaults(n, modelFile);
  }
}
