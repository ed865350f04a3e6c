package continuo.engine;

import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static continuo.encoding.PerformanceEncoding.velocity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.Models;
import continuo.preset.Preset;
import continuo.sample.Sampler;
import continuo.steer.Key;
import continuo.testkit.ArgmaxSampler;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Steering through the live engine on a fake clock: the shipped folk model (plain Java stepper,
 * so runs repeat exactly) answering real tunes (the Nottingham fixtures of
 * {@code src/test/resources/continuo/steer/}) played in as a player would, note by note; and the
 * state controller, the knobs, MIDI learn and the velocity rules on the scripted model.
 */
class SteeringLiveTest {
  private static final long MS = 1_000_000L;
  private static final Path FIXTURES = Path.of("src/test/resources/continuo/steer");
  private static final int STATE_CC = 14;
  private static LstmWeights folk;

  private final FakeClock clock = new FakeClock();
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(8192, counters.newCounter("in.dropped"));
  private final RecordingOutput out = new RecordingOutput();
  private LiveEngine engine;

  @BeforeAll
  static void load() throws Exception {
    folk = ModelFile.read(Path.of("models/folk.cmodel"));
  }

  private LiveEngine folkEngine(Preset p, long seed) {
    LstmStepper stepper = Models.candidate("plain", folk);
    Sampler sampler = new Sampler(seed, 388);
    engine = new LiveEngine(clock, input, out.ring, 0, p, stepper, sampler::sample, null,
        List.of(), counters);
    // The tunes are played at their written 120 bpm, the model's reference: a fixed tempo keeps
    // these measurements of steering apart from the tempo the tracker and the live metrical level
    // would choose for each tune (LiveTempoFollowTest measures those).
    engine.fixTempo(120);
    return engine;
  }

  private static Preset folkPreset() {
    return Preset.forModel(Path.of("models/folk.cmodel"));
  }

  static List<Note> tune(String name, int semitones, long fromMicros, long toMicros)
      throws Exception {
    List<Note> notes = new ArrayList<>();
    for (Note n : MidiFiles.read(FIXTURES.resolve("nottingham-" + name + ".mid"))) {
      if (n.startMicros() >= fromMicros && n.startMicros() < toMicros) {
        notes.add(new Note(n.pitch() + semitones, n.velocity(), n.startMicros() - fromMicros,
            Math.min(n.endMicros(), toMicros) - fromMicros, 0));
      }
    }
    notes.sort(Comparator.comparingLong(Note::startMicros));
    return notes;
  }

  /** {@code second} after {@code first}, starting when {@code first}'s last note ends. */
  static List<Note> splice(List<Note> first, List<Note> second) {
    long offset = first.stream().mapToLong(Note::endMicros).max().orElseThrow();
    List<Note> all = new ArrayList<>(first);
    for (Note n : second) {
      all.add(new Note(n.pitch(), n.velocity(), n.startMicros() + offset, n.endMicros() + offset,
          0));
    }
    return all;
  }

  /**
   * Plays {@code notes} (times from now) into the engine as the player, stepping it every
   * millisecond, then {@code afterMillis} more; {@code probe} hears the elapsed micros every 100 ms.
   */
  private void play(List<Note> notes, long afterMillis, LongConsumer probe) {
    List<long[]> events = new ArrayList<>(); // {micros, message}
    for (Note n : notes) {
      events.add(new long[] {n.startMicros(), MidiMessage.pack(0x90, n.pitch(),
          Math.max(1, n.velocity()))});
      events.add(new long[] {n.endMicros(), MidiMessage.pack(0x80, n.pitch(), 0)});
    }
    // At the same instant a note-off comes first, as a player lifts a key before pressing it.
    events.sort(Comparator.<long[]>comparingLong(e -> e[0])
        .thenComparing(e -> MidiMessage.isNoteOn((int) e[1])));
    long start = clock.nanoTime();
    long end = (events.isEmpty() ? 0 : events.get(events.size() - 1)[0]) / 1000 + afterMillis;
    int next = 0;
    for (long ms = 0; ms <= end; ms++) {
      while (next < events.size() && events.get(next)[0] <= ms * 1000) {
        input.offer(start + events.get(next)[0] * 1000, (int) events.get(next)[1]);
        next++;
      }
      engine.doWork();
      if (ms % 100 == 0) {
        out.drain();
        probe.accept(ms * 1000);
      }
      clock.advanceMillis(1);
    }
    out.drain();
  }

