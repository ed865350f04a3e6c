package continuo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.testkit.JackServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code continuo run} keeps time with a DAW through a real JACK server (dummy driver): an external
 * client (python jack-client, {@code jack_grid.py}) sends Start, MIDI clock jittered by +-1 ms and
 * Stop at exact frames, and records what continuo plays.
 */
class JackTempoTest {
  private static final String PEER = "/continuo/it/jack_grid.py";
  private static final Pattern TRANSPORT = Pattern.compile(
      "event=transport state=stopped tempo=\"([0-9.]+) bpm (\\w+)\"");

  /**
   * Frames per period. The dummy driver loses time when a cycle overruns on a loaded machine, which
   * moves the frames' stamps; the longer period keeps that rare (as in {@code JackClockTest}).
   */
  private static final int PERIOD = 1024;

  @TempDir Path tmp;

  @Test
  void theEnginesTempoIsWithinHalfABpmOfA90And140BpmClockAfterOneBeat() throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    for (int bpm : new int[] {90, 140}) {
      // One beat of clock: Start with tick 0, ticks 1..23, and Stop in place of tick 24.
      Run r = run("continuo-bpm" + bpm, List.of("--bpm", String.valueOf(bpm), "--jitter-ms", "1",
          "--notes", "0", "--phrase-beat", "1", "--listen", "0", "--after-stop", "0.5",
          "--seed", String.valueOf(bpm)));
      Matcher m = TRANSPORT.matcher(r.log);
      assertTrue(m.find(), "a Stop is logged with the tempo then; log:\n" + r.log);
      double heard = Double.parseDouble(m.group(1));
      System.out.printf(Locale.ROOT, "clock at %d bpm: continuo's tempo after one beat %.1f%n",
          bpm, heard);
      assertEquals("clock", m.group(2), r.log);
      assertEquals(bpm, heard, 0.5, r.log);
      assertEquals(26, r.json.get("sent").size(), "Start, 24 ticks and Stop");
    }
  }

  @Test
  void stopLeavesNoNoteSoundingAndContinuoSilentUntilTheEnd() throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    // A phrase of four quarters at 120 bpm from beat 4, then two seconds of answer, then Stop.
    Run r = run("continuo-stop", List.of("--bpm", "120", "--notes", "4", "--phrase-beat", "4",
        "--listen", "2", "--after-stop", "1.5", "--seed", "3"));
    long stop = r.json.get("stop").asLong();
    double rate = r.json.get("sample_rate").asDouble();
    boolean[] on = new boolean[16 * 128];
    int onsBefore = 0;
    int onsAfter = 0;
    long lastOffFrame = 0;
    for (JsonNode e : r.json.get("received")) {
      long frame = e.get(0).asLong();
      int status = e.get(1).asInt();
      int key = (status & 0x0F) * 128 + e.get(2).asInt();
      boolean noteOn = (status & 0xF0) == 0x90 && e.get(3).asInt() > 0;
      boolean noteOff = (status & 0xF0) == 0x80 || (status & 0xF0) == 0x90 && !noteOn;
      if (noteOn) {
        on[key] = true;
        if (frame < stop) {
          onsBefore++;
        } else {
          onsAfter++;
        }
      } else if (noteOff) {
        on[key] = false;
        if (frame >= stop) {
          lastOffFrame = Math.max(lastOffFrame, frame);
        }
      }
    }
    assertTrue(onsBefore >= 1, "continuo answered before Stop; log:\n" + r.log);
    assertEquals(0, onsAfter, "nothing plays after Stop; log:\n" + r.log);
    for (boolean b : on) {
      assertTrue(!b, "a note is left sounding; log:\n" + r.log + "\n" + r.json);
    }
    double offMs = (lastOffFrame - stop) * 1000 / rate;
    System.out.printf(Locale.ROOT, "after Stop: last note-off %.1f ms later, %d notes before%n",
        offMs, onsBefore);
    assertTrue(offMs < 100, "the notes go off at once: the last " + offMs + " ms after Stop");
    assertTrue(r.log.contains("event=transport state=stopped"), r.log);
  }

  private record Run(String log, JsonNode json) {}

  /** continuo run with the folk model, played by the peer with {@code peerArgs}. */
  private Run run(String name, List<String> peerArgs) throws Exception {
    Path home = Path.of("").toAbsolutePath();
    Path log = tmp.resolve(name + ".log");
    try (JackServer jack = new JackServer(PERIOD)) {
      ProcessBuilder pb = new ProcessBuilder(JackServer.continuoCommand(home, "run", "--backend",
          "jack", "--name", name, "--preset", "folk", "--gap-ms", "150", "--seed", "7"));
      pb.environment().putAll(jack.environment());
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process continuo = pb.start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(log).contains("event=ready")) {
          assertTrue(continuo.isAlive() && System.nanoTime() < deadline,
              "continuo did not start:\n" + Files.readString(log));
          Thread.sleep(100);
        }
        Path script = tmp.resolve("jack_grid.py");
        try (var in = JackTempoTest.class.getResourceAsStream(PEER)) {
          Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(),
            "--client", name, "--name", name + "-peer"));
        cmd.addAll(peerArgs);
        ProcessBuilder peb = new ProcessBuilder(cmd);
        peb.environment().putAll(jack.environment());
        peb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process peer = peb.start();
        String json = null;
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("stop-now")) {
              continuo.destroy(); // SIGTERM: continuo ends, releasing what it still plays
            } else if (line.startsWith("{")) {
              json = line;
            }
          }
        }
        assertTrue(peer.waitFor(60, TimeUnit.SECONDS), "the peer ends");
        assertTrue(continuo.waitFor(30, TimeUnit.SECONDS), "continuo ends");
        assertTrue(json != null, "the peer reported; log:\n" + Files.readString(log));
        return new Run(Files.readString(log), new ObjectMapper().readTree(json));
      } finally {
        continuo.destroyForcibly();
      }
    }
  }
}
