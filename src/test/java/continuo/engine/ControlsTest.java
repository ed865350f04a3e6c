package continuo.engine;

import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.midi.MidiMessage;
import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.PresetEdits;
import continuo.testkit.ScriptedStepper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ControlsTest {
  private static final int[] TUNE = {noteOn(60), timeShift(20), noteOff(60)};
  private final ArgmaxSampler sampler = new ArgmaxSampler();

  private Parts parts(Preset p, PresetSwitcher switcher, List<Preset> presets) {
    return new Parts(new ScriptedStepper(TUNE), sampler, 0, p, switcher, presets);
  }

  private static Preset withControllers() {
    return PresetEdits.controllers(
        PresetEdits.answer(Parts.preset(), Mode.CALL_RESPONSE, 5_000, 500, 250), 21, 100, 67, 22);
  }

  private static long allNotesOffSent(Parts parts) {
    return parts.out.drain().events.stream().filter(e -> MidiMessage.command((int) e[1]) == 0xB0
        && MidiMessage.data1((int) e[1]) == MidiMessage.CC_ALL_NOTES_OFF).count();
  }

  @Test
  void theTemperatureControllerSetsWhatAnswersAreSampledAt() {
    Parts parts = parts(withControllers(), null, List.of());
    parts.controls.controlChange(parts.clock.nanoTime(), 21, 127);
    assertEquals(2.0f, parts.controls.temperature(), 1e-6);
    parts.controls.controlChange(parts.clock.nanoTime(), 21, 0);
    assertEquals(0.1f, parts.controls.temperature(), 1e-6);
    parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, 60, 90);
    parts.turns.playerNoteOff(parts.clock.nanoTime(), 0, 60);
    parts.controls.controlChange(parts.clock.nanoTime(), 67, 127); // end of phrase: answer now
    assertTrue(parts.turns.playing());
    parts.run(300);
    assertEquals(0.1f, sampler.lastTemperature, 1e-6);
  }

  @Test
  void allNotesOffAllSoundOffAndThePanicControllerEachMeanPanic() {
    Parts parts = parts(withControllers(), null, List.of());
    for (int cc : new int[] {MidiMessage.CC_ALL_NOTES_OFF, MidiMessage.CC_ALL_SOUND_OFF, 100}) {
      parts.controls.controlChange(parts.clock.nanoTime(), cc, 0);
      assertEquals(1, allNotesOffSent(parts), "controller " + cc);
      parts.out.events.clear();
    }
    parts.controls.controlChange(parts.clock.nanoTime(), 99, 0);
    assertEquals(0, allNotesOffSent(parts), "another controller does nothing");
  }

  @Test
  void theSustainPedalHoldsUnlessThePresetGivesItsControllerAnotherJob() {
    Parts parts = parts(withControllers(), null, List.of());
    parts.controls.controlChange(parts.clock.nanoTime(), MidiMessage.CC_SUSTAIN, 64);
    assertTrue(parts.listener.pedalDown(), "64..127 is down");
    parts.controls.controlChange(parts.clock.nanoTime(), MidiMessage.CC_SUSTAIN, 63);
    assertFalse(parts.listener.pedalDown());

    Parts panicOn64 = parts(PresetEdits.controllers(withControllers(), 21, 64, 67, 22), null,
        List.of());
    panicOn64.controls.controlChange(panicOn64.clock.nanoTime(), MidiMessage.CC_SUSTAIN, 127);
    assertFalse(panicOn64.listener.pedalDown(), "CC 64 is this preset's panic controller");
    assertEquals(1, allNotesOffSent(panicOn64));
  }

  @Test
  void aLearnedControllerReplacesThePresetsAndStaysAcrossPresetSwitches() {
    Parts parts = parts(withControllers(), null, List.of());
    parts.controls.learn(LiveEngine.Learn.PANIC);
    parts.controls.controlChange(parts.clock.nanoTime(), MidiMessage.CC_ALL_SOUND_OFF, 0);
    assertEquals(-1, parts.controls.learnedCc(), "120 and 123 are never learned");
    assertEquals(1, allNotesOffSent(parts), "120 is still panic");
    parts.out.events.clear();
    parts.controls.controlChange(parts.clock.nanoTime(), 80, 0);
    assertEquals(80, parts.controls.learnedCc());
    assertEquals(0, allNotesOffSent(parts), "learning is all the first move does");
    parts.use(PresetEdits.voice(withControllers(), "other", 3, 0.5, 1));
    parts.controls.controlChange(parts.clock.nanoTime(), 100, 0);
    assertEquals(0, allNotesOffSent(parts), "the preset's panic controller no longer is");
    parts.controls.controlChange(parts.clock.nanoTime(), 80, 0);
    assertEquals(1, allNotesOffSent(parts));
    assertEquals(0.5f, parts.controls.temperature(), 1e-6, "the new preset's temperature");
  }

  @Test
  void programChangeAndThePresetKnobAskTheSwitcherForAPresetOnce() throws Exception {
    Preset a = PresetEdits.voice(withControllers(), "a", 5, 0.5, 2);
    Preset b = PresetEdits.voice(withControllers(), "b", 6, 0.7, 3);
    List<String> loaded = new CopyOnWriteArrayList<>();
    try (PresetSwitcher switcher = new PresetSwitcher(p -> {
      loaded.add(p.name());
      return new ScriptedStepper(TUNE);
    }, line -> { })) {
      Parts parts = parts(withControllers(), switcher, List.of(a, b));
      parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, 60, 90);
      parts.run(20); // the note's step is over: the model heard it
      parts.controls.programChange(9);
      parts.controls.programChange(6);
      PresetSwitcher.Ready ready = waitForReady(parts);
      assertEquals("b", ready.preset().name(), "the preset with that program; 9 has none");
      assertEquals(2, ready.warmedTokens(), "warmed with what was heard");
      parts.controls.retire(ready.stepper());

      for (int value = 0; value < 64; value++) {
        parts.controls.controlChange(parts.clock.nanoTime(), 22, value); // a's half of the knob
      }
      assertEquals("a", waitForReady(parts).preset().name());
      assertEquals(List.of("b", "a"), loaded, "asked once");
      assertNull(parts.controls.pollSwitch());
    }
  }

  private static PresetSwitcher.Ready waitForReady(Parts parts) throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    PresetSwitcher.Ready r;
    while ((r = parts.controls.pollSwitch()) == null) {
      assertFalse(System.nanoTime() > end, "no preset ready in 10 s");
      Thread.sleep(5);
    }
    return r;
  }
}
