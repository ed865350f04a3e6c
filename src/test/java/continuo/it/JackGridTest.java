package continuo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantise and clock out through a real JACK server (dummy driver, synchronous, 1024-frame
 * periods) with {@code continuo run} in its own process and an external python jack-client that
 * plays and records at exact frames ({@code jack_grid.py}: a player and a listener, two clients so
 * the graph has no loop). Everything is judged in JACK frames at 48 kHz: 48 frames are 1 ms.
 *
 * <p>A loaded machine stalls the dummy driver now and then, and the driver then loses time (on
 * the shared 2-core machine under a load of 20, JACK reported a dozen xruns in ten seconds).
 * continuo's frames are then anchored anew to its clock ({@code jack.frames.reanchored}), which
 * moves everything it stamps and writes from then on by as much: ticks it sends before and after
 * are not one clock's frames, and for a beat or two its clock follower's phase is off by the move
 * until the ticks pull it back. So a check that compares frames across time is strict on a run
 * whose frames were not anchored anew while it was judged, and such a run is made again (up to
 * three runs) when one was; the checks that compare events continuo wrote together hold on every
 * run.
 */
class JackGridTest {
  private static final String PEER = "/continuo/it/jack_grid.py";
  private static final int PERIOD = 1024;
  /** 1 ms at 48 kHz. */
  private static final int MS_FRAMES = 48;

  @TempDir Path home;

  @Test
  void underAJitteryClockAtNinetyBpmEveryNoteOnLandsWithinAMillisecondOfItsSixteenth()
      throws Exception {
    followsTheDawsGrid(90, 1);
  }

  @Test
  void underAJitteryClockAtOneFortyBpmEveryNoteOnLandsWithinAMillisecondOfItsSixteenth()
      throws Exception {
    followsTheDawsGrid(140, 2);
  }