  private List<Integer> answeredPitches(long fromNanos) {
    return out.events.stream().filter(e -> e[0] >= fromNanos && MidiMessage.isNoteOn((int) e[1]))
        .map(e -> MidiMessage.data1((int) e[1])).toList();
  }

  private static double share(List<Integer> pitches, Key key) {
    return pitches.stream().filter(key::contains).count() / (double) pitches.size();
  }

  @Test
  void withKeyAutoTheAnswersToTunesInUncommonKeysStayInThePlayersKey() throws Exception {
    String[] tunes = {"ashover24", "jigs111", "ashover18", "morris1", "ashover27"};
    int[] shifts = {-3, 1, 1, -2, -1};
    Key[] written = {Key.parse("A major"), Key.parse("A minor"), Key.parse("F major"),
        Key.parse("G minor"), Key.parse("G major")};
    double auto = 0;
    double off = 0;
    StringBuilder report = new StringBuilder();
    for (int i = 0; i < tunes.length; i++) {
      Key players = written[i].transpose(shifts[i]);
      List<Note> primer = tune(tunes[i], shifts[i], 0, 8_000_000);
      double[] shares = new double[2];
      Key heard = null;
      for (int k = 0; k < 2; k++) {
        out.events.clear();
        Preset p = folkPreset().with("temperature", 1.6).with("key", k == 0 ? "auto" : "off");
        folkEngine(p, 30 + i);
        long start = clock.nanoTime();
        play(primer, 30_000, t -> { });
        List<Integer> answer = answeredPitches(start + 8_000 * MS);
        assertTrue(answer.size() > 50, tunes[i] + ": answer notes " + answer.size());
        shares[k] = share(answer, players);
        if (k == 0) {
          heard = engine.steering().key();
        }
        engine.requestShutdown();
        engine.doWork();
        assertEquals(List.of(), out.sounding());
      }
      report.append(String.format(" %s in %s (heard %s): %.1f%% vs %.1f%% off;", tunes[i],
          players, heard, 100 * shares[0], 100 * shares[1]));
      auto += shares[0] / tunes.length;
      off += shares[1] / tunes.length;
    }
    System.out.printf("live, key auto at 1.6: %.1f%% in the player's key, key off %.1f%%:%s%n",
        100 * auto, 100 * off, report);
    assertTrue(auto >= 0.95, report.toString());
    assertTrue(auto >= off + 0.1, report.toString());
  }

