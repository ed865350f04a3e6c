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
import continuo.preset.Preset;
import continuo.preset.Settings;
import continuo.tempo.TempoSource;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The live engine keeps time: clock, transport, tap tempo, the player's beat, fixed and preset. */
class LiveEngineTempoTest {
  private static final long MS = 1_000_000L;
  private static final int[] MELODY = {velocity(20), noteOn(60), timeShift(20), noteOff(60),
      noteOn(64), timeShift(20), noteOff(64)};

  private final FakeClock clock = new FakeClock();
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(4096, counters.newCounter("in.dropped"));
  private final RecordingOutput out = new RecordingOutput();
  private Preset preset = Preset.forModel(Path.of("scripted.cmodel")).withTiming(100, 0, false);
  private LiveEngine engine;
  /** The model's reference tempo; 0 for a model without one. */
  private double referenceBpm;

  private LiveEngine engine() {
    if (engine == null) {
      ScriptedStepper model = new ScriptedStepper(MELODY);
      if (referenceBpm > 0) {
        model.withReferenceBpm(referenceBpm);
      }
      engine = new LiveEngine(clock, input, out.ring, 0, preset, model,
          new ArgmaxSampler(), null, List.of(), counters);
    }
    return engine;
  }

  private void send(int status, int d1, int d2) {
    input.offer(clock.nanoTime(), MidiMessage.pack(status, d1, d2));
    engine().doWork();
  }

