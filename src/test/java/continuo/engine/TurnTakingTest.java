package continuo.engine;

import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.midi.MidiMessage;
import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.preset.Settings;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.PresetEdits;
import continuo.testkit.ScriptedStepper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnTakingTest {
  private static final long MS = Parts.MS;
  private static final int[] TUNE = {noteOn(60), timeShift(20), noteOff(60), noteOn(64),
      timeShift(20), noteOff(64)};

  private static Parts parts(Preset p) {
    return new Parts(new ScriptedStepper(TUNE), new ArgmaxSampler(), 0, p, null, List.of());
  }

  private static Preset duet(int gapMs) {
    return PresetEdits.answer(Parts.preset(), Mode.DUET, gapMs, 0, 250);
  }

  private static Preset duet(int gapMs, int heldNoteTimeoutMs) {
    return duet(gapMs).with(Settings.HELD_NOTE_TIMEOUT_MS, heldNoteTimeoutMs);
  }

  /** The player plays one 200 ms note. */
  private static void note(Parts parts, int pitch) {
    parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, pitch, 90);
    parts.run(200);
    parts.turns.playerNoteOff(parts.clock.nanoTime(), 0, pitch);
  }

  @Test
  void aDuetAnswersOnlyOnceThePlayerHasLetGoAndPausedForTheGap() {
    Parts parts = parts(duet(300));
    parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, 60, 90);
    parts.run(2_000);
    assertFalse(parts.turns.playing(), "a held key is not a pause");
    parts.turns.playerNoteOff(parts.clock.nanoTime(), 0, 60);
    parts.run(299);
    assertFalse(parts.turns.playing());
    parts.run(1);
    assertTrue(parts.turns.playing());
    assertEquals(LiveEngine.Phase.PLAYING, parts.turns.phase());
  }

  @Test
  void nothingIsAnsweredBeforeThePlayerHasPlayed() {
    Parts parts = parts(duet(100));
    parts.run(5_000);
    assertFalse(parts.turns.playing());
    parts.turns.playerNoteOff(parts.clock.nanoTime(), 0, 60); // never started: says nothing
    parts.run(5_000);
    assertFalse(parts.turns.playing());
  }

  @Test
  void aBargeInStopsTheAnswerAtOnceAndIsCounted() {
    Parts parts = parts(duet(100));
    note(parts, 60);
    parts.run(100 + 250); // the answer's first note sounds from 200 ms until 400 ms
    assertFalse(parts.out.noteOns().isEmpty());
    assertFalse(parts.gate.idle());
    parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, 67, 90);
    parts.run(20); // the step of the barge-in is over: the model hears it
    assertFalse(parts.turns.playing());
    assertEquals(List.of(), parts.out.sounding(), "continuo's notes are released");
    assertTrue(parts.gate.idle(), "and what was not played is cancelled");
    assertEquals(1, parts.count("engine.barge_ins"));
    assertEquals(noteOn(67), (int) parts.listener.state().h(0)[1], "the model heard the player");
  }

  @Test
  void callResponseAnswersOncePerCallAboutAsLongAsTheCall() {
    Parts parts = parts(PresetEdits.answer(Parts.preset(), Mode.CALL_RESPONSE, 300, 0, 250));
    note(parts, 60);
    parts.run(300 + 3_000);
    assertFalse(parts.turns.playing(), "the answer ended");
    List<long[]> ons = parts.out.noteOns();
    assertFalse(ons.isEmpty());
    long last = parts.out.events.get(parts.out.events.size() - 1)[0];
    assertTrue(last - ons.get(0)[0] <= 1_050 * MS, "at least 1 s, as long as the call");
    parts.run(3_000);
    assertEquals(ons.size(), parts.out.noteOns().size(), "one answer per call");
  }

  @Test
  void theEndOfPhraseStartsTheAnswerAtOnceButOnlyInCallResponse() {
    Parts duet = parts(duet(5_000));
    duet.turns.playerNoteOn(duet.clock.nanoTime(), 0, 60, 90);
    duet.turns.endOfPhrase(duet.clock.nanoTime());
    assertFalse(duet.turns.playing());

    Parts parts = parts(PresetEdits.answer(Parts.preset(), Mode.CALL_RESPONSE, 5_000, 800, 250));
    parts.turns.endOfPhrase(parts.clock.nanoTime());
    assertFalse(parts.turns.playing(), "no call yet");
    parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, 60, 90); // still held
    parts.run(100);
    parts.turns.endOfPhrase(parts.clock.nanoTime());
    assertTrue(parts.turns.playing());
    assertEquals(0, parts.listener.playerHeld(), "the held note ended in the model");
  }

  @Test
  void panicSilencesEverythingUntilThePlayerPlaysAgain() {
    Parts parts = parts(duet(100).withTiming(100, 0, true));
    note(parts, 60);
    parts.gate.thru(parts.clock.nanoTime(), MidiMessage.pack(0x92, 50, 90), true);
    parts.run(350);
    assertFalse(parts.out.sounding().isEmpty());
    parts.turns.panic(parts.clock.nanoTime());
    assertEquals(List.of(), parts.out.sounding(), "continuo's and the echoed notes");
    assertTrue(parts.out.events.stream().anyMatch(e -> MidiMessage.command((int) e[1]) == 0xB0
        && MidiMessage.data1((int) e[1]) == MidiMessage.CC_ALL_NOTES_OFF));
    int ons = parts.out.noteOns().size();
    parts.run(2_000);
    assertEquals(ons, parts.out.noteOns().size());
    note(parts, 62);
    parts.run(500);
    assertTrue(parts.out.noteOns().size() > ons + 1, "answers again");
  }

  @Test
  void afterAnErrorEveryNoteIsReleasedWithoutAskingTheModel() {
    Parts parts = parts(duet(100));
    note(parts, 60);
    parts.run(350);
    assertFalse(parts.gate.idle());
    int told = ScriptedStepper.count(parts.listener.state());
    parts.model.failing = true;
    parts.turns.stopAfterError(parts.clock.nanoTime());
    assertEquals(List.of(), parts.out.sounding());
    assertTrue(parts.gate.idle());
    assertFalse(parts.turns.playing());
    assertEquals(told, ScriptedStepper.count(parts.listener.state()));
  }

  @Test
  void aKeyHeldPastTheLimitWithNothingElsePlayedStopsHoldingUpTheAnswerForGood() {
    Parts parts = parts(duet(300, 2_000));
    parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, 60, 90); // its note-off is lost
    note(parts, 64);
    parts.run(1_999);
    assertFalse(parts.turns.playing(), "a key held shorter than the limit holds");
    parts.run(1);
    assertTrue(parts.turns.playing(), "held 2 s with nothing else played: continuo answers");
    assertEquals(1, parts.listener.playerHeld(), "the model was told nothing: the key may be down");

    note(parts, 62); // a barge-in, then the next phrase
    parts.run(299);
    assertFalse(parts.turns.playing());
    parts.run(1);
    assertTrue(parts.turns.playing(), "the excused key holds up no later answer");
  }

  @Test
  void anotherKeyPressedRestartsTheLimitAndAKeyPressedAgainHoldsAgain() {
    Parts parts = parts(duet(300, 2_000));
    parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, 60, 90);
    parts.run(1_500);
    note(parts, 64); // player activity: the limit counts from here
    parts.run(1_700);
    assertFalse(parts.turns.playing(), "1.9 s since the last thing played");
    parts.run(300);
    assertTrue(parts.turns.playing());
    parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, 60, 90); // pressed again: held for real
    parts.run(1_999);
    assertFalse(parts.turns.playing());
    parts.turns.playerNoteOff(parts.clock.nanoTime(), 0, 60);
    parts.run(300);
    assertTrue(parts.turns.playing());
  }

  @Test
  void theSustainPedalHoldsLikeAKeyBoundedByTheSameLimit() {
    Parts parts = parts(duet(300, 3_000));
    parts.turns.sustain(parts.clock.nanoTime(), true);
    note(parts, 60);
    parts.run(2_000);
    assertFalse(parts.turns.playing(), "the pedal is down: the player still holds");
    parts.turns.sustain(parts.clock.nanoTime(), false);
    parts.run(299);
    assertFalse(parts.turns.playing(), "the pause starts when the pedal lifts");
    parts.run(1);
    assertTrue(parts.turns.playing());

    note(parts, 62);
    parts.turns.sustain(parts.clock.nanoTime(), true); // and never lifted (a lost pedal-up)
    parts.run(2_999);
    assertFalse(parts.turns.playing());
    parts.run(1);
    assertTrue(parts.turns.playing(), "bounded by held_note_timeout_ms");
  }

  @Test
  void clearingThePlayersHeldNotesEndsThemInTheModelAndInTheEchoAndReleasesThePedal() {
    Parts parts = parts(duet(300, 60_000).withTiming(300, 0, true));
    parts.turns.sustain(parts.clock.nanoTime(), true);
    for (int pitch : new int[] {60, 64, 67}) {
      parts.turns.playerNoteOn(parts.clock.nanoTime(), 0, pitch, 90);
      parts.gate.thru(parts.clock.nanoTime(), MidiMessage.pack(0x90, pitch, 90), true);
    }
    parts.run(5_000);
    assertFalse(parts.turns.playing());
    assertEquals(3, parts.out.sounding().size(), "the echoes sound");
    parts.turns.clearPlayerHeldNotes(parts.clock.nanoTime());
    assertEquals(0, parts.listener.playerHeld());
    assertFalse(parts.listener.pedalDown());
    assertEquals(List.of(), parts.out.sounding(), "the echoes end");
    parts.listener.flush(); // what the encoder holds back until the step is over
    assertEquals(noteOff(67), (int) parts.listener.state().h(0)[1], "the model heard them end");
    parts.run(299);
    assertFalse(parts.turns.playing());
    parts.run(1);
    assertTrue(parts.turns.playing(), "answers a gap after the clear");
    parts.turns.playerNoteOff(parts.clock.nanoTime(), 0, 60); // the real note-off, late: says nothing
    assertTrue(parts.turns.playing());
  }
}
