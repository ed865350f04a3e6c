package continuo.testkit;

import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.preset.Settings;

/** Copies of a preset with the settings a test is about changed, so that tests name only those. */
public final class PresetEdits {
  private PresetEdits() {}

  /** How continuo answers: mode, pause before it, answer length (0: the call's), look-ahead. */
  public static Preset answer(Preset p, Mode mode, int responseGapMs, int responseLengthMs,
      int lookaheadMs) {
    return p.with(Settings.MODE, mode).with(Settings.RESPONSE_GAP_MS, responseGapMs)
        .with(Settings.RESPONSE_LENGTH_MS, responseLengthMs)
        .with(Settings.LOOKAHEAD_MS, lookaheadMs);
  }

  /** The output limits. */
  public static Preset limits(Preset p, int maxPolyphony, int maxNoteLengthMs, int dropLateMs) {
    return p.with(Settings.MAX_POLYPHONY, maxPolyphony)
        .with(Settings.MAX_NOTE_LENGTH_MS, maxNoteLengthMs)
        .with(Settings.DROP_LATE_MS, dropLateMs);
  }

  /** The controllers (-1: none). */
  public static Preset controllers(Preset p, int temperatureCc, int panicCc, int endOfPhraseCc,
      int presetCc) {
    return p.with(Settings.TEMPERATURE_CC, temperatureCc).with(Settings.PANIC_CC, panicCc)
        .with(Settings.END_OF_PHRASE_CC, endOfPhraseCc).with(Settings.PRESET_CC, presetCc);
  }

  /** Another voice: its name, Program Change number, temperature and output channel. */
  public static Preset voice(Preset p, String name, int program, double temperature,
      int outputChannel) {
    return p.with(Settings.NAME, name).with(Settings.PROGRAM, program)
        .with(Settings.TEMPERATURE, temperature).with(Settings.OUTPUT_CHANNEL, outputChannel);
  }
}
