package continuo.testkit;

import continuo.preset.Mode;
import continuo.preset.Preset;

/**
 * Copies of a preset with the settings a test is about changed, so that tests name only those
 * (and the record's long constructor is spelled in one place).
 */
public final class PresetEdits {
  private PresetEdits() {}

  /** How continuo answers: mode, pause before it, answer length (0: as long as the call), window. */
  public static Preset answer(Preset p, Mode mode, int responseGapMs, int responseLengthMs,
      int lookaheadMs) {
    return new Preset(p.name(), p.model(), p.temperature(), p.topP(), p.temperatureCc(),
        p.program(), p.inputChannel(), p.outputChannel(), mode, responseGapMs, responseLengthMs,
        p.endOfPhraseCc(), lookaheadMs, p.maxPolyphony(), p.maxNoteLengthMs(),
        p.latencyOffsetMs(), p.dropLateMs(), p.thru(), p.panicCc(), p.presetCc());
  }

  /** The output limits. */
  public static Preset limits(Preset p, int maxPolyphony, int maxNoteLengthMs, int dropLateMs) {
    return new Preset(p.name(), p.model(), p.temperature(), p.topP(), p.temperatureCc(),
        p.program(), p.inputChannel(), p.outputChannel(), p.mode(), p.responseGapMs(),
        p.responseLengthMs(), p.endOfPhraseCc(), p.lookaheadMs(), maxPolyphony, maxNoteLengthMs,
        p.latencyOffsetMs(), dropLateMs, p.thru(), p.panicCc(), p.presetCc());
  }

  /** The controllers (-1: none). */
  public static Preset controllers(Preset p, int temperatureCc, int panicCc, int endOfPhraseCc,
      int presetCc) {
    return new Preset(p.name(), p.model(), p.temperature(), p.topP(), temperatureCc, p.program(),
        p.inputChannel(), p.outputChannel(), p.mode(), p.responseGapMs(), p.responseLengthMs(),
        endOfPhraseCc, p.lookaheadMs(), p.maxPolyphony(), p.maxNoteLengthMs(),
        p.latencyOffsetMs(), p.dropLateMs(), p.thru(), panicCc, presetCc);
  }

  /** Another voice: its name, Program Change number, temperature and output channel. */
  public static Preset voice(Preset p, String name, int program, double temperature,
      int outputChannel) {
    return new Preset(name, p.model(), temperature, p.topP(), p.temperatureCc(), program,
        p.inputChannel(), outputChannel, p.mode(), p.responseGapMs(), p.responseLengthMs(),
        p.endOfPhraseCc(), p.lookaheadMs(), p.maxPolyphony(), p.maxNoteLengthMs(),
        p.latencyOffsetMs(), p.dropLateMs(), p.thru(), p.panicCc(), p.presetCc());
  }
}
