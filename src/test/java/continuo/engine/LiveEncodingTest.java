package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.encoding.PerformanceEncoding;
import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midifile.MidiFileReader;
import continuo.midifile.TimedMessages;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.model.ModelConfig;
import continuo.preset.Mode;
import continuo.preset.Preset;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.Corpora;
import continuo.testkit.FakeClock;
import continuo.testkit.PresetEdits;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One timeline for training and playing: a real MIDI file played into the live engine message by
 * message, on a fake clock, is heard token for token as training encodes the same file.
 */
class LiveEncodingTest {
  private static final long MS = 1_000_000L;
  /** The file starts this long after the engine: a whole number of steps, told as silence. */
  private static final long LEAD_IN = 1_000 * MS;

  private final FakeClock clock = new FakeClock();
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(4096, counters.newCounter("in.dropped"));
  private final RecordingOutput out = new RecordingOutput();
  private final TokenLog model = new TokenLog();
  private final LiveEngine engine;

  LiveEncodingTest() {
    // A duet that would wait ten seconds to answer: the engine only listens to the file.
    Preset preset = PresetEdits.answer(Preset.forModel(Path.of("scripted.cmodel")), Mode.DUET,
        10_000, 0, 250);
    engine = new LiveEngine(clock, input, out.ring, 0, preset, model, new ArgmaxSampler(), null,
        List.of(), counters);
    engine.fixTempo(preset.bpm()); // the model's tempo: no time warp
  }

  @Test
  void aFolkTunePlayedInIsHeardAsTrainingEncodesIt() throws Exception {
    assertHeardAsEncoded("nottingham/midi/reelsa-c5.mid");
  }

  @Test
  void aPianoPieceWithThreeChannelsChordsAndThePedalIsHeardAsTrainingEncodesIt()
      throws Exception {
    assertHeardAsEncoded("pop909/001.mid");
  }

  private void assertHeardAsEncoded(String name) throws Exception {
    Path file = Corpora.fixture(name);
    int[] offline = EventEncoder.encode(MidiFiles.read(file));
    long start = clock.nanoTime();
    play(MidiFileReader.read(file), start + LEAD_IN);
    run(100);
    assertEquals(0, out.noteOns().size(), "continuo only listened");

    int[] live = model.tokens();
    int lead = 0;
    long leadMs = 0;
    while (PerformanceEncoding.isTimeShift(live[lead])) {
      leadMs += PerformanceEncoding.shiftMillis(live[lead++]);
    }
    long firstOnsetMs = Math.round(MidiFiles.read(file).get(0).startMicros() / 10_000.0) * 10;
    assertEquals(Math.min(3_000, LEAD_IN / MS + firstOnsetMs), leadMs,
        "the silence before the first note, told up to three seconds");
    int[] heard = Arrays.copyOfRange(live, lead, live.length);
    assertTrue(offline.length > 500, name);
    assertArrayEquals(offline, heard, name);
  }

  @Test
  void listeningToADensePieceAllocatesNothing() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    TimedMessages piece = MidiFileReader.read(Corpora.fixture("pop909/001.mid"));
    long[] windows = new long[8];
    for (int w = 0; w < windows.length; w++) {
      model.clear();
      long before = threads.getCurrentThreadAllocatedBytes();
      play(piece, clock.nanoTime() + LEAD_IN);
      run(100);
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      if (w > 0 && windows[w] == 0) {
        assertFalse(model.size() == 0);
        return;
      }
    }
    throw new AssertionError("every play of the piece allocated: " + Arrays.toString(windows)
        + " bytes");
  }

  /** Offers each channel message when the clock reaches it, stepping the engine every 1 ms. */
  private void play(TimedMessages m, long origin) {
    for (int i = 0; i < m.size(); i++) {
      int status = m.status(i);
      if (status < 0x80 || status >= 0xF0) {
        continue;
      }
      long t = origin + m.micros(i) * 1_000L;
      while (clock.nanoTime() + MS <= t) {
        clock.advanceMillis(1);
        engine.doWork();
      }
      clock.advanceNanos(t - clock.nanoTime());
      input.offer(t, m.message(i));
      engine.doWork();
    }
  }

  private void run(long ms) {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      engine.doWork();
    }
  }

  /** The scripted model, keeping every token stepped into any state (no answer is played here). */
  private static final class TokenLog implements LstmStepper {
    private final ScriptedStepper inner = new ScriptedStepper(PerformanceEncoding.timeShift(100));
    private final int[] tokens = new int[1 << 20];
    private int size;

    @Override
    public ModelConfig config() {
      return inner.config();
    }

    @Override
    public LstmState newState() {
      return inner.newState();
    }

    @Override
    public void step(LstmState state, int token, float[] logits) {
      tokens[size++] = token;
      inner.step(state, token, logits);
    }

    @Override
    public void advance(LstmState state, int token) {
      tokens[size++] = token;
      inner.advance(state, token);
    }

    int[] tokens() {
      return Arrays.copyOf(tokens, size);
    }

    int size() {
      return size;
    }

    void clear() {
      size = 0;
    }
  }
}