  private void run(long ms) {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      engine().doWork();
    }
  }

  private void phrase() {
    send(0x90, 60, 100);
    run(200);
    send(0x80, 60, 0);
    run(50);
    send(0x90, 62, 90);
    run(200);
    send(0x80, 62, 0);
  }

  /** Sends {@code beats} of MIDI clock at {@code bpm}, each tick off by up to +-1 ms. */
  private void clockFor(double bpm, int beats, Random jitter) {
    double tick = 60e9 / bpm / 24;
    long start = clock.nanoTime();
    for (int i = 1; i <= beats * 24; i++) {
      long due = start + Math.round(i * tick);
      while (clock.nanoTime() < due - MS) {
        clock.advanceMillis(1);
        engine().doWork();
      }
      long at = due + (long) ((jitter.nextDouble() * 2 - 1) * MS);
      clock.advanceNanos(Math.max(0, at - clock.nanoTime()));
      send(MidiMessage.CLOCK, 0, 0);
    }
  }

  private long nextTick;

  /** Steps {@code ms} of time 1 ms at a time with a steady MIDI clock at {@code bpm}. */
  private void runWithClock(double bpm, long ms) {
    long tick = Math.round(60e9 / bpm / 24);
    if (nextTick < clock.nanoTime()) {
      nextTick = clock.nanoTime();
    }
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      while (nextTick <= clock.nanoTime()) {
        input.offer(nextTick, MidiMessage.pack(MidiMessage.CLOCK, 0, 0));
        nextTick += tick;
      }
      engine().doWork();
    }
  }

  @Test
  void thePlayersGapsAreToldToTheModelAtItsReferenceTempo() {
    referenceBpm = 120;
    preset = preset.withTiming(5_000, 0, false);
    engine();
    runWithClock(60, 500); // the clock says 60: half the model's tempo
    send(0x90, 60, 100);
    runWithClock(60, 40); // the note's step is over (20 ms of model time): the model heard it
    int afterOn = ScriptedStepper.count(engine.liveState());
    runWithClock(60, 1_960);
    send(0x80, 60, 0);
    runWithClock(60, 40);
    // Two seconds at 60 bpm are one second at 120: one TIME_SHIFT of 1 s, then the note-off.
    assertEquals(afterOn + 2, ScriptedStepper.count(engine.liveState()));
    assertEquals(noteOff(60), (int) engine.liveState().h(0)[1]);
  }

  @Test
  void theModelsTimeShiftsArePlayedAtTheCurrentTempo() {
    for (double bpm : new double[] {80, 120, 150}) {
      engine = null;
      out.events.clear();
      out.ring.drain((t, m) -> { });
      referenceBpm = 120;
      preset = preset.withTiming(100, 0, false);
      engine();
      runWithClock(bpm, 1_000);
      send(0x90, 60, 100);
      runWithClock(bpm, 100);
      send(0x80, 60, 0);
      runWithClock(bpm, 1_500);
      List<long[]> ons = out.noteOns();
      assertTrue(ons.size() >= 3, bpm + " bpm: " + ons.size() + " notes");
      // The model's notes are 200 ms apart at its 120 bpm.
      double expected = 200 * MS * 120 / bpm;
      for (int i = 1; i < 3; i++) {
        assertEquals(expected, ons.get(i)[0] - ons.get(i - 1)[0], 1.5 * MS, bpm + " bpm");
      }
    }
  }

  @Test
  void aModelWithoutAReferenceTempoIsNotWarped() {
    preset = preset.withTiming(5_000, 0, false);
    engine();
    runWithClock(60, 500);
    send(0x90, 60, 100);
    int afterOn = ScriptedStepper.count(engine.liveState());
    runWithClock(60, 2_000);
    send(0x80, 60, 0);
    // Two seconds are told as two: TIME_SHIFTs of 1 s and 1 s, then the note-off.
    assertEquals(afterOn + 3, ScriptedStepper.count(engine.liveState()));
  }

  @Test
  void beforeAnythingElseThePresetsBpmIsTheTempo() {
    preset = preset.with(Settings.BPM, 96.0);
    engine();
    run(1);
    assertEquals(96.0, engine.tempo().statusBpm(), 1e-9);
    assertEquals(TempoSource.PRESET, engine.tempo().statusSource());
  }

  @Test
  void aMidiClockSetsTheTempoWithinHalfABpmAfterOneBeatAndItsLossFallsBack() {
    engine();
    clockFor(90, 1, new Random(1));
    assertEquals(TempoSource.CLOCK, engine.tempo().statusSource());
    assertEquals(90, engine.tempo().statusBpm(), 0.5);
    clockFor(140, 2, new Random(2));
    assertEquals(140, engine.tempo().statusBpm(), 0.5);
    assertEquals(TempoSource.CLOCK, engine.tempo().statusSource());
    run(200); // three tick periods without a tick: the clock is gone
    assertEquals(TempoSource.PRESET, engine.tempo().statusSource());
    // preset, clock, (the jump to 140 relocks the follower: preset, clock), preset
    assertTrue(engine.tempo().sourceChanges() >= 3, "changes: " + engine.tempo().sourceChanges());
  }

  @Test
  void aFixedBpmOverridesTheClock() {
    engine().fixTempo(72);
    clockFor(140, 2, new Random(3));
    assertEquals(TempoSource.FIXED, engine.tempo().statusSource());
    assertEquals(72, engine.tempo().statusBpm(), 1e-9);
  }

  @Test
  void songPositionAndStartMoveTheBeatPosition() {
    engine();
    send(MidiMessage.SONG_POSITION, 8, 0); // 8 sixteenths: beat 2
    send(MidiMessage.CONTINUE, 0, 0);
    clockFor(120, 1, new Random(4));
    Timekeeper time = engine.timekeeper();
    // The first tick after Continue lands on beat 2, the 24th on 2 + 23/24.
    assertEquals(2 + 23 / 24.0, time.beatAt(clock.nanoTime()), 0.01, "from the song position");
    send(MidiMessage.START, 0, 0);
    clockFor(120, 1, new Random(5));
    assertEquals(23 / 24.0, time.beatAt(clock.nanoTime()), 0.01, "Start counts from 0");
    long next = time.nanosAtBeat(2.0, clock.nanoTime());
    assertEquals(clock.nanoTime() + 500 * MS * 25 / 24, next, 3 * MS, "beat 2 is 25 ticks on");
  }

  @Test
  void tapTempoControllerPressesSetTheTempoAndReleasesAreIgnored() {
    preset = preset.with(Settings.TAP_CC, 64);
    engine();
    for (int i = 0; i < 4; i++) {
      send(0xB0, 64, 127);
      run(50);
      send(0xB0, 64, 0);
      run(550);
    }
    assertEquals(TempoSource.TAP, engine.tempo().statusSource());
    assertEquals(100, engine.tempo().statusBpm(), 0.01);
  }

  @Test
  void thePlayersSteadyBeatIsFollowed() {
    engine();
    for (int beat = 0; beat < 24; beat++) { // six bars of quarters and eighths at 100 bpm
      send(0x90, beat % 4 == 0 ? 48 : 67, 90);
      run(300);
      send(0x80, beat % 4 == 0 ? 48 : 67, 0);
      send(0x90, 69, 60);
      run(300);
      send(0x80, 69, 0);
    }
    assertEquals(TempoSource.TRACKER, engine.tempo().statusSource());
    assertEquals(100, engine.tempo().statusBpm(), 2);
  }

  @Test
  void stopReleasesEveryNoteAtOnceAndContinuoStaysSilentUntilContinue() {
    preset = preset.withTiming(100, 0, true);
    phrase();
    send(0x90, 72, 100); // held and echoed
    send(0x80, 72, 0);
    run(400);
    assertEquals(LiveEngine.Phase.PLAYING, engine.phase());
    assertFalse(out.noteOns().isEmpty());
    send(MidiMessage.STOP, 0, 0);
    assertEquals(List.of(), out.sounding(), "nothing sounds after Stop");
    assertEquals(LiveEngine.Phase.LISTENING, engine.phase());
    int ons = out.noteOns().size();
    run(3_000);
    assertEquals(ons, out.noteOns().size(), "silent while stopped");
    send(MidiMessage.CONTINUE, 0, 0);
    phrase();
    run(600);
    assertTrue(out.noteOns().size() > ons, "it answers again after Continue");
  }

  @Test
  void afterStopThePlayerPlayingBringsContinuoBack() {
    phrase();
    run(400);
    send(MidiMessage.STOP, 0, 0);
    int ons = out.noteOns().size();
    phrase();
    run(600);
    assertTrue(out.noteOns().size() > ons);
    engine.requestShutdown();
    engine.doWork();
    assertEquals(List.of(), out.sounding());
  }

  @Test
  void startBeginsANewPhraseSoThePlayedCallIsNotAnswered() {
    preset = preset.withTiming(500, 0, false);
    phrase();
    run(100);
    send(MidiMessage.START, 0, 0);
    run(2_000);
    assertTrue(out.noteOns().isEmpty(), "the call before Start is not answered");
    phrase();
    run(1_000);
    assertFalse(out.noteOns().isEmpty(), "the next call is");
  }

  @Test
  void followingClockAndPlayerAllocatesNothingInSteadyState() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    preset = preset.with(Settings.TAP_CC, 64);
    Random jitter = new Random(6);
    for (int i = 0; i < 20; i++) {
      window(jitter);
    }
    long[] windows = new long[20];
    for (int w = 0; w < windows.length; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      window(jitter);
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      if (windows[w] == 0) {
        return;
      }
    }
    throw new AssertionError("every window allocated: " + java.util.Arrays.toString(windows));
  }

  /** A phrase under a running clock, an answer, a tap, Stop and Start. */
  private void window(Random jitter) {
    send(MidiMessage.START, 0, 0);
    phrase();
    clockFor(120, 2, jitter);
    send(0xB0, 64, 127);
    send(MidiMessage.STOP, 0, 0);
    run(10);
    out.ring.drain((t, m) -> { });
  }
}