  @Test
  void withKeyAutoTheAnswersKeyFollowsThePlayersModulationWithinEightSeconds() throws Exception {
    String[][] pairs = {{"ashover13", "jigs339"}, {"ashover27", "jigs268"},
        {"jigs10", "ashover18"}, {"ashover24", "morris1"}, {"jigs111", "ashover27"}};
    Key[] target = {Key.parse("F major"), Key.parse("A minor"), Key.parse("C major"),
        Key.parse("D minor"), Key.parse("D major")};
    StringBuilder report = new StringBuilder();
    for (int i = 0; i < pairs.length; i++) {
      List<Note> first = tune(pairs[i][0], 0, 0, 30_000_000);
      List<Note> both = splice(first, tune(pairs[i][1], -5, 0, 30_000_000));
      long switchAt = first.stream().mapToLong(Note::endMicros).max().orElseThrow();
      folkEngine(folkPreset().with("key", "auto").with("response_gap_ms", 10_000), 40 + i);
      long[] followedAt = {-1};
      Key want = target[i];
      long changesBefore = engine.steering().keyChanges();
      play(both, 0, t -> {
        if (t >= switchAt && followedAt[0] < 0 && engine.steering().key() == want) {
          followedAt[0] = t;
        }
      });
      assertTrue(followedAt[0] >= 0, pairs[i][0] + " -> " + pairs[i][1] + ": never followed to "
          + want + "; ended in " + engine.steering().key());
      assertTrue(engine.steering().keyChanges() > changesBefore + 1, "the key changed twice");
      double seconds = (followedAt[0] - switchAt) / 1e6;
      report.append(String.format(" %s -> %s %.1f s;", pairs[i][0], want, seconds));
      assertTrue(seconds <= 8, report.toString());
      engine.requestShutdown();
      engine.doWork();
    }
    System.out.println("live, modulations followed in:" + report);
  }

  @Test
  void turningTheDensityKnobChangesTheAnswersNotesPerSecondMonotonicallyAndAtLeastTwofold()
      throws Exception {
    int[] knob = {0, 32, 64, 96, 127};
    double[] rate = new double[knob.length];
    String[] tunes = {"ashover13", "jigs10", "ashover18", "jigs268"};
    for (int d = 0; d < knob.length; d++) {
      long notes = 0;
      for (int i = 0; i < tunes.length; i++) {
        out.events.clear();
        folkEngine(folkPreset().with("temperature", 1.0).with("density_cc", 30), 10 + i);
        input.offer(clock.nanoTime(), MidiMessage.pack(0xB0, 30, knob[d]));
        long start = clock.nanoTime();
        play(tune(tunes[i], 0, 0, 8_000_000), 40_000, t -> { });
        assertEquals(Steering.densityOf(knob[d]), engine.steering().density(), 1e-9);
        notes += answeredPitches(start + 8_000 * MS).size();
        engine.requestShutdown();
        engine.doWork();
      }
      rate[d] = notes / (tunes.length * 40.0);
    }
    System.out.println("live, density knob " + Arrays.toString(knob) + " -> notes/s "
        + Arrays.toString(Arrays.stream(rate).map(r -> Math.round(r * 100) / 100.0).toArray()));
    for (int d = 1; d < rate.length; d++) {
      assertTrue(rate[d] > rate[d - 1], Arrays.toString(rate));
    }
    assertTrue(rate[rate.length - 1] >= 2 * rate[0], Arrays.toString(rate));
  }

