package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.encoding.PerformanceEncoding;
import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.model.LstmStepper;
import continuo.preset.Preset;
import continuo.preset.Presets;
import continuo.sample.Sampler;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ReferenceModels;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The live engine keeps the player's tempo: a real reel performed at 0.67x to 1.5x of its written
 * tempo is played into the engine (as {@code run --in file:} plays a file, each note at its time,
 * on a fake clock stepped a millisecond at a time), a copy of the shipped folk model that speaks at
 * 120 bpm answers, and the
 * answer's median onset interval over the primer's beat is compared with what it is at 1.0x.
 */
class LiveTempoFollowTest {
  static final double[] SPEEDS = {0.67, 0.8, 1.0, 1.25, 1.5};

  /** The answer's median onset interval over the primer's beat, the tempo followed, at a speed. */
  static double[] answer(String fixture, double writtenBpm, int bars, double speed)
      throws Exception {
    List<Note> notes;
    try (InputStream in = LiveTempoFollowTest.class.getResourceAsStream(
        "/continuo/tempo/" + fixture + ".mid")) {
      notes = MidiFiles.parse(in.readAllBytes(), fixture);
    }
    long first = notes.stream().mapToLong(Note::startMicros).min().orElseThrow();
    double end = first + bars * 4 * 60e6 / writtenBpm;
    List<long[]> events = new ArrayList<>(); // nanos, message
    for (Note n : notes) {
      if (n.startMicros() < end) {
        long on = Math.round((n.startMicros() - first) * 1000 / speed);
        long off = Math.round((n.endMicros() - first) * 1000 / speed);
        events.add(new long[] {on, MidiMessage.pack(0x90, n.pitch(), n.velocity())});
        events.add(new long[] {Math.max(on + 1, off), MidiMessage.pack(0x80, n.pitch(), 0)});
      }
    }
    events.sort((a, b) -> Long.compare(a[0], b[0]));
    Path home = Path.of("").toAbsolutePath();
    Path copy = ReferenceModels.withReferenceBpm(home.resolve("models/folk.cmodel"), 120,
        java.nio.file.Files.createTempFile("folk-120", ".cmodel"));
    Preset preset = Presets.find(home, "folk").withModel(copy);
    FakeClock clock = new FakeClock();
    Counters counters = new Counters();
    MidiEventRing input = new MidiEventRing(8192, counters.newCounter("in.dropped"));
    RecordingOutput out = new RecordingOutput();
    copy.toFile().deleteOnExit();
    try (LstmStepper stepper = LiveSession.loadModel(preset, home)) {
      Sampler sampler = new Sampler(5, PerformanceEncoding.VOCAB_SIZE);
      LiveEngine engine = new LiveEngine(clock, input, out.ring, 0, preset, stepper,
          sampler::sample, null, List.of(), counters);
      long start = clock.nanoTime();
      // The written beats 16 and 32 (bars 5 to 8), in the performance's time.
      long from = start + Math.round(16 * 60e9 / (writtenBpm * speed));
      long to = start + Math.round(32 * 60e9 / (writtenBpm * speed));
      long firstOn = -1;
      long lastOn = -1;
      long firstModel = 0;
      long lastModel = 0;
      int next = 0;
      long primerEnd = start + events.get(events.size() - 1)[0];
      while (clock.nanoTime() < primerEnd + 15_000_000_000L) {
        clock.advanceMillis(1);
        while (next < events.size() && start + events.get(next)[0] <= clock.nanoTime()) {
          long t = start + events.get(next)[0];
          input.offer(t, (int) events.get(next)[1]);
          if (MidiMessage.isNoteOn((int) events.get(next)[1]) && t >= from && t < to) {
            if (firstOn < 0) {
              firstOn = t;
              firstModel = engine.timekeeper().toModel(t);
            }
            lastOn = t;
            lastModel = engine.timekeeper().toModel(t);
          }
          next++;
        }
        engine.doWork();
        out.drain();
      }
      long[] ons = out.noteOns().stream().mapToLong(e -> e[0]).sorted().toArray();
      List<Long> iois = new ArrayList<>();
      long last = ons[0];
      for (long t : ons) {
        if (t - last > 35_000_000L) {
          iois.add(t - last);
          last = t;
        }
      }
      double logSum = 0;
      for (long ioi : iois) {
        logSum += Math.log(ioi);
      }
      double beat = 60e9 / (writtenBpm * speed);
      // Bars 5-8 as the model heard them, over the same notes at the written tempo.
      double heard = (lastModel - firstModel) / ((lastOn - firstOn) * speed);
      return new double[] {Math.exp(logSum / iois.size()) / beat, engine.tempoBpm(), ons.length,
          heard};
    }
  }

  @Test
  void folkHearsAReelAtItsWrittenTempoWhateverTheSpeedTheTrackerCountsItAt() throws Exception {
    double[] heard = new double[SPEEDS.length];
    double[] tempo = new double[SPEEDS.length];
    for (int i = 0; i < SPEEDS.length; i++) {
      double[] a = answer("nottingham-reelsa-c4", 120, 8, SPEEDS[i]);
      heard[i] = a[3];
      tempo[i] = a[1];
      System.out.printf(Locale.ROOT, "live folk reel x%.2f: tempo %.1f bpm, bars 5-8 heard at "
          + "%.3f of the written tempo's length; %d answer notes, geometric mean onset interval "
          + "%.3f beat%n", SPEEDS[i], a[1], a[3], (int) a[2], a[0]);
    }
    // Where the tracker counts at the written level or an octave that folds onto the model's
    // reference (120 bpm: 85-170 bpm), the model hears bars 5-8 at their written length.
    for (int i = 0; i < SPEEDS.length; i++) {
      double folded = tempo[i] * Math.pow(2, Math.rint(Math.log(120 / tempo[i]) / Math.log(2)));
      if (Math.abs(folded / (120 * SPEEDS[i]) - 1) < 0.03) {
        assertTrue(Math.abs(heard[i] - 1) < 0.03, String.format(Locale.ROOT,
            "x%.2f heard at %.3f %s", SPEEDS[i], heard[i], Arrays.toString(heard)));
      }
    }
    assertTrue(Math.abs(heard[1] - 1) < 0.03 && Math.abs(heard[2] - 1) < 0.03
        && Math.abs(heard[3] - 1) < 0.03, "0.8x to 1.25x fold onto 120: " + Arrays.toString(heard));
  }
}
