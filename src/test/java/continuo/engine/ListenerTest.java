package continuo.engine;

import static continuo.encoding.PerformanceEncoding.binOfVelocity;
import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static continuo.encoding.PerformanceEncoding.velocity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmState;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.ScriptedStepper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerTest {
  private static final long MS = Parts.MS;
  private final Parts parts =
      new Parts(new ScriptedStepper(noteOn(60)), new ArgmaxSampler(), 0, Parts.preset(), null,
          List.of());
  private final Listener listener = parts.listener;

  private long now() {
    return parts.clock.nanoTime();
  }

  @Test
  void tellsTheModelTheTimeSinceTheLastEventInRoundedTenMillisecondSteps() {
    parts.clock.advanceMillis(1_234);
    listener.noteOn(now(), 0, 60, 100);
    parts.clock.advanceMillis(6);
    listener.noteOff(now(), 0, 60);
    listener.flush();
    assertArrayEquals(new int[] {timeShift(100), timeShift(23), velocity(binOfVelocity(100)),
        noteOn(60), timeShift(1), noteOff(60)}, listener.recentHistory());
    assertEquals(6, ScriptedStepper.count(listener.state()), "every token went into the state");
    assertEquals(noteOff(60), (int) listener.state().h(0)[1]);
  }

  @Test
  void aPauseLongerThanThreeSecondsIsToldAsThreeSeconds() {
    parts.clock.advanceMillis(60_000);
    listener.noteOn(now(), 0, 60, 100);
    listener.flush();
    int[] told = listener.recentHistory();
    assertArrayEquals(new int[] {timeShift(100), timeShift(100), timeShift(100)},
        java.util.Arrays.copyOf(told, 3));
    assertTrue(PerformanceEncoding.isVelocity(told[3]));
  }

  @Test
  void theVelocityIsToldOnlyWhenItChangesAndASecondPressEndsTheHeldNote() {
    listener.noteOn(now(), 0, 60, 100);
    parts.clock.advanceMillis(20);
    listener.noteOn(now(), 0, 60, 100);
    listener.noteOn(now(), 0, 62, 20);
    listener.flush();
    assertArrayEquals(new int[] {velocity(binOfVelocity(100)), noteOn(60), timeShift(2),
        noteOff(60), noteOn(60), velocity(binOfVelocity(20)), noteOn(62)},
        listener.recentHistory());
    assertEquals(2, listener.playerHeld());
    assertEquals(binOfVelocity(20), listener.lastVelocityBin());
    assertEquals(3, parts.count("engine.notes.in"));
  }

  @Test
  void aNoteOffForANoteNeverHeardToStartSaysNothing() {
    assertFalse(listener.noteOff(now(), 0, 60));
    assertEquals(0, listener.historyCount());
  }

  @Test
  void releasingHeldNotesEndsEachInTheModel() {
    listener.noteOn(now(), 0, 60, 100);
    listener.noteOn(now(), 0, 64, 100);
    assertTrue(listener.releaseHeldNotes(now()));
    assertEquals(0, listener.playerHeld());
    assertFalse(listener.releaseHeldNotes(now()), "nothing left to release");
    listener.flush();
    int[] told = listener.recentHistory();
    assertEquals(noteOff(64), told[told.length - 1]);
    assertEquals(noteOff(60), told[told.length - 2]);
  }

  @Test
  void adoptingWhatWasHeardMovesTheTimelineToWhenItWasHeard() {
    LstmState heard = parts.model.newState();
    heard.h(0)[0] = 42;
    float[] logits = new float[PerformanceEncoding.VOCAB_SIZE];
    logits[7] = 3f;
    listener.adopt(heard, logits, -1, now() + 500 * MS);
    assertEquals(42, ScriptedStepper.count(listener.state()));
    assertEquals(3f, listener.logits()[7]);
    parts.clock.advanceMillis(600);
    listener.tellTime(now());
    assertEquals(timeShift(10), listener.recentHistory()[0], "100 ms since what was heard");
  }

  @Test
  void aLoadedModelCatchesUpWithWhatWasPlayedWhileItLoaded() {
    listener.noteOn(now(), 0, 60, 100); // velocity, note-on, 10 ms: the new model was warmed
    parts.clock.advanceMillis(10);
    listener.noteOff(now(), 0, 60);
    listener.noteOn(now(), 0, 62, 100);
    listener.flush();
    ScriptedStepper next = new ScriptedStepper(noteOn(60));
    LstmState state = next.newState();
    PresetSwitcher.Ready ready = new PresetSwitcher.Ready(Parts.preset(), next, state,
        new float[PerformanceEncoding.VOCAB_SIZE], 3);
    listener.catchUp(ready);
    assertEquals(2, ScriptedStepper.count(state), "the two tokens it missed");
    assertEquals(noteOn(62), (int) state.h(0)[1]);
  }
}
