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
import continuo.midi.MidiStreamDecoder;
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
 * temperature changes, mode changes, the sustain pedal and preset switches (Program Change and the
 * preset knob, to a voice on another channel), with a sampling (not scripted) choice of tokens; and
 * faults: note-offs and note-ons lost, bursts of random bytes through the MIDI stream decoder.
 * Whatever happens, every note continuo turns on is turned off exactly once, and the limits hold;
 * after every fault, once the player plays a phrase and pauses, continuo answers again.
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
    assertTrue(faults[0] > 100 && faults[1] > 100 && faults[2] > 100,
        "lost note-offs, lost note-ons, garbage bursts: " + java.util.Arrays.toString(faults));
  }

  /** Faults injected over all jams: lost note-offs, lost note-ons, garbage bursts. */
  private final int[] faults = new int[3];

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
    int heldLimitMs = 500 + r.nextInt(2_000);
    Preset preset = Preset.defaults("p", Path.of("m")).with(Settings.TEMPERATURE, 1.0)
        .with(Settings.TOP_P, r.nextBoolean() ? 1.0 : 0.9).with(Settings.TEMPERATURE_CC, 21)
        .with(Settings.PROGRAM, 1).with(Settings.MODE, mode)
        .with(Settings.RESPONSE_GAP_MS, r.nextInt(600))
        .with(Settings.RESPONSE_LENGTH_MS, r.nextInt(2) * 1_000).with(Settings.END_OF_PHRASE_CC, 67)
        .with(Settings.LOOKAHEAD_MS, 50 + r.nextInt(400)).with(Settings.MAX_POLYPHONY, poly)
        .with(Settings.MAX_NOTE_LENGTH_MS, maxLen)
        .with(Settings.LATENCY_OFFSET_MS, r.nextInt(40) - 20).with(Settings.DROP_LATE_MS, 30)
        .with(Settings.THRU, r.nextBoolean()).with(Settings.PANIC_CC, 100)
        .with(Settings.PRESET_CC, 22).with(Settings.HELD_NOTE_TIMEOUT_MS, heldLimitMs);
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
        .with(Settings.PRESET_CC, 22).with(Settings.HELD_NOTE_TIMEOUT_MS, heldLimitMs);
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
    MidiStreamDecoder decoder = new MidiStreamDecoder();
    boolean[] held = new boolean[128];
    boolean pedal = false;
    int garbageNoteOns = 0;
    boolean switched = false;
    int knobChoice = -1;
    String where = "seed " + seed + " " + preset;
    for (int step = 0; step < 3_000; step++) {
      int what = r.nextInt(100);
      long t = clock.nanoTime();
      if (what < 6) {
        int p = 48 + r.nextInt(24);
        // Faults: a note-off or a note-on lost on its way (an xrun, a cable, a busy port).
        int lost = r.nextInt(25) == 0 ? (held[p] ? 0 : 1) : -1;
        if (lost < 0) {
          input.offer(t, MidiMessage.pack(held[p] ? 0x80 : 0x90, p, held[p] ? 0 : 1 + r.nextInt(127)));
        }
        held[p] = !held[p];
        if (lost >= 0) {
          faults[lost]++;
          answersAgain(engine, input, clock, r, held,
              preset.responseGapMs() + heldLimitMs, where + " after a lost note-"
              + (lost == 0 ? "off" : "on"));
          pedal = false;
        }
      } else if (what == 11 && r.nextInt(8) == 0) {
        // A burst of random bytes (a faulty cable or device) through the live stream decoder.
        faults[2]++;
        byte[] garbage = new byte[1 + r.nextInt(256)];
        r.nextBytes(garbage);
        int[] seen = {knobChoice, 0, 0}; // the knob's choice, switches asked, note-ons
        int before = loads.get();
        decoder.feed(t, garbage, 0, garbage.length, (time, msg) -> {
          int command = MidiMessage.command(msg);
          if (command == 0xB0 && MidiMessage.data1(msg) == 22) {
            seen[0] = MidiMessage.data2(msg) * 2 / 128; // as the engine's knob will see it
            seen[1]++;
          } else if (command == 0xC0 && (MidiMessage.data1(msg) == 1
              || MidiMessage.data1(msg) == 2)) {
            seen[1]++;
          } else if (MidiMessage.isNoteOn(msg)) {
            seen[2]++;
          }
          input.offer(time, msg);
        });
        knobChoice = seen[0];
        garbageNoteOns += seen[2];
        engine.doWork();
        if (seen[1] > 0) {
          settle(loads, before); // a switch the garbage asked for lands before the probe
        }
        answersAgain(engine, input, clock, r, held,
            preset.responseGapMs() + heldLimitMs, where + " after " + garbage.length
            + " random bytes");
        pedal = false;
      } else if (what == 12) {
        pedal = !pedal;
        input.offer(t, MidiMessage.pack(0xB0, MidiMessage.CC_SUSTAIN, pedal ? 127 : 0));
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
    assertEquals(List.of(), out.sounding(), where); // also fails on double on / orphan off
    assertEquals(0, counters.summary().contains("engine.errors") ? 1 : 0, counters.summary());
    // Thru echoes what the player's side sent: their 24 keys and any note-on of the garbage.
    assertTrue(out.maxPolyphony() <= poly + (preset.thru() ? 24 + garbageNoteOns : 0), where);
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

  /**
   * The player lets go of every key and the pedal, plays a note and pauses: continuo must take its
   * turn within the pause ({@code waitMs}: the gap plus the held-note limit, for a key whose
   * note-off was lost) and two seconds. The turn, not its notes: a sampled answer may be silent
   * (all time shifts, or every pitch the scripted model wants held by an echo nobody releases).
   */
  private static void answersAgain(LiveEngine engine, MidiEventRing input, FakeClock clock,
      Random r, boolean[] held, int waitMs, String where) {
    for (int p = 0; p < 128; p++) {
      if (held[p]) {
        input.offer(clock.nanoTime(), MidiMessage.pack(0x80, p, 0));
        held[p] = false;
      }
    }
    input.offer(clock.nanoTime(), MidiMessage.pack(0xB0, MidiMessage.CC_SUSTAIN, 0));
    int p = 48 + r.nextInt(24);
    input.offer(clock.nanoTime(), MidiMessage.pack(0x90, p, 1 + r.nextInt(127)));
    engine.doWork();
    clock.advanceMillis(100 + r.nextInt(200));
    engine.doWork();
    input.offer(clock.nanoTime(), MidiMessage.pack(0x80, p, 0));
    engine.doWork();
    for (int ms = 0; ms < waitMs + 2_000; ms += 2) {
      clock.advanceMillis(2);
      engine.doWork();
      if (engine.phase() == LiveEngine.Phase.PLAYING) {
        return;
      }
    }
    throw new AssertionError("continuo did not answer " + where);
  }

  /** Waits (wall time, the fake clock standing) until no preset load has finished for 50 ms. */
  private static void settle(java.util.concurrent.atomic.AtomicInteger loads, int before) {
    int seen = before;
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < 50_000_000L) {
      Thread.onSpinWait();
      int now = loads.get();
      if (now != seen) {
        seen = now;
        quietSince = System.nanoTime();
      }
    }
  }
}
