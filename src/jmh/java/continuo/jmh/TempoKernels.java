package continuo.jmh;

import continuo.tempo.BeatTracker;
import continuo.tempo.MidiClockFollower;
import continuo.tempo.TempoSelector;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-event cost of keeping time: one MIDI clock tick through the follower, one note-on through
 * the beat tracker (a bass-and-melody pattern at 100 bpm with +-10 ms of human timing, so every
 * path runs: chords, pulls, tempo checks), and one choice of tempo source.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class TempoKernels {
  private static final int EVENTS = 4096;

  private final MidiClockFollower clock = new MidiClockFollower();
  private final BeatTracker tracker = new BeatTracker();
  private TempoSelector selector;
  private final long[] tickTimes = new long[EVENTS];
  private final long[] onsetTimes = new long[EVENTS];
  private final int[] pitches = new int[EVENTS];
  private long tickOffset;
  private long onsetOffset;
  private int nextTick;
  private int nextOnset;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(5);
    double tick = 60e9 / (120 * 24);
    for (int i = 0; i < EVENTS; i++) {
      tickTimes[i] = Math.round(i * tick) + random.nextLong(-1_000_000, 1_000_001);
      // Eighths at 100 bpm: bass on the beat, melody between.
      onsetTimes[i] = i * 300_000_000L + random.nextLong(-10_000_000, 10_000_001);
      pitches[i] = i % 2 == 0 ? 43 : 67 + (i * 7) % 12;
    }
    selector = new TempoSelector(0, 110, clock, null, null, tracker);
  }

  @Benchmark
  public double clockTick() {
    clock.onMessage(0xF8, 0, 0, tickTimes[nextTick] + tickOffset);
    if (++nextTick == EVENTS) {
      nextTick = 0;
      tickOffset += Math.round(EVENTS * 60e9 / (120 * 24));
    }
    return clock.bpm();
  }

  @Benchmark
  public double trackerNoteOn() {
    tracker.noteOn(onsetTimes[nextOnset] + onsetOffset, pitches[nextOnset], 90);
    if (++nextOnset == EVENTS) {
      nextOnset = 0;
      onsetOffset += EVENTS * 300_000_000L;
    }
    return tracker.bpm();
  }

  @Benchmark
  public boolean selectSource() {
    return selector.update(tickTimes[nextTick] + tickOffset);
  }
}
