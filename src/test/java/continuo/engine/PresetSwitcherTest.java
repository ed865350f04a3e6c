package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.PerformanceEncoding;
import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.model.LstmStepper;
import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.preset.Settings;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PresetSwitcherTest {
  private static final long MS = 1_000_000L;
  private static final int[] MELODY = {PerformanceEncoding.velocity(20),
      PerformanceEncoding.noteOn(60), PerformanceEncoding.timeShift(20),
      PerformanceEncoding.noteOff(60)};

  private final FakeClock clock = new FakeClock();
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(1024, counters.newCounter("in.dropped"));
  private final RecordingOutput out = new RecordingOutput();
  private final List<String> reports = new CopyOnWriteArrayList<>();

  private static Preset preset(String name, int program, int channel) {
    return Preset.defaults(name, Path.of(name + ".cmodel")).with(Settings.TEMPERATURE, 0.5)
        .with(Settings.PROGRAM, program).with(Settings.OUTPUT_CHANNEL, channel)
        .with(Settings.RESPONSE_GAP_MS, 100);
  }

  private final Preset playing = preset("playing", 1, 1);
  private final Preset huge = preset("huge", 2, 2);
  private final Preset other = preset("other", 3, 3);

  /** Loads a real out-of-memory for {@code huge}: more than any test heap holds, at once. */
  private LstmStepper load(Preset p) {
    if (p == huge) {
      long[] weights = new long[Integer.MAX_VALUE - 16];
      weights[0] = 1;
      throw new IllegalStateException("unreachable: " + weights.length);
    }
    return new ScriptedStepper(MELODY);
  }

  private void play(LiveEngine engine, int status, int d1, int d2) {
    input.offer(clock.nanoTime(), MidiMessage.pack(status, d1, d2));
    engine.doWork();
  }

  private void run(LiveEngine engine, long ms) {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      engine.doWork();
    }
  }

  private void phrase(LiveEngine engine) {
    play(engine, 0x90, 60, 100);
    run(engine, 200);
    play(engine, 0x80, 60, 0);
    run(engine, 300);
  }

  @Test
  void aModelTooBigForTheHeapIsOneLineAndTheCurrentModelPlaysOnAndLaterSwitchesWork()
      throws Exception {
    ScriptedStepper model = new ScriptedStepper(MELODY);
    try (PresetSwitcher switcher = new PresetSwitcher(this::load, reports::add, playing,
        PresetSwitcher.defaultIdleStrategy())) {
      LiveEngine engine = new LiveEngine(clock, input, out.ring, 0, playing, model,
          new ArgmaxSampler(), switcher, List.of(playing, huge, other), counters);
      phrase(engine);
      play(engine, 0xC0, 2, 0); // Program Change to the preset whose model cannot fit
      waitFor(() -> !reports.isEmpty());
      run(engine, 10);
      assertEquals("playing", engine.presetName(), "the model playing goes on playing");
      assertEquals(1, reports.size(), reports.toString());
      String line = reports.get(0);
      assertTrue(line.contains("'huge'") && line.contains("out of memory")
          && line.contains("keeping the current one"), line);
      assertFalse(line.contains("\n"), "one line");

      int before = out.noteOns().size();
      phrase(engine);
      run(engine, 1_000);
      assertTrue(out.noteOns().size() > before, "it still answers");

      play(engine, 0xC0, 3, 0); // a later Program Change still works
      waitFor(() -> reports.size() >= 2);
      run(engine, 10);
      assertEquals("other", engine.presetName(), reports.toString());
      waitFor(() -> model.closed); // the model it replaced is closed off the engine thread
    }
  }

  @Test
  void aProgramChangeToThePresetAlreadyPlayingDoesNotReloadIt() throws Exception {
    List<String> loaded = new CopyOnWriteArrayList<>();
    try (PresetSwitcher switcher = new PresetSwitcher(p -> {
      loaded.add(p.name());
      return new ScriptedStepper(MELODY);
    }, reports::add, playing, PresetSwitcher.defaultIdleStrategy())) {
      LiveEngine engine = new LiveEngine(clock, input, out.ring, 0, playing,
          new ScriptedStepper(MELODY), new ArgmaxSampler(), switcher, List.of(playing, other),
          counters);
      phrase(engine);
      play(engine, 0xC0, 1, 0);
      waitFor(() -> !reports.isEmpty());
      assertEquals(List.of(), loaded, "the preset playing is not loaded again");
      assertTrue(reports.get(0).contains("already playing"), reports.toString());

      play(engine, 0xC0, 3, 0);
      waitFor(() -> reports.size() >= 2);
      run(engine, 10);
      assertEquals("other", engine.presetName());
      play(engine, 0xC0, 3, 0);
      waitFor(() -> reports.size() >= 3);
      play(engine, 0xC0, 1, 0); // back to the first: that one does load
      waitFor(() -> reports.size() >= 4);
      run(engine, 10);
      assertEquals(List.of("other", "playing"), loaded, reports.toString());
      assertEquals("playing", engine.presetName());
    }
  }

  @Test
  void requestingPollingAndRetiringAllocateNothingOnTheEngineThread() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int[] history = new int[512];
    Arrays.fill(history, PerformanceEncoding.timeShift(5));
    Preset[] presets = {other, playing};
    try (PresetSwitcher switcher = new PresetSwitcher(p -> new ScriptedStepper(MELODY),
        reports::add, playing, PresetSwitcher.defaultIdleStrategy())) {
      long[] windows = new long[20];
      int switches = 0;
      for (int w = 0; w < windows.length; w++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++, switches++) {
          assertTrue(switcher.request(presets[switches % 2], history, 1_000 + switches));
          PresetSwitcher.Ready r;
          long deadline = System.nanoTime() + 10_000 * MS;
          while ((r = switcher.poll()) == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          assertNotNull(r, "loaded within 10 s");
          switcher.retire(r.stepper());
        }
        windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
        if (windows[w] == 0) {
          return;
        }
      }
      throw new AssertionError("every window of 20 switches allocated on the engine thread: "
          + Arrays.toString(windows) + " bytes");
    }
  }

  @Test
  void moreRequestsThanSlotsAreRefusedNotBlocked() {
    Object gate = new Object();
    try (PresetSwitcher switcher = new PresetSwitcher(p -> {
      synchronized (gate) {
        gate.wait(2_000);
      }
      return new ScriptedStepper(MELODY);
    }, reports::add, null, PresetSwitcher.defaultIdleStrategy())) {
      int accepted = 0;
      for (int i = 0; i < PresetSwitcher.SLOTS + 2; i++) {
        if (switcher.request(other, new int[0], 0)) {
          accepted++;
        }
      }
      assertTrue(accepted >= PresetSwitcher.SLOTS && accepted <= PresetSwitcher.SLOTS + 1,
          "accepted " + accepted);
      synchronized (gate) {
        gate.notifyAll();
      }
    }
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + 10_000 * MS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not reached in 10 s");
      }
      Thread.sleep(5);
    }
  }
}
