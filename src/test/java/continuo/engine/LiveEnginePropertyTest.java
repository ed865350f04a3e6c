package continuo.engine;

import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static continuo.encoding.PerformanceEncoding.velocity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.preset.Settings;
import continuo.sample.Sampler;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random jams through the engine with a fake clock: notes, chords, pauses, barge-ins, panics,
 * temperature changes, mode changes and preset switches (Program Change and the preset knob, to a
 * voice on another channel), with a sampling (not scripted) choice of tokens. Whatever
 * happens, every note continuo turns on is turned off exactly once, and the limits hold.
 */
class LiveEnginePropertyTest {
  private static final long MS = 1_000_000L;

  @Test
  void everyNoteContinuoTurnsOnIsTurnedOffExactlyOnceAndTheLimitsHold() {
    int switched = 0;
    for (int seed = 0; seed < 100; seed++) {
      switched += jam(seed) ? 1 : 0;
    }
    assertTrue(switched > 50, "jams that switched to the other preset: " + switched);
  }

  /** One random jam; true when it switched to the other preset at some point. */
  private boolean jam(long seed) {
    Random r = new Random(seed);
    FakeClock clock = new FakeClock();
    Counters counters = new Counters();
    MidiEventRing input = new MidiEventRing(1024, counters.newCounter("in"));
    RecordingOutput out = new RecordingOutput();
    int poly = 1 + r.nextInt(6);
    int maxLen = 100 + r.nextInt(2_000);
    Mode mode = r.nextBoolean() ? Mode.DUET : Mode.CALL_RESPONSE;
    Preset preset = Preset.defaults("p", Path.of("m")).with(Settings.TEMPERATURE, 1.0)
        .with(Settings.TOP_P, r.nextBoolean() ? 1.0 : 0.9).with(Settings.TEMPERATURE_CC, 21)
        .with(Settings.PROGRAM, 1).with(Settings.MODE, mode)
        .with(Settings.RESPONSE_GAP_MS, r.nextInt(600))
        .with(Settings.RESPONSE_LENGTH_MS, r.nextInt(2) * 1_000).with(Settings.END_OF_PHRASE_CC, 67)
        .with(Settings.LOOKAHEAD_MS, 50 + r.nextInt(400)).with(Settings.MAX_POLYPHONY, poly)
        .with(Settings.MAX_NOTE_LENGTH_MS, maxLen)
        .with(Settings.LATENCY_OFFSET_MS, r.nextInt(40) - 20).with(Settings.DROP_LATE_MS, 30)
        .with(Settings.THRU, r.nextBoolean()).with(Settings.PANIC_CC, 100)
        .with(Settings.PRESET_CC, 22);
    // The same limits on another channel and model: switching must release the old voice's notes.
    Preset other = Preset.defaults("q", Path.of("q")).with(Settings.TEMPERATURE, 0.8)
        .with(Settings.TEMPERATURE_CC, 21).with(Settings.PROGRAM, 2)
        .with(Settings.OUTPUT_CHANNEL, 2).with(Settings.MODE, mode)
        .with(Settings.RESPONSE_GAP_MS, preset.responseGapMs())
        .with(Settings.RESPONSE_LENGTH_MS, preset.responseLengthMs())
        .with(Settings.END_OF_PHRASE_CC, 67).with(Settings.LOOKAHEAD_MS, preset.lookaheadMs())
        .with(Settings.MAX_POLYPHONY, poly).with(Settings.MAX_NOTE_LENGTH_MS, maxLen)
        .with(Settings.LATENCY_OFFSET_MS, preset.latencyOffsetMs()).with(Settings.DROP_LATE_MS, 30)
        .with(Settings.THRU, preset.thru()).with(Settings.PANIC_CC, 100)
        .with(Settings.PRESET_CC, 22);
    int[] tune = {velocity(r.nextInt(32)), noteOn(60), noteOn(64), timeShift(1 + r.nextInt(30)),
        noteOff(60), noteOn(67), timeShift(1 + r.nextInt(50)), noteOff(64), noteOff(67),
        noteOn(72), timeShift(1 + r.nextInt(100))};
    // A model with strong but not absolute preferences; the real sampler picks among them.
    ScriptedStepper model = new ScriptedStepper(tune);
    Sampler sampler = new Sampler(seed, 388);
    java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
    PresetSwitcher switcher =
        new PresetSwitcher(p -> new ScriptedStepper(tune), line -> loads.incrementAndGet());
    LiveEngine engine = new LiveEngine(clock, input, out.ring, r.nextInt(3) * 5 * MS, preset,
        model, sampler::sample, switcher, List.of(preset, other), counters);
    boolean[] held = new boolean[128];
    boolean switched = false;
    int knobChoice = -1;
    for (int step = 0; step < 3_000; step++) {
      int what = r.nextInt(100);
      long t = clock.nanoTime();
      if (what < 6) {
        int p = 48 + r.nextInt(24);
        input.offer(t, MidiMessage.pack(held[p] ? 0x80 : 0x90, p, held[p] ? 0 : 1 + r.nextInt(127)));
        held[p] = !held[p];
      } else if (what == 6) {
        input.offer(t, MidiMessage.pack(0xB0, 21, r.nextInt(128)));
      } else if (what == 7 && r.nextInt(10) == 0) {
        input.offer(t, MidiMessage.pack(0xB0, r.nextBoolean() ? 123 : 100, 0));
      } else if (what == 8 && r.nextInt(5) == 0) {
        input.offer(t, MidiMessage.pack(0xB0, 67, 127));
      } else if (what == 10 && r.nextInt(3) == 0) {
        // A preset switch by the preset knob or by Program Change. The fake clock stands still
        // while the new model loads, so that every run of a seed switches at the same moment.
        int before = loads.get();
        boolean knob = r.nextBoolean();
        boolean asks;
        if (knob) {
          int value = r.nextInt(128);
          int choice = value * 2 / 128;
          asks = choice != knobChoice && !engine.presetName().equals(choice == 0 ? "p" : "q");
          knobChoice = choice;
          input.offer(t, MidiMessage.pack(0xB0, 22, value));
        } else {
          asks = true;
          input.offer(t, MidiMessage.pack(0xC0, 1 + r.nextInt(2), 0));
        }
        engine.doWork();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (asks && loads.get() == before && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      } else if (what == 9) {
        // A real pause: let continuo play for a while.
        for (int i = 0, n = r.nextInt(3_000); i < n; i++) {
          clock.advanceMillis(1);
          engine.doWork();
        }
      }
      clock.advanceNanos(r.nextInt(5) * MS + r.nextInt(1_000_000));
      engine.doWork();
      switched |= engine.presetName().equals("q");
    }
    engine.requestShutdown();
    engine.doWork();
    switcher.close();
    assertTrue(engine.isSilent());
    String where = "seed " + seed + " " + preset;
    assertEquals(List.of(), out.sounding(), where); // also fails on double on / orphan off
    assertEquals(0, counters.summary().contains("engine.errors") ? 1 : 0, counters.summary());
    assertTrue(out.maxPolyphony() <= poly + (preset.thru() ? 24 : 0), where);
    long[] onAt = new long[16 * 128];
    long[] lastTime = new long[16 * 128];
    for (long[] e : out.events) {
      int m = (int) e[1];
      int key = (MidiMessage.channel(m) - 1) * 128 + MidiMessage.data1(m);
      if (MidiMessage.isNoteOn(m) || MidiMessage.isNoteOff(m)) {
        assertTrue(e[0] >= lastTime[key], "time of note " + key + " went backwards; " + where);
        lastTime[key] = e[0];
      }
      if (MidiMessage.channel(m) > 2 || preset.thru()) {
        continue; // the length limit is continuo's; the player holds notes as long as they like
      }
      if (MidiMessage.isNoteOn(m)) {
        onAt[key] = e[0];
      } else if (MidiMessage.isNoteOff(m)) {
        assertTrue(e[0] - onAt[key] <= (maxLen + 3) * MS,
            "note length " + (e[0] - onAt[key]) / MS + " ms > " + maxLen + "; " + where);
      }
    }
    return switched;
  }
}
