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
import continuo.midifile.MidiFileReader;
import continuo.midifile.TempoMap;
import continuo.midifile.TimedMessages;
import continuo.preset.Preset;
import continuo.preset.Settings;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --record} carries the session's tempo map: the engine's timekeeper through the ring. */
class RecordedTempoTest {
  private static final long MS = 1_000_000L;

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(4096, counters.newCounter("in.dropped"));
  private final MidiEventRing record = new MidiEventRing(1 << 16, counters.newCounter("rec"));
  private final RecordingOutput out = new RecordingOutput();
  private final List<String> log = new ArrayList<>();

  @Test
  void thePresetsTempoThenAMidiClocksAreInTheFileAndTheNotesKeepTheirTimes() throws Exception {
    Path jam = dir.resolve("jam.mid");
    SessionRecorder recorder = new SessionRecorder(record, clock, jam, log::add);
    clock.advanceMillis(300); // the engine starts after the recorder, as in a session
    Preset preset = Preset.forModel(Path.of("scripted.cmodel")).withTiming(100, 0, false)
        .with(Settings.BPM, 96.0);
    LiveEngine engine = new LiveEngine(clock, new MidiEventRing[] {input}, out.ring, record, 0,
        preset, new ScriptedStepper(new int[] {velocity(20), noteOn(60), timeShift(20),
        noteOff(60)}), new ArgmaxSampler(), null, List.of(), counters);
    engine.doWork();
    long noteAt = clock.nanoTime() + 500 * MS;
    Random jitter = new Random(3);
    double tick = 60e9 / 90 / 24;
    long clockStart = clock.nanoTime() + 1_000 * MS;
    boolean noteSent = false;
    for (int i = 0; i <= 8 * 24; i++) {
      long due = clockStart + Math.round(i * tick) + (long) ((jitter.nextDouble() * 2 - 1) * MS);
      while (clock.nanoTime() < due) {
        clock.advanceMillis(1);
        if (!noteSent && clock.nanoTime() >= noteAt) {
          input.offer(clock.nanoTime(), MidiMessage.pack(0x90, 64, 100));
          noteSent = true;
        }
        engine.doWork();
        recorder.doWork();
      }
      input.offer(clock.nanoTime(), MidiMessage.CLOCK);
      engine.doWork();
    }
    long end = clock.nanoTime();
    recorder.finish();

    TimedMessages m = MidiFileReader.read(jam);
    TempoMap tempo = m.tempoMap();
    assertEquals(96.0, tempo.bpmAt(0), 1e-6, "the preset's tempo from the file's start");
    assertEquals(90.0, tempo.bpmAt(m.lengthMicros()), 0.5, "the clock's at the end");
    assertTrue(tempo.segments() < 20, "a change, not every wobble: " + tempo.segments());
    assertEquals(0x90 | 64 << 8 | 100 << 16, m.message(0));
    assertEquals(800_000, m.micros(0), 2_000, "the note at its time through the tempo changes");
    assertEquals((end - (noteAt - 800 * MS)) / 1_000, m.lengthMicros(), 5_000);
    assertEquals(List.of(), log);
  }
}
