package continuo.engine;

import continuo.midi.MidiMessage;
import continuo.model.LstmStepper;
import continuo.preset.Preset;
import java.util.List;

/**
 * Controls: what the player's controllers and Program Changes do. The temperature controller, the
 * panic controller (and All Notes Off / All Sound Off, which always mean panic), the end-of-phrase
 * controller, MIDI learn of any of them, and preset switching by Program Change or by the preset
 * knob, whose range is split evenly among the presets. A switch is asked of the
 * {@link PresetSwitcher}, which loads and warms the model on its own thread; the engine installs it
 * when {@link #pollSwitch} hands it over. Engine thread only, except the volatile reads
 * {@link #temperature()} and {@link #learnedCc()}; allocation free except when asking for a switch.
 *
 * <p>The steering knobs ({@code key_cc}, {@code density_cc}) are {@link Steering}'s: a controller
 * none of the others is goes to it. The sustain pedal (CC 64), when no other control has its
 * controller, holds like a key while it is down ({@link TurnTaking#sustain}).
 */
final class Controls {
  private final TurnTaking turns;
  private final LookAhead lookAhead;
  private final Listener listener;
  private final Steering steering;
  private final PresetSwitcher switcher;
  private final List<Preset> presets;

  private String presetName;
  private volatile float temperature;
  private int temperatureCc;
  private int panicCc;
  private int endOfPhraseCc;
  private int presetCc;
  /** The preset the preset controller last asked for, so a moving knob asks only once per preset. */
  private int presetCcChoice = -1;
  private LiveEngine.Learn learning;
  private LiveEngine.Learn learned;
  private volatile int learnedCc = -1;

  /**
   * @param switcher loads presets asked for, or null when switching is off
   * @param presets presets selectable by Program Change or the preset controller, in order
   */
  Controls(TurnTaking turns, LookAhead lookAhead, Listener listener, Steering steering,
      PresetSwitcher switcher, List<Preset> presets) {
    this.turns = turns;
    this.lookAhead = lookAhead;
    this.listener = listener;
    this.steering = steering;
    this.switcher = switcher;
    this.presets = List.copyOf(presets);
  }

  /**
   * Takes the preset's temperature and controllers (after {@link Steering#use} took its knobs); a
   * learned controller stays learned.
   */
  void use(Preset p) {
    presetName = p.name();
    setTemperature((float) p.temperature());
    temperatureCc = learned == LiveEngine.Learn.TEMPERATURE ? learnedCc : p.temperatureCc();
    panicCc = learned == LiveEngine.Learn.PANIC ? learnedCc : p.panicCc();
    endOfPhraseCc = learned == LiveEngine.Learn.END_OF_PHRASE ? learnedCc : p.endOfPhraseCc();
    presetCc = learned == LiveEngine.Learn.PRESET ? learnedCc : p.presetCc();
    if (learned == LiveEngine.Learn.KEY) {
      steering.setKeyCc(learnedCc);
    } else if (learned == LiveEngine.Learn.DENSITY) {
      steering.setDensityCc(learnedCc);
    }
  }

  /** Set-up: the next controller moved (other than 120 and 123) becomes {@code target}. */
  void learn(LiveEngine.Learn target) {
    learning = target;
  }

  /** Any thread: the controller number learned, or -1. */
  int learnedCc() {
    return learnedCc;
  }

  /** Any thread: the temperature answers are sampled at. */
  float temperature() {
    return temperature;
  }

  private void setTemperature(float t) {
    temperature = t;
    lookAhead.setTemperature(t);
  }

  void controlChange(long t, int cc, int value) {
    if (learning != null && cc != MidiMessage.CC_ALL_NOTES_OFF
        && cc != MidiMessage.CC_ALL_SOUND_OFF) {
      switch (learning) {
        case TEMPERATURE -> temperatureCc = cc;
        case PANIC -> panicCc = cc;
        case END_OF_PHRASE -> endOfPhraseCc = cc;
        case PRESET -> presetCc = cc;
        case KEY -> steering.setKeyCc(cc);
        case DENSITY -> steering.setDensityCc(cc);
      }
      learned = learning;
      learning = null;
      learnedCc = cc;
      return;
    }
    if (cc == temperatureCc) {
      setTemperature(0.1f + 1.9f * value / 127f);
    } else if (cc == MidiMessage.CC_ALL_NOTES_OFF || cc == MidiMessage.CC_ALL_SOUND_OFF
        || cc == panicCc) {
      turns.panic(t);
      steering.silenced();
    } else if (cc == presetCc) {
      presetController(value);
    } else if (cc == endOfPhraseCc) {
      turns.endOfPhrase(t);
    } else if (!steering.controlChange(cc, value) && cc == MidiMessage.CC_SUSTAIN) {
      turns.sustain(t, value >= 64);
    }
  }

  void programChange(int program) {
    for (int i = 0; i < presets.size(); i++) {
      Preset p = presets.get(i);
      if (p.program() == program) {
        request(p);
        return;
      }
    }
  }

  /**
   * The preset controller's range 0..127 is split evenly among the presets, in their order: moving
   * it into another preset's stretch asks for that preset once, however many values the knob sends
   * on its way.
   */
  private void presetController(int value) {
    if (presets.isEmpty()) {
      return;
    }
    int choice = value * presets.size() / 128;
    if (choice == presetCcChoice) {
      return;
    }
    presetCcChoice = choice;
    Preset p = presets.get(choice);
    if (!p.name().equals(presetName)) {
      request(p);
    }
  }

  private void request(Preset p) {
    if (switcher != null) {
      // allocates: a switch is not steady state
      switcher.request(p, listener.recentHistory(), listener.historyCount());
    }
  }

  /** A preset loaded and warmed, ready to install, or null. */
  PresetSwitcher.Ready pollSwitch() {
    return switcher == null ? null : switcher.poll();
  }

  /** Hands the model a switch replaced back to the switcher to close. */
  void retire(LstmStepper old) {
    switcher.retire(old);
  }
}
