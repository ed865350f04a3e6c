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
import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.preset.Settings;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveEngineTest {
  private static final long MS = 1_000_000L;
  /** A tune that plays one 200 ms note after another. */
  private static final int[] MELODY = {velocity(20), noteOn(60), timeShift(20), noteOff(60),
      noteOn(64), timeShift(20), noteOff(64)};

  private final FakeClock clock = new FakeClock();
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(1024, counters.newCounter("in.dropped"));
  private final RecordingOutput out = new RecordingOutput();
  private final ArgmaxSampler sampler = new ArgmaxSampler();
  private final continuo.midi.MidiHandler discard = (t, m) -> { };

  private Preset preset = temperatureCc(Preset.forModel(Path.of("scripted.cmodel")), 21);

  private static Preset temperatureCc(Preset p, int cc) {
    return p.with(Settings.TEMPERATURE_CC, cc);
  }
  private ScriptedStepper model = new ScriptedStepper(MELODY);
  private LiveEngine engine;

  private LiveEngine engine() {
    if (engine == null) {
      engine = new LiveEngine(clock, input, out.ring, 0, preset, model, sampler, null, List.of(),
          counters);
    }
    return engine;
  }

  private void play(int status, int d1, int d2) {
    input.offer(clock.nanoTime(), MidiMessage.pack(status, d1, d2));
    engine().doWork();
  }

  /** Steps the engine through {@code ms} of time, 1 ms at a time. */
  private void run(long ms) {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      engine().doWork();
    }
  }

  private void phrase() {
    play(0x90, 60, 100);
    run(200);
    play(0x80, 60, 0);
    run(50);
    play(0x90, 62, 90);
    run(200);
    play(0x80, 62, 0);
  }

  @Test
  void feedsEveryPlayerNoteWithTheElapsedTimeOnceItsStepIsOver() {
    engine();
    play(0x90, 60, 100); // velocity + note-on (no time before the first note of the session)
    run(20);
    int afterOn = ScriptedStepper.count(engine.liveState());
    clock.advanceMillis(1_480);
    play(0x80, 60, 0); // TIME_SHIFT 1 s + 0.5 s, note-off
    run(20);
    assertEquals(afterOn + 3, ScriptedStepper.count(engine.liveState()));
    assertEquals(noteOff(60), (int) engine.liveState().h(0)[1]);
    assertTrue(out.drain().events.isEmpty(), "nothing is played while the player plays");
  }

  @Test
  void answersAfterThePauseGapWithScheduledNotesAndReleasesThemAll() {
    preset = preset.withTiming(300, 0, false);
    phrase();
    long lastPlayed = clock.nanoTime();
    run(299);
    assertTrue(out.noteOns().isEmpty(), "no answer before the gap");
    run(2_000);
    assertEquals(LiveEngine.Phase.PLAYING, engine.phase());
    List<long[]> ons = out.noteOns();
    assertTrue(ons.size() >= 4, "answer notes: " + ons.size());
    assertTrue(ons.get(0)[0] >= lastPlayed + 300 * MS, "the answer starts after the gap");
    engine.requestShutdown();
    engine.doWork();
    assertTrue(engine.isSilent());
    assertEquals(List.of(), out.sounding());
  }

  @Test
  void thePlayerBargingInStopsTheAnswerAtOnceAndRollsTheStateBackToWhatWasHeard() {
    preset = preset.withTiming(100, 0, false);
    phrase();
    run(100 + 330); // playing: first note sounds, the look-ahead has generated further
    assertEquals(LiveEngine.Phase.PLAYING, engine.phase());
    int ahead = ScriptedStepper.count(engine.lookaheadState());
    int before = ScriptedStepper.count(engine.liveState());
    int onsBefore = out.noteOns().size();
    assertTrue(onsBefore >= 1);

    play(0x90, 67, 100);
    assertEquals(LiveEngine.Phase.LISTENING, engine.phase());
    assertEquals(List.of(), out.sounding(), "continuo's notes are released at the barge-in");
    int after = ScriptedStepper.count(engine.liveState());
    assertTrue(after > before, "what was heard of the answer is kept");
    assertTrue(after < ahead + 3, "generated tokens that never sounded are rolled back: live "
        + after + " vs look-ahead " + ahead);
    run(50);
    assertEquals(onsBefore, out.noteOns().size(), "nothing more is played while the player plays");
    assertEquals(1, countersValue("engine.barge_ins"));
  }

  @Test
  void theTemperatureControllerMapsZeroTo127OntoPointOneToTwo() {
    preset = preset.withTiming(50, 0, false);
    engine();
    play(0xB0, preset.temperatureCc(), 127);
    assertEquals(2.0f, engine.temperature(), 1e-6);
    play(0xB0, preset.temperatureCc(), 0);
    assertEquals(0.1f, engine.temperature(), 1e-6);
    phrase();
    run(200);
    assertEquals(0.1f, sampler.lastTemperature, 1e-6, "the sampler sees the new temperature");
  }

  @Test
  void allNotesOffSilencesContinuoUntilThePlayerPlaysAgain() {
    preset = preset.withTiming(100, 0, false);
    phrase();
    run(400);
    assertFalse(out.noteOns().isEmpty());
    play(0xB0, MidiMessage.CC_ALL_NOTES_OFF, 0);
    assertEquals(List.of(), out.sounding());
    assertTrue(out.events.stream().anyMatch(e -> MidiMessage.command((int) e[1]) == 0xB0
        && MidiMessage.data1((int) e[1]) == MidiMessage.CC_ALL_NOTES_OFF));
    int ons = out.noteOns().size();
    run(2_000);
    assertEquals(ons, out.noteOns().size(), "no answer after a panic until the player plays");
    phrase();
    run(500);
    assertTrue(out.noteOns().size() > ons);
  }

  @Test
  void polyphonyAndNoteLengthLimitsHoldWhatEverTheModelWants() {
    // A model that only ever wants new notes and never lets go.
    model = new ScriptedStepper(noteOn(60), noteOn(62), noteOn(64), noteOn(65), noteOn(67),
        timeShift(5));
    preset = Preset.defaults("p", Path.of("m")).with(Settings.TEMPERATURE, 1.0)
        .with(Settings.RESPONSE_GAP_MS, 100).with(Settings.MAX_POLYPHONY, 2)
        .with(Settings.MAX_NOTE_LENGTH_MS, 500);
    phrase();
    run(5_000);
    assertTrue(out.noteOns().size() > 4);
    assertTrue(out.maxPolyphony() <= 2, "polyphony " + out.maxPolyphony());
    long[] onAt = new long[128];
    for (long[] e : out.events) {
      int m = (int) e[1];
      if (MidiMessage.isNoteOn(m)) {
        onAt[MidiMessage.data1(m)] = e[0];
      } else if (MidiMessage.isNoteOff(m)) {
        long length = e[0] - onAt[MidiMessage.data1(m)];
        assertTrue(length <= 503 * MS, "note length " + length / MS + " ms");
      }
    }
    engine.requestShutdown();
    engine.doWork();
    assertEquals(List.of(), out.sounding());
  }

  @Test
  void callResponseAnswersAboutAsLongAsTheCallThenListensAgain() {
    preset = preset.withMode(Mode.CALL_RESPONSE).withTiming(300, 0, false);
    phrase(); // 450 ms call, answered for at least 1 s
    run(300 + 3_000);
    assertEquals(LiveEngine.Phase.LISTENING, engine.phase());
    List<long[]> ons = out.noteOns();
    assertFalse(ons.isEmpty());
    long first = ons.get(0)[0];
    long last = out.events.get(out.events.size() - 1)[0];
    assertTrue(last - first <= 1_050 * MS, "answer length " + (last - first) / MS + " ms");
    assertEquals(List.of(), out.sounding(), "every answer note ends with the answer");
    int n = ons.size();
    run(3_000);
    assertEquals(n, out.noteOns().size(), "one answer per call");
  }

  @Test
  void thruEchoesThePlayerAndReleasesTheirNotesOnShutdown() {
    preset = preset.withTiming(5_000, 0, true);
    engine();
    play(0x91, 60, 100);
    assertEquals(1, out.noteOns().size());
    engine.requestShutdown();
    engine.doWork();
    assertEquals(List.of(), out.sounding());
  }

  @Test
  void theLatencyOffsetMovesEveryAnswerNote() {
    preset = preset.withTiming(100, 40, false);
    phrase();
    run(100);
    long decided = clock.nanoTime();
    run(500);
    assertTrue(out.noteOns().get(0)[0] >= decided + 40 * MS - 2 * MS);
  }

  @Test
  void playingAllocatesNothingInSteadyState() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    preset = preset.withTiming(50, 0, false);
    // Warm up every path (listening, playing, barge-in) so class loading and JIT are done.
    for (int i = 0; i < 30; i++) {
      phrase();
      run(1_000);
      out.ring.drain(discard);
    }
    assertSteadyStateAllocatesNothing(threads);
  }

  @Test
  void aFailingModelIsCountedItsNotesReleasedAndTheEngineKeepsListening() {
    preset = preset.withTiming(100, 0, false);
    phrase();
    run(400);
    assertFalse(out.noteOns().isEmpty());
    model.failing = true;
    run(300);
    assertTrue(countersValue("engine.errors") >= 1);
    assertEquals(List.of(), out.sounding(), "the notes it had on are released");
    model.failing = false;
    int ons = out.noteOns().size();
    phrase();
    run(600);
    assertTrue(out.noteOns().size() > ons, "it answers again once the model works");
  }

  @Test
  void shutdownReleasesEveryNoteEvenWhenTheModelFails() {
    preset = preset.withTiming(100, 0, false);
    phrase();
    run(330);
    assertEquals(LiveEngine.Phase.PLAYING, engine.phase());
    assertFalse(out.noteOns().isEmpty());
    model.failing = true; // rolling back would step the model: it throws instead
    engine.requestShutdown();
    engine.doWork();
    assertTrue(engine.isSilent());
    assertEquals(List.of(), out.sounding());
  }

  @Test
  void notesOnOtherChannelsAreIgnoredWhenAChannelIsSet() {
    preset = preset.withChannels(2, 1).withTiming(100, 0, false);
    engine();
    int before = ScriptedStepper.count(engine.liveState());
    play(0x90, 60, 100); // channel 1
    run(20);
    assertEquals(before, ScriptedStepper.count(engine.liveState()));
    play(0x91, 60, 100); // channel 2
    run(20);
    assertTrue(ScriptedStepper.count(engine.liveState()) > before);
  }

  @Test
  void theEndOfPhraseControllerEndsTheCallAtOnce() {
    preset = Preset.defaults("cr", Path.of("m")).with(Settings.TEMPERATURE, 1.0)
        .with(Settings.MODE, Mode.CALL_RESPONSE).with(Settings.RESPONSE_GAP_MS, 5_000)
        .with(Settings.RESPONSE_LENGTH_MS, 800).with(Settings.END_OF_PHRASE_CC, 67);
    phrase();
    run(100);
    assertTrue(out.noteOns().isEmpty(), "still listening: the gap is 5 s");
    play(0xB0, 67, 127);
    run(1_500);
    assertFalse(out.noteOns().isEmpty(), "the controller started the answer");
    assertEquals(LiveEngine.Phase.LISTENING, engine.phase(), "an 800 ms answer has ended");
    assertEquals(List.of(), out.sounding());
  }

  @Test
  void aProgramChangeSwapsInTheWarmedModelAndABrokenOneNeverReplacesIt() throws Exception {
    Preset other = Preset.defaults("other", Path.of("other.cmodel")).with(Settings.TEMPERATURE, 0.5)
        .with(Settings.PROGRAM, 7).with(Settings.OUTPUT_CHANNEL, 5)
        .with(Settings.RESPONSE_GAP_MS, 100);
    Preset broken = Preset.defaults("broken", Path.of("broken.cmodel"))
        .with(Settings.TEMPERATURE, 0.5).with(Settings.PROGRAM, 8).with(Settings.OUTPUT_CHANNEL, 6)
        .with(Settings.RESPONSE_GAP_MS, 100);
    ScriptedStepper otherModel = new ScriptedStepper(MELODY);
    List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (PresetSwitcher switcher = new PresetSwitcher(p -> {
      if (p == broken) {
        throw new continuo.model.ModelFormatException("broken.cmodel: not a model");
      }
      return otherModel;
    }, reports::add)) {
      engine = new LiveEngine(clock, input, out.ring, 0, preset.withTiming(100, 0, false), model,
          sampler, switcher, List.of(other, broken), counters);
      phrase();
      play(0xC0, 8, 0);
      waitFor(() -> !reports.isEmpty());
      run(10);
      assertEquals(preset.name(), engine.presetName(), "a model that fails keeps the old one");
      assertTrue(reports.get(0).contains("broken.cmodel"), reports.toString());

      play(0xC0, 7, 0);
      waitFor(() -> reports.size() >= 2);
      run(10);
      assertEquals("other", engine.presetName());
      assertEquals(0.5f, engine.temperature(), 1e-6);
      assertTrue(ScriptedStepper.count(engine.liveState()) >= 8, "warmed with the phrase");
      run(1_000);
      for (long[] e : out.noteOns()) {
        assertEquals(5, MidiMessage.channel((int) e[1]), "the new preset's channel");
      }
      assertFalse(out.noteOns().isEmpty());
      waitFor(() -> model.closed);
    }
  }

  @Test
  void thePresetControllerSplitsItsRangeAmongThePresetsAndAsksOncePerPreset() throws Exception {
    Preset a = Preset.defaults("a", Path.of("a.cmodel")).with(Settings.TEMPERATURE, 0.5)
        .with(Settings.OUTPUT_CHANNEL, 2).with(Settings.RESPONSE_GAP_MS, 100)
        .with(Settings.PRESET_CC, 22);
    Preset b = Preset.defaults("b", Path.of("b.cmodel")).with(Settings.TEMPERATURE, 0.7)
        .with(Settings.OUTPUT_CHANNEL, 3).with(Settings.RESPONSE_GAP_MS, 100)
        .with(Settings.PRESET_CC, 22);
    List<String> loaded = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (PresetSwitcher switcher = new PresetSwitcher(p -> {
      loaded.add(p.name());
      return new ScriptedStepper(MELODY);
    }, reports::add)) {
      Preset start = Preset.defaults(preset.name(), preset.model())
          .with(Settings.RESPONSE_GAP_MS, 100).with(Settings.PRESET_CC, 22);
      engine = new LiveEngine(clock, input, out.ring, 0, start, model, sampler, switcher,
          List.of(a, b), counters);
      phrase();
      for (int value = 0; value <= 127; value++) {
        play(0xB0, 22, value); // a knob turned all the way up
      }
      waitFor(() -> reports.size() >= 2);
      run(10);
      assertEquals(List.of("a", "b"), loaded, "each preset asked for once on the way up");
      assertEquals("b", engine.presetName(), "the top of the range is the last preset");
      assertEquals(0.7f, engine.temperature(), 1e-6);

      play(0xB0, 22, 127);
      play(0xB0, 22, 100);
      play(0xB0, 22, 20);
      waitFor(() -> reports.size() >= 3);
      run(10);
      assertEquals(List.of("a", "b", "a"), loaded);
      assertEquals("a", engine.presetName());
    }
  }

  @Test
  void midiLearnAssignsTheNextControllerMovedAndKeepsAllNotesOffReserved() {
    engine();
    engine.learn(LiveEngine.Learn.TEMPERATURE);
    play(0xB0, MidiMessage.CC_ALL_NOTES_OFF, 0); // never learned: it always means panic
    assertEquals(-1, engine.learnedCc());
    play(0xB0, 74, 10);
    assertEquals(74, engine.learnedCc());
    play(0xB0, 74, 127);
    assertEquals(2.0f, engine.temperature(), 1e-6, "CC 74 now sets the temperature");
    play(0xB0, preset.temperatureCc(), 0);
    assertEquals(2.0f, engine.temperature(), 1e-6, "the preset's controller no longer does");
  }

  private static void waitFor(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not reached in 10 s");
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aRealModelAndSamplerPlayWithoutAllocatingEither() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    continuo.model.LstmStepper real =
        continuo.model.Models.stepper(continuo.model.RandomModels.create(32, 128, 2, 3));
    continuo.sample.Sampler sampling = new continuo.sample.Sampler(3, 388);
    engine = new LiveEngine(clock, input, out.ring, 0, preset.withTiming(50, 0, false), real,
        sampling::sample, null, List.of(), counters);
    // What continuo run does at load time: let the JIT compile the Vector API step first.
    continuo.model.Models.warmUp(
        real, LiveSession.WARM_UP_MIN_STEPS, LiveSession.WARM_UP_MAX_STEPS);
    for (int i = 0; i < 30; i++) {
      phrase();
      run(1_000);
      out.ring.drain(discard);
    }
    assertSteadyStateAllocatesNothing(threads);
  }

  @Test
  void aModelWhoseScoresAreNotFiniteAnswersNothingAndEachPhraseIsCounted() {
    continuo.model.LstmStepper huge =
        continuo.model.Models.stepper(continuo.testkit.OverflowingModel.weights());
    continuo.sample.Sampler sampling = new continuo.sample.Sampler(3, 388);
    engine = new LiveEngine(clock, input, out.ring, 0, preset.withTiming(100, 0, false), huge,
        sampling::sample, null, List.of(), counters);
    phrase();
    run(1_000);
    assertEquals(LiveEngine.Phase.LISTENING, engine.phase(), "the answer ended at once");
    phrase();
    run(1_000);
    assertTrue(out.noteOns().isEmpty(), "no notes of pitch 0, nor any other");
    assertEquals(2, countersValue("engine.nonfinite_logits"), "one for each phrase");
    assertEquals(0, countersValue("engine.errors"));
    engine.requestShutdown();
    engine.doWork();
    assertTrue(engine.isSilent());
  }

  /**
   * Plays windows of 5 phrases and answers until one allocates nothing (at most 20). Allocation on
   * the hot path would recur in every window; a late JIT recompilation shows in one window only.
   */
  private void assertSteadyStateAllocatesNothing(com.sun.management.ThreadMXBean threads) {
    long[] windows = new long[20];
    for (int w = 0; w < windows.length; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 5; i++) {
        phrase();
        run(1_000);
        out.ring.drain(discard);
      }
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      if (windows[w] == 0) {
        return;
      }
    }
    throw new AssertionError("every window of 5 phrases allocated: "
        + java.util.Arrays.toString(windows) + " bytes");
  }

  private long countersValue(String label) {
    String s = counters.summary();
    for (String kv : s.split(" ")) {
      if (kv.startsWith(label + "=")) {
        return Long.parseLong(kv.substring(label.length() + 1));
      }
    }
    return 0;
  }
}