  /**
   * The DAW (the player client) sends Start and ticks at {@code bpm} jittered by +-1 ms, a phrase
   * from beat 4, and Stop three seconds after it. continuo, with {@code grid = "1/16"} and
   * {@code quantize = 100}, answers: every note-on it sends before Stop (outside two beats after
   * an xrun) lands within 1 ms of a sixteenth of the DAW's own, unjittered grid. Stop leaves no
   * note sounding: within 100 ms of it every note continuo played is off, and it plays no more.
   */
  private void followsTheDawsGrid(double bpm, int seed) throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    writeModelAndPreset("grid = \"1/16\"\nquantize = 100\n");
    List<String> runs = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      Run run = run(List.of("--preset", home.resolve("presets/grid.toml").toString()),
          List.of("--bpm", String.valueOf(bpm), "--jitter-ms", "1", "--seed",
              String.valueOf(seed + 10 * attempt), "--listen", "3", "--after-stop", "1"));
      assertTrue(run.peer.get("stop").isNumber(), "the DAW sent Stop: " + run.peer.get("stop"));
      long stop = run.peer.get("stop").asLong();
      double start = run.peer.get("start").asDouble();
      double tick = run.peer.get("tick_frames").asDouble();
      double sixteenth = 6 * tick;
      List<long[]> ons = run.noteOns();
      List<String> off = new ArrayList<>();
      int before = 0;
      double worst = 0;
      for (long[] on : ons) {
        if (on[0] >= stop) {
          continue;
        }
        before++;
        double steps = (on[0] - start) / sixteenth;
        double frames = Math.abs(steps - Math.rint(steps)) * sixteenth;
        worst = Math.max(worst, frames);
        if (frames > MS_FRAMES) {
          off.add(String.format("%.2f ms at sixteenth %.2f", frames / MS_FRAMES, steps));
        }
      }
      assertTrue(before >= 4, "continuo answered before Stop: " + before + " note-ons\n" + run.log);
      // Stop leaves nothing sounding: transport Stop is a panic; a note handed over before it
      // arrived may still start, and ends with it.
      long settled = stop + 100 * MS_FRAMES;
      assertEquals(List.of(), run.soundingAt(settled), "sounding 100 ms after Stop\n" + run.log);
      for (long[] on : ons) {
        assertTrue(on[0] < settled, "a note-on " + (on[0] - stop) / MS_FRAMES
            + " ms after Stop: continuo stays silent until Start, Continue or the player");
      }
      assertEquals(List.of(), run.soundingAt(Long.MAX_VALUE), "nothing left on at the end");
      String summary = String.format("JACK grid at %.0f bpm, +-1 ms jitter (run %d): %d note-ons"
          + " before Stop, worst %.3f ms from the sixteenth, frames anchored anew %d times while"
          + " continuo played; %s", bpm, attempt + 1, before, worst / MS_FRAMES,
          run.reanchoredWhilePlaying(), run.stallSummary());
      if (!off.isEmpty() && run.reanchoredWhilePlaying() > 0) {
        runs.add(summary + " off: " + off);
        continue;
      }
      assertEquals(List.of(), off, summary);
      System.out.println(summary); // reported, not asserted beyond the 1 ms
      return;
    }
    assumeTrue(false, "JACK's frames were anchored anew while continuo played in each of 3 runs: "
        + runs);
  }

  /**
   * {@code run --clock-out --bpm 140} with {@code grid = "1/16"}: the listener receives Start,
   * ticks each at the frame its due time maps to (one phase for a whole stretch: tick k at
   * {@code floor(phase + k * 857.14)} frames after the stretch's first; a stretch ends only where
   * continuo's frames were anchored anew or a late JACK cycle made a tick late), and Stop last,
   * when continuo is ended; and every note-on of the answer exactly at the frame of continuo's
   * tick on the same sixteenth, which continuo wrote in the same period.
   */
  @Test
  void clockOutTicksAreFrameExactAndTheAnswerSitsOnTheirSixteenths() throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    writeModelAndPreset("grid = \"1/16\"\nquantize = 100\n");
    Run run = run(List.of("--preset", home.resolve("presets/grid.toml").toString(),
        "--clock-out", "--bpm", "140"), List.of("--listen", "3", "--after-stop", "0.5"));
    List<long[]> clock = run.received(0xF8, 0xFA, 0xFC);
    assertEquals(0xFA, clock.get(0)[1], "Start first");
    assertEquals(0xFC, clock.get(clock.size() - 1)[1], "Stop last");
    long[] ticks = clock.subList(1, clock.size() - 1).stream().peek(
        e -> assertEquals(0xF8, e[1], "only ticks between Start and Stop")).mapToLong(e -> e[0])
        .toArray();
    assertTrue(ticks.length > 24 * 140 / 60 * 4, "ticks for the whole session: " + ticks.length);
    assertEquals(clock.get(0)[0], ticks[0], "Start at the first tick's frame");
    assertTrue(clock.get(clock.size() - 1)[0] >= ticks[ticks.length - 1], "Stop after the ticks");
    // Stretches of one clock: tick k of a stretch at floor(phase + k * period) frames after its
    // first, one phase in [0, 1) for all; a new stretch only where the frames were re-anchored.
    double period = 48_000 * 60.0 / (140 * 24);
    List<Integer> breaks = new ArrayList<>();
    int first = 0;
    double low = 0;
    double high = 1;
    for (int k = 0; k < ticks.length; k++) {
      double x = ticks[k] - ticks[first] - (k - first) * period;
      if (Math.max(low, x) >= Math.min(high, x + 1)) {
        breaks.add(k);
        first = k;
        low = 0;
        high = 1;
        continue;
      }
      low = Math.max(low, x);
      high = Math.min(high, x + 1);
    }
    int xruns = 0;
    for (JsonNode x : run.peer.get("xruns")) {
      xruns += x.asLong() >= ticks[0] - PERIOD && x.asLong() <= ticks[ticks.length - 1] ? 1 : 0;
    }
    List<String> moves = new ArrayList<>();
    for (int k : breaks) {
      moves.add(String.format("tick %d by %.1f frames", k,
          ticks[k] - ticks[k - 1] - period));
    }
    // A tick leaves the clock's frames only where the frames were anchored anew, or where JACK ran
    // a cycle late and the tick, due in the period before, went out at its start (counted).
    long excused = run.counter("jack.frames.reanchored") + run.counter("jack.output.late_cycle")
        + run.counter("jack.output.late");
    assertTrue(breaks.size() <= excused, "the ticks leave one clock's frames more often than "
        + "continuo's frames were anchored anew or its events went out late: " + moves + "; "
        + run.stallSummary());
    int longest = 0;
    for (int b = 0, from = 0; b <= breaks.size(); b++) {
      int to = b < breaks.size() ? breaks.get(b) : ticks.length;
      longest = Math.max(longest, to - from);
      from = to;
    }
    assertTrue(longest >= 24, "a beat or more of frame-exact ticks: " + moves);
    List<String> notOnATick = new ArrayList<>();
    int ons = 0;
    for (long[] on : run.noteOns()) {
      ons++;
      int k = nearest(ticks, on[0]);
      if (k % 6 != 0 || Math.abs(on[0] - ticks[k]) > 1) {
        notOnATick.add((on[0] - ticks[k]) + " frames from tick " + k);
      }
    }
    assertTrue(ons >= 4, "continuo answered: " + ons + " note-ons\n" + run.log);
    assertEquals(List.of(), notOnATick, "note-ons at their sixteenth's tick");
    assertEquals(List.of(), run.soundingAt(Long.MAX_VALUE), "nothing left on at the end");
    System.out.printf("JACK clock out at 140 bpm: %d ticks in %d frame-exact stretches (%d xruns"
        + " during them; moves %s), %d note-ons each at the frame of its sixteenth's tick; %s%n",
        ticks.length, breaks.size() + 1, xruns, moves, ons, run.stallSummary());
  }

  /** The index of the tick nearest {@code frame}. */
  private static int nearest(long[] ticks, long frame) {
    int best = 0;
    for (int k = 1; k < ticks.length; k++) {
      if (Math.abs(ticks[k] - frame) < Math.abs(ticks[best] - frame)) {
        best = k;
      }
    }
    return best;
  }

  private void writeModelAndPreset(String keys) throws Exception {
    ModelFile.write(busy(RandomModels.create(16, 64, 1, 21)), home.resolve("m.cmodel"));
    Files.createDirectories(home.resolve("presets"));
    Files.writeString(home.resolve("presets/grid.toml"), "model = \"m.cmodel\"\n"
        + "mode = \"duet\"\nresponse_gap_ms = 150\n" + keys);
  }

  /**
   * The random model with its time shifts over 100 ms made unlikely: it plays many notes, so that
   * an answer of a few seconds has a good number of note-ons to judge.
   */
  private static LstmWeights busy(LstmWeights w) {
    float[] bias = w.outputBias().clone();
    for (int steps = 11; steps <= PerformanceEncoding.TIME_SHIFT_STEPS; steps++) {
      bias[PerformanceEncoding.timeShift(steps)] -= 8;
    }
    return new LstmWeights(w.config(), w.embedding(), w.weightIh(), w.weightHh(), w.biasIh(),
        w.biasHh(), w.outputWeight(), bias);
  }

  /** What one session of continuo and the peer did. */
  private record Run(JsonNode peer, String log, String stopped) {
    List<long[]> received(int... statuses) {
      List<long[]> out = new ArrayList<>();
      for (JsonNode e : peer.get("received")) {
        int status = e.get(1).asInt();
        for (int s : statuses) {
          if (status == s) {
            out.add(new long[] {e.get(0).asLong(), status});
          }
        }
      }
      return out;
    }

    /** {frame, pitch} of every note-on continuo sent. */
    List<long[]> noteOns() {
      List<long[]> out = new ArrayList<>();
      for (JsonNode e : peer.get("received")) {
        if (e.size() >= 4 && (e.get(1).asInt() & 0xF0) == 0x90 && e.get(3).asInt() > 0) {
          out.add(new long[] {e.get(0).asLong(), e.get(2).asInt()});
        }
      }
      return out;
    }

    /** The notes continuo had on at {@code frame} (events before it), as "channel:pitch". */
    List<String> soundingAt(long frame) {
      boolean[] on = new boolean[16 * 128];
      for (JsonNode e : peer.get("received")) {
        if (e.get(0).asLong() >= frame || e.size() < 4) {
          continue;
        }
        int status = e.get(1).asInt();
        int key = (status & 0x0F) * 128 + e.get(2).asInt();
        if ((status & 0xF0) == 0x90 && e.get(3).asInt() > 0) {
          on[key] = true;
        } else if ((status & 0xF0) == 0x80 || (status & 0xF0) == 0x90) {
          on[key] = false;
        }
      }
      List<String> out = new ArrayList<>();
      for (int k = 0; k < on.length; k++) {
        if (on[k]) {
          out.add((k / 128 + 1) + ":" + k % 128);
        }
      }
      return out;
    }

    /**
     * How many times continuo's frames were anchored anew from the moment it began to answer (its
     * status line when it starts playing) to its end.
     */
    long reanchoredWhilePlaying() {
      String playing = log.lines().filter(l -> l.contains("event=status")
          && l.contains("state=playing")).findFirst().orElse("");
      return counter("jack.frames.reanchored") - count(playing, "jack.frames.reanchored");
    }

    /** The xruns JACK reported, and continuo's counts of them and of late events. */
    String stallSummary() {
      return "xruns at frames " + peer.get("xruns") + "; continuo: jack.xruns="
          + counter("jack.xruns") + " jack.frames.reanchored=" + counter("jack.frames.reanchored")
          + " jack.output.late_cycle="
          + counter("jack.output.late_cycle") + " jack.output.late="
          + counter("jack.output.late");
    }

    long counter(String name) {
      return count(stopped, name);
    }

    static long count(String line, String name) {
      Matcher m = Pattern.compile(Pattern.quote(name) + "=(\\d+)").matcher(line);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
  }

  /**
   * Starts a JACK server, the peer with {@code peerArgs} and {@code continuo run --backend jack}
   * with {@code continuoArgs}, connected to the peer's ports by {@code --in} and {@code --out};
   * tells the peer to go once continuo is ready, and ends continuo with SIGTERM when the peer
   * says so.
   */
  private Run run(List<String> continuoArgs, List<String> peerArgs) throws Exception {
    try (JackServer jack = new JackServer(PERIOD)) {
      Path script = home.resolve("jack_grid.py");
      if (!Files.exists(script)) {
        try (InputStream in = JackGridTest.class.getResourceAsStream(PEER)) {
          Files.copy(in, script);
        }
      }
      String name = "gridpeer" + System.nanoTime() % 10_000;
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(),
          "--client", "continuo-grid", "--name", name, "--wait"));
      cmd.addAll(peerArgs);
      ProcessBuilder cb = new ProcessBuilder(cmd);
      cb.environment().putAll(jack.environment());
      Process peer = cb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Process continuo = null;
      try {
        BufferedReader lines = new BufferedReader(
            new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", lines.readLine(), "the peer's ports are up");
        List<String> args = new ArrayList<>(List.of("run", "--backend", "jack", "--name",
            "continuo-grid", "--seed", "7", "--in", name + "-player:out", "--out",
            name + "-listener:in"));
        args.addAll(continuoArgs);
        ProcessBuilder pb = new ProcessBuilder(JackServer.continuoCommand(home,
            args.toArray(String[]::new)));
        pb.environment().putAll(jack.environment());
        Path logFile = home.resolve("continuo-" + System.nanoTime() + ".log");
        continuo = pb.redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        long end = System.nanoTime() + 60_000_000_000L;
        while (!Files.readString(logFile).contains("event=ready")) {
          assertTrue(continuo.isAlive() && System.nanoTime() < end,
              "continuo did not get ready:\n" + Files.readString(logFile));
          Thread.sleep(50);
        }
        peer.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        peer.getOutputStream().flush();
        String line;
        String json = null;
        while ((line = lines.readLine()) != null) {
          if (line.equals("stop-now")) {
            continuo.destroy(); // SIGTERM
            assertTrue(continuo.waitFor(30, TimeUnit.SECONDS), "continuo ends on SIGTERM");
          } else if (line.startsWith("{")) {
            json = line;
          }
        }
        assertTrue(peer.waitFor(30, TimeUnit.SECONDS), "the peer ends");
        String log = Files.readString(logFile);
        assertTrue(json != null && !continuo.isAlive(), "the peer's record\n" + log);
        assertEquals(0, continuo.exitValue(), "continuo's exit code after SIGTERM\n" + log);
        String stopped = log.lines().filter(l -> l.contains("event=stopped")).findFirst()
            .orElseThrow(() -> new AssertionError("no stopped line:\n" + log));
        return new Run(new ObjectMapper().readTree(json), log, stopped);
      } finally {
        peer.destroyForcibly();
        if (continuo != null) {
          continuo.destroyForcibly();
        }
      }
    }
  }
}
