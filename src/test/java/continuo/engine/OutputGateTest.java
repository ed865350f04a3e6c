package continuo.engine;

import static continuo.encoding.PerformanceEncoding.noteOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.PerformanceEncoding;
import continuo.midi.MidiMessage;
import continuo.preset.Preset;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.PresetEdits;
import continuo.testkit.ScriptedStepper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputGateTest {
  private static final long MS = Parts.MS;
  private static final long LEAD = 5 * MS;

  private Parts parts(Preset p) {
    return new Parts(new ScriptedStepper(noteOn(60)), new ArgmaxSampler(), LEAD, p, null,
        List.of());
  }

  private static int on(int pitch) {
    return MidiMessage.of(MidiMessage.NOTE_ON, 1, pitch, 80);
  }

  private static int off(int pitch) {
    return MidiMessage.of(MidiMessage.NOTE_OFF, 1, pitch, 0);
  }

  @Test
  void aScheduledNoteGoesToTheBackendOneOutputLeadAndTheMarginBeforeItIsDue() {
    Parts parts = parts(Parts.preset());
    long due = parts.clock.nanoTime() + 100 * MS;
    parts.gate.schedule(due, on(60), 9);
    parts.clock.advanceMillis(92); // due - lead - margin - 1 ms
    assertEquals(0, parts.gate.release(parts.clock.nanoTime()));
    assertTrue(parts.out.noteOns().isEmpty());
    parts.clock.advanceMillis(1);
    assertTrue(parts.gate.releaseDue(parts.clock.nanoTime()));
    assertEquals(1, parts.gate.release(parts.clock.nanoTime()));
    assertEquals(due, parts.out.noteOns().get(0)[0], "at the time it is due, for the backend");
    assertEquals(9, parts.gate.heardSlot(), "its tag is what was heard");
    assertEquals(due, parts.gate.heardNanos());
    parts.gate.forgetHeard();
    assertEquals(-1, parts.gate.heardSlot());
  }

  @Test
  void aNoteTooLateToPlayIsDroppedAndCounted() {
    Parts parts = parts(PresetEdits.limits(Parts.preset(), 8, 4_000, 50));
    long due = parts.clock.nanoTime();
    parts.gate.schedule(due, on(60), 0);
    parts.gate.schedule(due, off(60), 1);
    parts.clock.advanceMillis(51);
    assertEquals(2, parts.gate.release(parts.clock.nanoTime()));
    assertTrue(parts.out.drain().events.isEmpty(), "neither the note nor its note-off");
    assertEquals(1, parts.count("engine.dropped.late"));
  }

  @Test
  void notesOverThePolyphonyLimitOrAlreadySoundingAreTurnedAway() {
    Parts parts = parts(PresetEdits.limits(Parts.preset(), 2, 4_000, 50));
    long due = parts.clock.nanoTime() + 10 * MS;
    parts.gate.schedule(due, on(60), 0);
    parts.gate.schedule(due, on(60), 1);
    parts.gate.schedule(due, on(62), 2);
    parts.gate.schedule(due, on(64), 3);
    parts.clock.advanceMillis(10);
    parts.gate.release(parts.clock.nanoTime());
    assertEquals(2, parts.out.noteOns().size());
    assertEquals(2, parts.count("engine.dropped.polyphony"));
    assertEquals(2, parts.count("engine.notes.out"));
    parts.gate.releaseSounding(parts.clock.nanoTime());
    assertEquals(List.of(), parts.out.sounding());
    assertTrue(parts.gate.idle());
  }

  @Test
  void aNoteThatSoundsLongerThanTheLimitIsEnded() {
    Parts parts = parts(PresetEdits.limits(Parts.preset(), 8, 300, 50));
    parts.gate.schedule(parts.clock.nanoTime(), on(60), 0);
    parts.gate.release(parts.clock.nanoTime());
    parts.clock.advanceMillis(302);
    assertEquals(0, parts.gate.enforceNoteLength(parts.clock.nanoTime()), "within the margin");
    parts.clock.advanceMillis(1);
    assertEquals(1, parts.gate.enforceNoteLength(parts.clock.nanoTime()));
    assertEquals(List.of(), parts.out.sounding());
    assertEquals(1, parts.count("engine.forced.note_off"));
  }

  @Test
  void theRecordingGetsEveryNoteWithContinuosMarked() {
    Parts parts = parts(Parts.preset());
    parts.gate.recordPlayer(parts.clock.nanoTime(), MidiMessage.pack(0x90, 50, 90));
    parts.gate.schedule(parts.clock.nanoTime(), on(60), 0);
    parts.gate.release(parts.clock.nanoTime());
    List<Integer> recorded = new ArrayList<>();
    parts.record.drain((t, m) -> recorded.add(m));
    assertEquals(2, recorded.size());
    assertEquals(0, recorded.get(0) & LiveEngine.RECORD_CONTINUO, "the player's");
    assertEquals(on(60) | LiveEngine.RECORD_CONTINUO, (int) recorded.get(1), "continuo's");
  }

  @Test
  void echoedNotesAreNeverPlayedByContinuoAndAreReleasedWhenTheChannelChanges() {
    Preset thru = Parts.preset().withTiming(100, 0, true);
    Parts parts = parts(thru);
    parts.gate.thru(parts.clock.nanoTime(), MidiMessage.pack(0x90, 60, 90), true);
    assertEquals(1, parts.out.noteOns().size(), "echoed");
    float[] logits = new float[PerformanceEncoding.VOCAB_SIZE];
    parts.gate.maskEchoed(logits);
    assertEquals(Float.NEGATIVE_INFINITY, logits[noteOn(60)]);
    assertEquals(0f, logits[noteOn(61)]);
    parts.gate.schedule(parts.clock.nanoTime(), on(60), 0);
    parts.gate.release(parts.clock.nanoTime());
    assertEquals(1, parts.count("engine.dropped.polyphony"), "the player holds that key");
    parts.gate.use(thru.withChannels(0, 2), parts.clock.nanoTime());
    assertEquals(List.of(), parts.out.sounding(), "the echo ends before the channel changes");
  }

  @Test
  void aKeyEchoedAgainWithoutItsNoteOffSoundsOnceNotTwice() {
    Parts parts = parts(Parts.preset().withTiming(100, 0, true));
    parts.gate.thru(parts.clock.nanoTime(), MidiMessage.pack(0x93, 60, 90), true);
    parts.clock.advanceMillis(100);
    parts.gate.thru(parts.clock.nanoTime(), MidiMessage.pack(0x93, 60, 70), true); // off lost
    assertEquals(2, parts.out.noteOns().size());
    assertEquals(List.of(3 * 128 + 60), parts.out.sounding(), "the first echo ended first");
    parts.gate.thru(parts.clock.nanoTime(), MidiMessage.pack(0x83, 60, 0), false);
    assertEquals(List.of(), parts.out.sounding());
  }

  @Test
  void theNextAnswerStartsNoEarlierThanTheLastNoteOffGoesOut() {
    Parts parts = parts(Parts.preset());
    long now = parts.clock.nanoTime();
    assertEquals(now + LEAD, parts.gate.earliestAnswer(now));
    parts.gate.schedule(now + 10 * MS, on(60), 0);
    parts.clock.advanceMillis(10);
    parts.gate.release(parts.clock.nanoTime());
    assertFalse(parts.gate.idle());
    assertEquals(now + 10 * MS, parts.gate.latestOnset(now));
    parts.gate.releaseSounding(now); // off no earlier than its on
    assertEquals(now + 10 * MS, parts.gate.earliestAnswer(now - 100 * MS));
  }

  @Test
  void eachTempoChangeGoesToTheRecordingAtItsTimeButNotEachWobble() {
    Parts parts = parts(Parts.preset());
    long now = parts.clock.nanoTime();
    parts.gate.recordTempo(now, 150.0);
    parts.gate.recordTempo(now + MS, 150.05); // a wobble
    parts.gate.recordTempo(now + 2 * MS, Double.NaN); // no tempo yet: left out
    parts.gate.recordTempo(now + 3 * MS, 80.0);
    List<long[]> recorded = new ArrayList<>();
    parts.record.drain((t, m) -> recorded.add(new long[] {t, m}));
    assertEquals(2, recorded.size());
    assertEquals(now, recorded.get(0)[0]);
    assertEquals(400_000 | LiveEngine.RECORD_TEMPO, (int) recorded.get(0)[1]);
    assertEquals(now + 3 * MS, recorded.get(1)[0]);
    assertEquals(750_000 | LiveEngine.RECORD_TEMPO, (int) recorded.get(1)[1]);
  }
}
