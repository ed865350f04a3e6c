package continuo.midi.jack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import continuo.metrics.Counters;
import continuo.midi.ClockOut;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.midi.MidiSettings;
import continuo.tempo.MidiClockFollower;
import continuo.testkit.JackServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MIDI clock in and out through continuo's JACK connection on a real JACK server (dummy driver,
 * synchronous), against an external client written with python jack-client that sends and records
 * events at exact frames. The connection runs in this JVM, so the test reads the input ring and
 * feeds the output ring itself, as the engine will.
 */
class JackClockTest {
  private static final String CLIENT = "continuo-clk";
  /**
   * Frames per period. The dummy driver loses time when a cycle overruns (a loaded machine); the
   * longer period keeps that rare, so that the frames and the clock stay anchored through a run.
   */
  private static final int PERIOD = 1024;

  /** libc's environment, which libjack reads when a client opens; JNA at this native boundary. */
  interface LibC extends Library {
    int setenv(String name, String value, int overwrite);

    int unsetenv(String name);
  }

  private static JackServer jack;
  private static LibC libc;
  private static JackConnection connection;
  private static MidiEventRing input;
  private static MidiEventRing output;
  private static Counters counters;

  @TempDir static Path dir;

  @BeforeAll
  static void openContinuoOnARealServer() throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    jack = new JackServer(PERIOD);
    libc = Native.load("c", LibC.class);
    libc.setenv("JACK_DEFAULT_SERVER", jack.name(), 1);
    counters = new Counters();
    input = new MidiEventRing(4096, counters.newCounter("in.dropped"));
    output = new MidiEventRing(4096, counters.newCounter("out.dropped"));
    connection = new JackConnection(new MidiSettings(CLIENT, null, null), input, output,
        SystemNanoClock.INSTANCE, counters);
    // Every path of the callback once (input of each kind, clock out) before the runs are timed.
    runPeer(List.of("--to", CLIENT + ":midi_in", "--send-bpm", "120", "--ticks", "32",
        "--interleave"));
    ClockOut warmUp = new ClockOut();
    warmUp.start(System.nanoTime() + 20_000_000L, 120);
    warmUp.offerDue(System.nanoTime() + 200_000_000L, output);
    warmUp.stop(warmUp.nextDueNanos());
    warmUp.offerDue(Long.MAX_VALUE, output);
    Thread.sleep(300);
    input.drain((t, m) -> { });
  }

  @AfterAll
  static void closeEverything() throws Exception {
    try {
      if (connection != null) {
        connection.close();
      }
    } finally {
      if (libc != null) {
        libc.unsetenv("JACK_DEFAULT_SERVER");
      }
      if (jack != null) {
        jack.close();
      }
    }
  }

  @Test
  void clockAtNinetyBpmWithJitterArrivesFrameAccurateAndIsFollowedWithinHalfABpmAfterOneBeat()
      throws Exception {
    followsAJitteryClock(90, 1, false);
  }

  @Test
  void clockAtOneFortyBpmWithJitterArrivesFrameAccurateAndIsFollowedWithinHalfABpmAfterOneBeat()
      throws Exception {
    followsAJitteryClock(140, 2, false);
  }

  /**
   * A hardware bridge may hand over a tick inside a SysEx or inside a running-status pair of notes:
   * the tick is taken out at its frame, the notes still arrive, and a stray data byte is counted.
   */
  @Test
  void ticksInsideSysExAndRunningStatusAreTakenOutAndAStrayDataByteIsCounted() throws Exception {
    Run run = followsAJitteryClock(120, 3, true);
    List<Integer> notes = new ArrayList<>();
    for (long[] m : run.in) {
      if (MidiMessage.command((int) m[1]) == MidiMessage.NOTE_ON) {
        notes.add(MidiMessage.data2((int) m[1]));
      }
    }
    assertEquals(List.of(100, 0), notes, "the note-on and its running-status note-off");
    assertEquals(1, run.malformed, counters.summary());
    assertEquals(1, run.skipped, "the SysEx: " + counters.summary());
  }

  /** One run of the external clock: what continuo received, and what JACK did meanwhile. */
  private record Run(List<long[]> in, List<long[]> sent, long[] anchorBefore, long[] anchor,
      long xruns, long malformed, long skipped) {
    /** Neither an xrun nor a move of the frames' anchor: the frames kept the clock throughout. */
    boolean clean() {
      return xruns == 0 && anchor[2] == anchorBefore[2];
    }
  }

  /**
   * The external client sends Start, 48 jittered ticks and Stop. Every tick must arrive, in order,
   * each interval stamped as the frames apart. On a run JACK kept clean (no xrun, the frames
   * anchored throughout), each stamp is also the sender's frame on continuo's clock to the
   * nanosecond, and a follower fed from the stamps is within 0.5 bpm from one beat on. A loaded
   * machine stalls the dummy driver now and then; up to three runs are made to get a clean one.
   */
  private Run followsAJitteryClock(double bpm, int seed, boolean interleave) throws Exception {
    List<String> unclean = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      Run run = clockRun(bpm, seed + 10 * attempt, interleave);
      if (!run.clean()) {
        unclean.add("xruns=" + run.xruns + " anchorings=" + (run.anchor[2] - run.anchorBefore[2]));
        continue;
      }
      int rate = connection.sampleRate();
      List<long[]> sentTicks = clockMessages(run.sent);
      List<long[]> gotTicks = new ArrayList<>();
      for (long[] m : run.in) {
        int status = MidiMessage.status((int) m[1]);
        if (status == 0xF8 || status == 0xFA || status == 0xFC) {
          gotTicks.add(new long[] {m[0], status});
        }
      }
      for (int i = 0; i < sentTicks.size(); i++) {
        // The stamp is the sender's frame on continuo's clock, to the nanosecond.
        long expected = run.anchor[1]
            + (sentTicks.get(i)[0] - run.anchor[0]) * 1_000_000_000L / rate;
        assertEquals(expected, gotTicks.get(i)[0], "stamp of message " + i + " (frame "
            + sentTicks.get(i)[0] + ")");
      }
      MidiClockFollower follower = new MidiClockFollower();
      int ticks = 0;
      double afterOneBeat = 0;
      for (long[] m : run.in) {
        int msg = (int) m[1];
        follower.onMessage(MidiMessage.status(msg), MidiMessage.data1(msg),
            MidiMessage.data2(msg), m[0]);
        if (MidiMessage.status(msg) == 0xF8 && ++ticks >= 25) { // one beat: 24 periods
          assertEquals(bpm, follower.bpm(), 0.5, "tempo after tick " + ticks);
          afterOneBeat = ticks == 25 ? follower.bpm() : afterOneBeat;
        }
      }
      assertTrue(!follower.running(), "stopped at the end");
      // Reported, not asserted beyond the 0.5 bpm: the error of one run.
      System.out.printf("JACK clock in at %.0f bpm, +-1 ms jitter (run %d): %.3f bpm after one "
          + "beat, %.3f bpm after two%n", bpm, attempt + 1, afterOneBeat, follower.bpm());
      return run;
    }
    assumeTrue(false, "JACK stalled in each of 3 runs (" + unclean + "): the machine is too "
        + "loaded to compare stamps with frames");
    return null;
  }

  private List<long[]> clockMessages(List<long[]> events) {
    List<long[]> out = new ArrayList<>();
    for (long[] e : events) {
      if (e[1] == 0xF8 || e[1] == 0xFA || e[1] == 0xFC) {
        out.add(e);
      }
    }
    return out;
  }

  private Run clockRun(double bpm, int seed, boolean interleave) throws Exception {
    input.drain((t, m) -> { });
    long[] anchorBefore = connection.frameClock().anchor();
    long xruns = counter("jack.xruns");
    long malformed = counter("jack.input.malformed");
    long skipped = counter("jack.input.skipped");
    List<String> args = new ArrayList<>(List.of("--to", CLIENT + ":midi_in", "--send-bpm",
        String.valueOf(bpm), "--ticks", "48", "--jitter-ms", "1", "--seed", String.valueOf(seed)));
    if (interleave) {
      args.add("--interleave");
    }
    JsonNode peer = runPeer(args);
    long[] anchor = connection.frameClock().anchor();
    List<long[]> in = new ArrayList<>();
    input.drain((t, m) -> in.add(new long[] {t, m}));
    List<long[]> sent = new ArrayList<>(); // {frame, byte} for every byte sent
    for (JsonNode e : peer.get("sent")) {
      for (int i = 1; i < e.size(); i++) {
        sent.add(new long[] {e.get(0).asLong(), e.get(i).asInt()});
      }
    }
    Run run = new Run(in, sent, anchorBefore, anchor, counter("jack.xruns") - xruns,
        counter("jack.input.malformed") - malformed, counter("jack.input.skipped") - skipped);

    // Whatever JACK did: every message arrives, in order, with Start first and Stop last.
    List<long[]> sentTicks = clockMessages(sent);
    List<long[]> gotTicks = new ArrayList<>();
    for (long[] m : in) {
      int status = MidiMessage.status((int) m[1]);
      if (status == 0xF8 || status == 0xFA || status == 0xFC) {
        gotTicks.add(new long[] {m[0], status});
      }
    }
    assertEquals(50, sentTicks.size(), "Start, 48 ticks, Stop sent");
    assertEquals(sentTicks.size(), gotTicks.size(), "every tick arrives: " + counters.summary());
    assertEquals(0xFA, gotTicks.get(0)[1], "Start first");
    assertEquals(0xFC, gotTicks.get(gotTicks.size() - 1)[1], "Stop last");
    int rate = connection.sampleRate();
    // Between stamps: the frames apart, to a nanosecond of rounding. Only where the process
    // thread moved its anchor may one interval differ.
    int steps = 0;
    for (int i = 0; i < sentTicks.size(); i++) {
      assertEquals(sentTicks.get(i)[1], gotTicks.get(i)[1], "message " + i);
      if (i >= 2 && i < sentTicks.size() - 1) {
        long frames = sentTicks.get(i)[0] - sentTicks.get(i - 1)[0];
        long nanos = gotTicks.get(i)[0] - gotTicks.get(i - 1)[0];
        if (Math.abs(nanos - frames * 1_000_000_000L / rate) > 1) {
          steps++;
        }
      }
    }
    assertTrue(steps <= anchor[2] - anchorBefore[2], steps + " intervals differ from their frames"
        + " with " + (anchor[2] - anchorBefore[2]) + " anchorings");
    return run;
  }

  /**
   * ClockOut at 120 bpm through the output ring: the external client receives Start, 72 ticks and
   * Stop, in order; on a run JACK kept clean, each at the frame its due time maps to and none late
   * (up to three runs are made to get a clean one).
   */
  @Test
  void clockOutTicksAtOneTwentyBpmArriveAtTheirExactFramesBetweenStartAndStop() throws Exception {
    List<String> unclean = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      long xruns = counter("jack.xruns");
      long late = counter("jack.output.late") + counter("jack.output.late_cycle");
      long[] anchorBefore = connection.frameClock().anchor();
      int ticks = 72; // three beats
      long[] start = new long[1];
      List<long[]> got = clockOut(ticks, start);
      long[] anchor = connection.frameClock().anchor();
      assertEquals(ticks + 2, got.size(), "Start, " + ticks + " ticks and Stop");
      assertEquals(0xFA, got.get(0)[1], "Start first");
      assertEquals(0xFC, got.get(got.size() - 1)[1], "Stop last");
      for (int i = 1; i < got.size() - 1; i++) {
        assertEquals(0xF8, got.get(i)[1], "message " + i);
      }
      if (counter("jack.xruns") != xruns || anchor[2] != anchorBefore[2]) {
        unclean.add("xruns=" + (counter("jack.xruns") - xruns) + " anchorings="
            + (anchor[2] - anchorBefore[2]));
        continue;
      }
      int rate = connection.sampleRate();
      double period = 60e9 / (120 * 24);
      for (int i = 0; i < got.size(); i++) {
        int k = Math.min(Math.max(i - 1, 0), ticks); // Start goes with tick 0, Stop at tick 72
        long due = start[0] + Math.round(k * period);
        assertEquals(FrameClock.frameOfNanos(anchor, rate, due), got.get(i)[0],
            "message " + i + " due at tick " + k);
      }
      assertEquals(late, counter("jack.output.late") + counter("jack.output.late_cycle"),
          counters.summary());
      return;
    }
    assumeTrue(false, "JACK stalled in each of 3 runs (" + unclean + "): the machine is too "
        + "loaded to compare frames with due times");
  }

  /**
   * Plays Start, {@code ticks} ticks at 120 bpm and Stop; what the external client got. The time
   * of Start goes into {@code start[0]}.
   */
  private List<long[]> clockOut(int ticks, long[] start) throws Exception {
    Process peer = startPeer(List.of("--from", CLIENT + ":midi_out", "--listen", "2.5"));
    BufferedReader out = new BufferedReader(
        new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", out.readLine());
    ClockOut clock = new ClockOut();
    start[0] = System.nanoTime() + 100_000_000L;
    clock.start(start[0], 120);
    long horizon = 50_000_000L; // handed over well before their periods
    while (clock.ticks() < ticks) {
      clock.offerDue(System.nanoTime() + horizon, output);
      LockSupport.parkNanos(1_000_000);
    }
    long stopAt = clock.nextDueNanos();
    clock.stop(stopAt);
    while (clock.offerDue(System.nanoTime() + horizon, output) == 0) {
      LockSupport.parkNanos(1_000_000);
    }
    List<long[]> got = new ArrayList<>(); // {frame, status}
    for (JsonNode e : finish(peer, out).get("received")) {
      got.add(new long[] {e.get(0).asLong(), e.get(1).asInt()});
    }
    return got;
  }

  private static long counter(String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile(java.util.regex.Pattern.quote(name) + "=(\\d+)").matcher(counters.summary());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static JsonNode runPeer(List<String> args) throws Exception {
    Process p = startPeer(args);
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", out.readLine());
    return finish(p, out);
  }

  private static JsonNode finish(Process p, BufferedReader out) throws Exception {
    String json = out.readLine();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the peer ends");
    assertEquals(0, p.exitValue(), "peer exit code");
    return new ObjectMapper().readTree(json);
  }

  private static Process startPeer(List<String> args) throws Exception {
    Path script = dir.resolve("jack_clock.py");
    if (!Files.exists(script)) {
      try (InputStream in = JackClockTest.class.getResourceAsStream(
          "/continuo/midi/jack/jack_clock.py")) {
        Files.copy(in, script);
      }
    }
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--name",
        "clockpeer" + System.nanoTime() % 10_000));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(jack.environment());
    return pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
