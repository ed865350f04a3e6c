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
import continuo.sample.Sampler;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.PresetEdits;
import continuo.testkit.ScriptedStepper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LookAheadTest {
  private static final long MS = Parts.MS;
  /**
   * Notes of 200 ms, one after the other, from the second token on (a scripted model prefers
   * {@code cycle[n]} after n tokens, and {@link #parts} tells it one before the answer).
   */
  private static final int[] TUNE = {noteOff(64), noteOn(60), timeShift(20), noteOff(60),
      noteOn(64), timeShift(20)};

  private Parts parts(Preset p) {
    return parts(new ScriptedStepper(TUNE), new ArgmaxSampler(), p);
  }

  private static Parts parts(ScriptedStepper model, TokenSampler sampler, Preset p) {
    Parts parts = new Parts(model, sampler, 0, p, null, List.of());
    parts.listener.tell(timeShift(1)); // what was heard so far: the model now has a preference
    return parts;
  }

  /** Generates and releases for {@code ms}, 1 ms at a time, or until the answer is finished. */
  private static void play(Parts parts, long ms) {
    for (long i = 0; i < ms && !parts.lookAhead.finished(); i++) {
      parts.lookAhead.generate(parts.clock.nanoTime());
      parts.gate.release(parts.clock.nanoTime());
      parts.clock.advanceMillis(1);
    }
  }

  private static Preset window(int lookaheadMs) {
    return PresetEdits.answer(Parts.preset(), Mode.DUET, 100, 0, lookaheadMs);
  }

  @Test
  void itSamplesNoFurtherAheadThanTheWindow() {
    Parts parts = parts(window(250));
    long start = parts.lookAhead.begin(parts.clock.nanoTime(), parts.clock.nanoTime(),
        Long.MAX_VALUE);
    for (int i = 0; i < 100; i++) {
      parts.lookAhead.generate(start); // the clock stands still: the window does not move
      parts.gate.release(start);
    }
    assertEquals(1, parts.out.noteOns().size(), "the first note-on was due at once");
    assertEquals(2, parts.gate.pending(), "off and on at 200 ms; the next at 400 ms > 250");
    parts.clock.advanceMillis(1_000);
    parts.gate.release(parts.clock.nanoTime());
    for (long[] e : parts.out.drain().events) {
      assertTrue(e[0] - start <= 250 * MS, "event at " + (e[0] - start) / MS + " ms");
    }
  }

  @Test
  void theLiveStateRollsBackToTheSnapshotOfTheLastEventHeard() {
    Parts parts = parts(window(1_000));
    int heardBefore = ScriptedStepper.count(parts.listener.state());
    long start = parts.lookAhead.begin(parts.clock.nanoTime(), parts.clock.nanoTime(),
        Long.MAX_VALUE);
    parts.lookAhead.generate(start);
    parts.gate.release(start); // only the first note-on is due
    for (int i = 0; i < 10; i++) {
      parts.lookAhead.generate(start); // the rest of the window, not due yet
    }
    int ahead = ScriptedStepper.count(parts.lookAhead.state());
    assertTrue(ahead > heardBefore + 3, "generated further: " + ahead);
    parts.lookAhead.commitHeard();
    assertEquals(heardBefore + 1, ScriptedStepper.count(parts.listener.state()),
        "the state after the first note, not the " + ahead + " tokens generated");
    assertEquals(noteOn(60), (int) parts.listener.state().h(0)[1]);
    assertEquals(-1, parts.gate.heardSlot(), "committed once");
  }

  @Test
  void theAnswerStartsNoEarlierThanTheGateAllowsNorBeforeANegativeOffsetIsMadeUp() {
    Preset early = Preset.defaults("p", Parts.preset().model()).with(Settings.TEMPERATURE, 1.0)
        .with(Settings.RESPONSE_GAP_MS, 100).with(Settings.LATENCY_OFFSET_MS, -30);
    Parts parts = parts(early);
    long now = parts.clock.nanoTime();
    assertEquals(now + 10 * MS + 30 * MS, parts.lookAhead.begin(now, now + 10 * MS,
        Long.MAX_VALUE));
  }

  @Test
  void theAnswerStartsAfterTheEventsHeldBackAreToldNotWhileTheyAre() {
    Parts parts = parts(window(250));
    parts.listener.noteOn(parts.clock.nanoTime(), 0, 60, 90);
    parts.clock.advanceMillis(50);
    parts.listener.noteOff(parts.clock.nanoTime(), 0, 60); // on the grid; its step is not over
    parts.model.eachStep = () -> parts.clock.advanceNanos(300_000); // a step costs 0.3 ms
    long now = parts.clock.nanoTime();
    long start = parts.lookAhead.begin(now, now + 2 * MS, Long.MAX_VALUE);
    long telling = parts.clock.nanoTime() - now;
    assertTrue(telling >= 600_000, "the held-back shift and note-off were told: " + telling);
    assertEquals(now + telling + 2 * MS, start,
        "the first note comes a backend's lead after the model has heard everything");
  }

  @Test
  void anAnswerOfAGivenLengthClosesEveryNoteAtItsEnd() {
    Parts parts = parts(new ScriptedStepper(timeShift(50), noteOn(60), noteOn(64)),
        new ArgmaxSampler(), window(2_000));
    long start = parts.lookAhead.begin(parts.clock.nanoTime(), parts.clock.nanoTime(),
        700 * MS);
    play(parts, 3_000);
    assertTrue(parts.lookAhead.finished());
    parts.clock.advanceMillis(3_000);
    parts.gate.release(parts.clock.nanoTime());
    List<long[]> events = parts.out.drain().events;
    assertFalse(events.isEmpty());
    for (long[] e : events) {
      assertTrue(e[0] - start <= 700 * MS, "event at " + (e[0] - start) / MS + " ms");
    }
    assertEquals(List.of(), parts.out.sounding());
  }

  @Test
  void aNoteIsEndedBeforeItOutlastsTheLengthLimitAndThatIsCounted() {
    Parts parts = parts(new ScriptedStepper(timeShift(100), noteOn(60)), new ArgmaxSampler(),
        PresetEdits.limits(window(3_000), 8, 450, 50));
    parts.lookAhead.begin(parts.clock.nanoTime(), parts.clock.nanoTime(), Long.MAX_VALUE);
    play(parts, 1_000);
    parts.clock.advanceMillis(3_000);
    parts.gate.release(parts.clock.nanoTime());
    List<long[]> events = parts.out.drain().events;
    assertTrue(MidiMessage.isNoteOff((int) events.get(1)[1]));
    assertEquals(450 * MS, events.get(1)[0] - events.get(0)[0], "a 1 s step cut at the limit");
    assertTrue(parts.count("engine.forced.note_off") >= 1);
  }

  @Test
  void scoresThatAreNotFiniteEndTheAnswerAndAreCountedInsteadOfPlayingPitchZero() {
    ScriptedStepper model = new ScriptedStepper(TUNE);
    Sampler sampler = new Sampler(1, 388);
    Parts parts = parts(model, sampler::sample, window(1_000));
    long start = parts.lookAhead.begin(parts.clock.nanoTime(), parts.clock.nanoTime(),
        Long.MAX_VALUE);
    parts.lookAhead.generate(start); // note-on 60: the next token is due after it
    model.overflowing = true;
    parts.gate.release(start);
    play(parts, 100);
    assertTrue(parts.lookAhead.finished(), "the answer ends");
    assertEquals(1, parts.count("engine.nonfinite_logits"));
    parts.clock.advanceMillis(2_000);
    parts.gate.release(parts.clock.nanoTime());
    List<long[]> ons = parts.out.noteOns();
    assertEquals(1, ons.size());
    assertEquals(60, MidiMessage.data1((int) ons.get(0)[1]));
    assertEquals(List.of(), parts.out.sounding(), "the note it had started is closed");
  }
}