  /**
   * The shipped folk preset (key "auto") against the same preset with the key off, at its own
   * temperature and top_p, answering real tunes in their written keys: the answers stay at least
   * as much in the tune's key and as busy (the measurement behind {@code key = "auto"} in
   * presets/folk.toml).
   */
  @Test
  void theFolkPresetsKeyAutoKeepsItsAnswersInKeyWithoutThinningThem() throws Exception {
    Preset folkToml = continuo.preset.Presets.find(Path.of("."), "folk");
    String[] tunes = {"ashover13", "ashover18", "jigs10", "jigs111", "morris1", "jigs339"};
    Key[] written = {Key.parse("D major"), Key.parse("F major"), Key.parse("E minor"),
        Key.parse("A minor"), Key.parse("G minor"), Key.parse("Bb major")};
    double[] share = new double[2];
    double[] rate = new double[2];
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < tunes.length; i++) {
        out.events.clear();
        folkEngine(k == 0 ? folkToml : folkToml.with("key", "off"), 50 + i);
        long start = clock.nanoTime();
        play(tune(tunes[i], 0, 0, 8_000_000), 30_000, t -> { });
        List<Integer> answer = answeredPitches(start + 8_000 * MS);
        share[k] += share(answer, written[i]) / tunes.length;
        rate[k] += answer.size() / 30.0 / tunes.length;
        engine.requestShutdown();
        engine.doWork();
      }
    }
    System.out.printf("live, folk preset (temperature %.2f, top_p %.2f, key %s at %.2f): in the"
        + " tune's key %.1f%%, %.1f%% with the key off; notes/s %.2f, %.2f off%n",
        folkToml.temperature(), folkToml.topP(), folkToml.get(continuo.preset.Settings.KEY),
        folkToml.get(continuo.preset.Settings.KEY_STRENGTH), 100 * share[0], 100 * share[1],
        rate[0], rate[1]);
    assertTrue(share[0] >= share[1], "in key: auto " + share[0] + ", off " + share[1]);
    assertTrue(rate[0] >= 0.9 * rate[1], "notes/s: auto " + rate[0] + ", off " + rate[1]);
  }

  @Test
  void steeringEverythingAtOnceAllocatesNothingOnTheEngineThread() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    folkEngine(folkPreset().with("key", "auto").with("key_strength", 0.9)
        .with("pitch_range", new int[] {55, 84}).with("transpose_to_register", true)
        .with("density", 2.0).with("velocity", "follow").with("state_cc", STATE_CC)
        .with("density_cc", 30).with("key_cc", 31).with("keys", List.of("auto", "G major"))
        .with("response_gap_ms", 300), 5);
    List<Note> phrase = tune("ashover13", 0, 0, 4_000_000);
    int n = phrase.size() * 2;
    long[] times = new long[n];
    int[] messages = new int[n];
    for (int i = 0; i < phrase.size(); i++) {
      Note note = phrase.get(i);
      times[2 * i] = note.startMicros() * 1000;
      messages[2 * i] = MidiMessage.pack(0x90, note.pitch(), note.velocity());
      times[2 * i + 1] = note.endMicros() * 1000 - 1;
      messages[2 * i + 1] = MidiMessage.pack(0x80, note.pitch(), 0);
    }
    continuo.midi.MidiHandler discard = (t, m) -> { };
    Runnable round = () -> {
      // The phrase's notes in time order (a note-off just before its end), then 2 s of answer.
      long start = clock.nanoTime();
      boolean[] sent = sentScratch;
      java.util.Arrays.fill(sent, 0, n, false);
      for (long ms = 0; ms < 6_000; ms++) {
        long now = ms * MS;
        for (int i = 0; i < n; i++) {
          if (!sent[i] && times[i] <= now) {
            input.offer(start + times[i], messages[i]);
            sent[i] = true;
          }
        }
        if (ms == 4_100) {
          input.offer(clock.nanoTime(), MidiMessage.pack(0xB0, 30, (int) (ms % 128)));
        }
        engine.doWork();
        out.ring.drain(discard);
        clock.advanceMillis(1);
      }
    };
    for (int i = 0; i < 6; i++) {
      round.run();
    }
    long[] windows = new long[10];
    for (int w = 0; w < windows.length; w++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      round.run();
      windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
      if (windows[w] == 0) {
        assertTrue(engine.steering().key() != null, "a key was heard");
        return;
      }
    }
    throw new AssertionError("every round allocated: " + Arrays.toString(windows) + " bytes");
  }

  private final boolean[] sentScratch = new boolean[4096];

  // ------------------------------------------------------------------ the scripted model

  private static final int[] MELODY = {velocity(20), noteOn(60), timeShift(20), noteOff(60),
      noteOn(64), timeShift(20), noteOff(64)};

  private LiveEngine scripted(Preset p) {
    engine = new LiveEngine(clock, input, out.ring, 0, p, new ScriptedStepper(MELODY),
        new ArgmaxSampler(), null, List.of(), counters);
    return engine;
  }

  private void send(int status, int d1, int d2) {
    input.offer(clock.nanoTime(), MidiMessage.pack(status, d1, d2));
    engine.doWork();
  }

  private void run(long ms) {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      engine.doWork();
    }
  }

  private List<Integer> states() {
    return out.drain().events.stream().map(e -> (int) e[1])
        .filter(m -> MidiMessage.command(m) == MidiMessage.CONTROL_CHANGE
            && MidiMessage.data1(m) == STATE_CC)
        .map(MidiMessage::data2).toList();
  }

  @Test
  void theStateControllerGoesOutOnTheOutputChannelEachTimeThePhaseChanges() {
    scripted(Parts.preset().with("state_cc", STATE_CC).with("response_gap_ms", 100)
        .with("output_channel", 3));
    engine.doWork();
    assertEquals(List.of(Steering.STATE_LISTENING), states(), "the state at start");
    send(0x90, 60, 100);
    run(200);
    send(0x80, 60, 0);
    run(400);
    assertEquals(LiveEngine.Phase.PLAYING, engine.phase());
    send(0x90, 62, 100); // barge-in
    send(0x80, 62, 0);
    run(400); // the answer again
    send(0xB0, 123, 0); // All Notes Off: panic
    run(50);
    send(0x90, 64, 100);
    send(0x80, 64, 0);
    run(20);
    assertEquals(List.of(0, 1, 0, 1, 2, 0), states());
    engine.requestShutdown();
    engine.doWork();
    List<long[]> ccs = out.drain().events.stream().filter(e -> MidiMessage.command((int) e[1])
        == MidiMessage.CONTROL_CHANGE && MidiMessage.data1((int) e[1]) == STATE_CC).toList();
    for (long[] e : ccs) {
      assertEquals(3, MidiMessage.channel((int) e[1]));
    }
    assertEquals(Steering.STATE_SILENCED, MidiMessage.data2((int) ccs.get(ccs.size() - 1)[1]),
        "shutdown says silenced");
    assertEquals(List.of(), out.sounding());
  }

  @Test
  void theKeyKnobChoosesAmongThePresetsKeysAndMidiLearnAssignsBothKnobs() {
    scripted(Parts.preset().with("keys", List.of("off", "auto", "D dorian")).with("key", "F major"));
    assertEquals(Key.parse("F major"), engine.steering().key());
    engine.learn(LiveEngine.Learn.KEY);
    send(0xB0, 40, 0);
    assertEquals(40, engine.learnedCc());
    send(0xB0, 40, 127);
    assertEquals(Key.parse("D dorian"), engine.steering().key());
    send(0xB0, 40, 64);
    assertTrue(engine.steering().keyAuto());
    assertNull(engine.steering().key(), "auto, nothing heard yet");
    send(0xB0, 40, 0);
    assertNull(engine.steering().key());
    assertTrue(!engine.steering().keyAuto());

    engine = null;
    scripted(Parts.preset());
    engine.learn(LiveEngine.Learn.DENSITY);
    send(0xB0, 41, 5);
    assertEquals(1.0, engine.steering().density(), 0);
    send(0xB0, 41, 127);
    assertEquals(4.0, engine.steering().density(), 1e-9);
    send(0xB0, 41, 0);
    assertEquals(0.25, engine.steering().density(), 1e-9);
  }

  @Test
  void aFixedVelocityPlaysEveryAnsweredNoteAtThatVelocityAndFollowTracksThePlayer() {
    for (String v : new String[] {"100", "follow"}) {
      out.events.clear();
      scripted(Parts.preset().with("velocity", v).with("response_gap_ms", 100));
      send(0x90, 60, 30);
      run(200);
      send(0x80, 60, 0);
      run(1_000);
      List<long[]> ons = out.noteOns();
      assertTrue(ons.size() >= 2, "answer notes: " + ons.size());
      for (long[] on : ons) {
        assertEquals(v.equals("follow") ? 30 : 100, MidiMessage.data2((int) on[1]), v);
      }
      engine.requestShutdown();
      engine.doWork();
    }
  }
}
