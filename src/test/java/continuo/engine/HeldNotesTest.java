package continuo.engine;

import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static continuo.encoding.PerformanceEncoding.velocity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.midi.MidiStreamDecoder;
import continuo.preset.Preset;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.FakeClock;
import continuo.testkit.PresetEdits;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine, fed through its input ring on a fake clock, when the player's note-offs go missing:
 * nothing the player holds, or seems to hold, silences continuo for the rest of the jam. Before
 * {@link TurnTaking#clearPlayerHeldNotes} and {@code held_note_timeout_ms}, each of these played
 * no answer note at all.
 */
class HeldNotesTest {
  private static final long MS = 1_000_000L;
  private static final int[] MELODY = {velocity(20), noteOn(60), timeShift(20), noteOff(60),
      noteOn(64), timeShift(20), noteOff(64)};
  private static final int PANIC_CC = 100;

  private final FakeClock clock = new FakeClock();
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(1024, counters.newCounter("in.dropped"));
  private final RecordingOutput out = new RecordingOutput();
  /** The defaults (a 600 ms gap, an 8 s held-note limit) with a panic controller. */
  private final Preset preset = PresetEdits.controllers(
      Preset.forModel(Path.of("scripted.cmodel")), -1, PANIC_CC, -1, -1);
  private final LiveEngine engine = new LiveEngine(clock, input, out.ring, 0, preset,
      new ScriptedStepper(MELODY), new ArgmaxSampler(), null, List.of(), counters);

  private void play(int status, int d1, int d2) {
    input.offer(clock.nanoTime(), MidiMessage.pack(status, d1, d2));
    engine.doWork();
  }

  private void run(long ms) {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      engine.doWork();
    }
  }

  /** Two 200 ms notes, 50 ms apart. */
  private void phrase() {
    play(0x90, 60, 100);
    run(200);
    play(0x80, 60, 0);
    run(50);
    play(0x90, 62, 90);
    run(200);
    play(0x80, 62, 0);
  }

  /** Continuo's note-ons from {@code fromNanos} on (thru is off: every note-on is continuo's). */
  private List<long[]> answersSince(long fromNanos) {
    return out.noteOns().stream().filter(e -> e[0] >= fromNanos).toList();
  }

  private void endsSilent() {
    engine.requestShutdown();
    engine.doWork();
    assertTrue(engine.isSilent());
    assertEquals(List.of(), out.sounding(), "every note continuo turned on is off");
  }

  /** A key pressed, its note-off lost, then a phrase and a pause too short for the limit. */
  private void wedge() {
    play(0x90, 48, 100); // never released
    phrase();
    run(2_000);
    assertTrue(out.noteOns().isEmpty(), "the key counts as held: no answer yet");
  }

  @Test
  void threePhrasesTheFirstWithANoteThatNeverEndsAreEachAnswered() {
    play(0x90, 48, 100); // its note-off is lost
    for (int i = 0; i < 3; i++) {
      phrase();
      long end = clock.nanoTime();
      run(9_000);
      List<long[]> answer = answersSince(end);
      assertFalse(answer.isEmpty(), "phrase " + (i + 1) + " is answered");
      long waited = (answer.get(0)[0] - end) / MS;
      if (i == 0) {
        assertTrue(waited >= 8_000, "the held key holds up the first answer for 8 s: " + waited);
      } else {
        assertTrue(waited >= 600 && waited < 1_000, "later answers come after the gap: " + waited);
      }
    }
    endsSilent();
  }

  @Test
  void allNotesOffAllSoundOffAndThePanicControllerEachForgetTheHeldKeys() {
    for (int cc : new int[] {MidiMessage.CC_ALL_NOTES_OFF, MidiMessage.CC_ALL_SOUND_OFF, PANIC_CC}) {
      HeldNotesTest t = new HeldNotesTest();
      t.wedge();
      t.play(0xB0, cc, 0);
      t.phrase();
      long end = t.clock.nanoTime();
      t.run(1_500);
      assertFalse(t.answersSince(end).isEmpty(), "answers after controller " + cc);
      t.endsSilent();
    }
  }

  @Test
  void transportStopForgetsTheHeldKeys() {
    wedge();
    input.offer(clock.nanoTime(), MidiMessage.STOP);
    engine.doWork();
    phrase();
    long end = clock.nanoTime();
    run(1_500);
    assertFalse(answersSince(end).isEmpty());
    endsSilent();
  }

  @Test
  void aBackendReconnectForgetsTheKeysHeldAcrossTheOutage() {
    wedge();
    engine.backendReconnected(); // as the supervisor calls it from its own thread
    run(1);
    phrase();
    long end = clock.nanoTime();
    run(1_500);
    assertFalse(answersSince(end).isEmpty());
    endsSilent();
  }

  @Test
  void theSustainPedalLeftDownHoldsUpTheAnswerNoLongerThanTheLimit() {
    play(0xB0, MidiMessage.CC_SUSTAIN, 127); // its release is lost
    phrase();
    long end = clock.nanoTime();
    run(7_900);
    assertTrue(out.noteOns().isEmpty(), "the pedal is down: the player holds");
    run(1_000);
    assertFalse(answersSince(end).isEmpty());
    endsSilent();
  }

  @Test
  void aBurstOfRandomBytesThroughTheDecoderLeavesContinuoAnswering() {
    for (int seed = 0; seed < 10; seed++) {
      HeldNotesTest t = new HeldNotesTest();
      MidiStreamDecoder decoder = new MidiStreamDecoder();
      Random r = new Random(seed);
      byte[] chunk = new byte[64];
      for (int i = 0; i < 64; i++) { // 4 KB of garbage, as a faulty cable or device would send
        r.nextBytes(chunk);
        decoder.feed(t.clock.nanoTime(), chunk, 0, chunk.length, t.input::offer);
        t.run(1);
      }
      t.run(1_000);
      t.phrase();
      long end = t.clock.nanoTime();
      t.run(8_000 + 600 + 1_000);
      assertFalse(t.answersSince(end).isEmpty(), "answers after the burst of seed " + seed);
      t.endsSilent();
    }
  }
}
