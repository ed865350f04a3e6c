package continuo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import continuo.encoding.PerformanceEncoding;
import continuo.midifile.MidiFileReader;
import continuo.midifile.TimedMessages;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import continuo.testkit.JackServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code continuo run --record} as a real process against a real JACK server, the player played
 * in from a MIDI file ({@code --in file:}), continuo's output heard by an external JACK client:
 * what a kill -9 and a hung JACK server leave at the {@code --record} path.
 */
class RecordingSurvivesTest {
  /** The player: phrases of four notes (200 ms each, 50 ms apart), one every 3 s, for 33 s. */
  private static final int PHRASES = 11;
  private static final double PHRASE_SECONDS = 3.0;
  private static final int[] PITCHES = {62, 66, 69, 74};

  @TempDir Path home;

  @Test
  void aKillNineTwentySecondsInLeavesAReadableJamWithEveryNoteButTheLastTwoSeconds()
      throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    Path jam = home.resolve("takes/jam.mid");
    try (JackServer jack = new JackServer()) {
      Process continuo = start(jack, "continuo-kill", jam);
      Process listener = null;
      try {
        Log log = new Log(home.resolve("continuo-kill.log"));
        log.await("event=ready", 60);
        listener = listen(jack, "continuo-kill");
        Log heard = new Log(home.resolve("listener.log"));
        heard.await("ready", 30);
        long playing = log.await("event=file_input", 30);
        Thread.sleep(20_000);
        long killed = System.nanoTime();
        continuo.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        double secondsIn = (killed - playing) / 1e9 - 0.2; // the file starts 200 ms after opening

        Sequence seq = MidiSystem.getSequence(jam.toFile());
        Track[] tracks = seq.getTracks();
        assertEquals(2, tracks.length, "player and continuo; log:\n" + log);
        TimedMessages m = MidiFileReader.read(jam);
        List<Long> playerOns = new ArrayList<>();
        Map<Integer, Integer> continuoOns = new HashMap<>();
        for (int i = 0; i < m.size(); i++) {
          if ((m.status(i) & 0xF0) == 0x90 && m.data2(i) > 0) {
            if (m.track(i) == 0) {
              playerOns.add(m.micros(i));
            } else {
              continuoOns.merge(m.data1(i), 1, Integer::sum);
            }
          }
        }
        double cutoff = secondsIn - 2.0;
        int due = 0;
        for (int k = 0; k < PHRASES; k++) {
          for (int j = 0; j < PITCHES.length; j++) {
            due += k * PHRASE_SECONDS + j * 0.25 < cutoff ? 1 : 0;
          }
        }
        assertTrue(playerOns.size() >= due, "the player's notes up to two seconds before the "
            + "kill: " + playerOns.size() + " of " + due + "; log:\n" + log);
        for (int i = 0; i < playerOns.size(); i++) {
          double t = i / PITCHES.length * PHRASE_SECONDS + i % PITCHES.length * 0.25;
          assertEquals(t, (playerOns.get(i) - playerOns.get(0)) / 1e6, 0.05,
              "player note " + i + " at its time");
        }
        Map<Integer, Integer> missing = new HashMap<>();
        int heardBefore = 0;
        for (Heard h : heard.notes()) {
          if (h.nanos < killed - 2_000_000_000L) {
            heardBefore++;
            if (continuoOns.merge(h.pitch, -1, Integer::sum) < 0) {
              missing.merge(h.pitch, 1, Integer::sum);
            }
          }
        }
        System.out.printf("kill -9 %.1f s in: %d player notes of %d due, %d continuo notes heard "
            + "until 2 s before, all in the file%n", secondsIn, playerOns.size(), due,
            heardBefore);
        assertTrue(heardBefore >= 5, "continuo answered: " + heardBefore + "; log:\n" + log);
        assertEquals(Map.of(), missing, "every note continuo played until two seconds before the "
            + "kill is in the file (" + heardBefore + " heard)");
        assertEquals(0, sounding(tracks[0]), "no hanging note in the player's track");
        assertEquals(0, sounding(tracks[1]), "no hanging note in continuo's track");
        assertTrue(Files.list(jam.getParent()).allMatch(jam::equals), "only the jam in its folder");
      } finally {
        continuo.destroyForcibly();
        if (listener != null) {
          listener.destroyForcibly();
        }
      }
    }
  }

  @Test
  void withAFrozenJackServerSigtermWritesTheJamWithinASecond() throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    Path jam = home.resolve("jam.mid");
    Files.writeString(jam, "an earlier jam");
    try (JackServer jack = new JackServer()) {
      Process continuo = start(jack, "continuo-frozen", jam);
      Path numbered = home.resolve("jam-2.mid");
      try {
        Log log = new Log(home.resolve("continuo-frozen.log"));
        assertTrue(log.await("event=record_numbered file=" + numbered, 60) > 0);
        log.await("event=file_input", 60);
        Thread.sleep(5_000);
        jack.freeze();
        try {
          Thread.sleep(500);
          long term = System.nanoTime();
          continuo.destroy(); // SIGTERM
          long written;
          try {
            written = log.await("event=recorded file=" + numbered, 30);
          } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthreads:\n" + jstack(continuo), e);
          }
          double seconds = (written - term) / 1e9;
          System.out.printf("frozen JACK: the jam was written %.3f s after SIGTERM%n", seconds);
          assertTrue(seconds < 1.0, "the jam was written " + seconds + " s after SIGTERM; log:\n"
              + log);
          TimedMessages m = MidiFileReader.read(numbered);
          long playerOns = 0;
          for (int i = 0; i < m.size(); i++) {
            playerOns += m.track(i) == 0 && (m.status(i) & 0xF0) == 0x90 && m.data2(i) > 0 ? 1 : 0;
          }
          assertTrue(playerOns >= 2 * PITCHES.length, playerOns + " player notes; log:\n" + log);
          Track[] tracks = MidiSystem.getSequence(numbered.toFile()).getTracks();
          assertEquals(0, sounding(tracks[0]) + sounding(tracks[1]), "no hanging note");
          assertEquals("an earlier jam", Files.readString(jam), "the earlier jam is untouched");
        } finally {
          jack.thaw();
        }
        assertTrue(continuo.waitFor(60, TimeUnit.SECONDS), "continuo ends once JACK answers");
      } finally {
        continuo.destroyForcibly();
      }
    }
  }

  private static String jstack(Process p) throws Exception {
    Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack")
        .toString(), String.valueOf(p.pid())).redirectErrorStream(true).start();
    String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    j.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  private Process start(JackServer jack, String name, Path jam) throws Exception {
    ModelFile.write(busy(RandomModels.create(16, 64, 1, 21)), home.resolve("m.cmodel"));
    Path phrase = home.resolve("phrase.mid");
    writePhrases(phrase);
    ProcessBuilder pb = new ProcessBuilder(JackServer.continuoCommand(home, "run", "--backend",
        "jack", "--name", name, "--model", home.resolve("m.cmodel").toString(), "--in",
        "file:" + phrase, "--gap-ms", "150", "--seed", "9", "--mode", "duet", "--record",
        jam.toString()));
    pb.environment().putAll(jack.environment());
    Path log = home.resolve(name + ".log");
    return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private Process listen(JackServer jack, String client) throws IOException {
    Path script = home.resolve("jack_listener.py");
    Path out = home.resolve("listener.log");
    try (InputStream in = getClass().getResourceAsStream("/continuo/it/jack_listener.py")) {
      Files.copy(in, script);
    }
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), client);
    pb.environment().putAll(jack.environment());
    return pb.redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(out.toFile()).start();
  }

  /** A model that plays many short notes: long time shifts made unlikely. */
  private static LstmWeights busy(LstmWeights w) {
    float[] bias = w.outputBias().clone();
    for (int steps = 11; steps <= PerformanceEncoding.TIME_SHIFT_STEPS; steps++) {
      bias[PerformanceEncoding.timeShift(steps)] -= 8;
    }
    return new LstmWeights(w.config(), w.embedding(), w.weightIh(), w.weightHh(), w.biasIh(),
        w.biasHh(), w.outputWeight(), bias);
  }

  private static void writePhrases(Path file) throws Exception {
    Sequence seq = new Sequence(Sequence.PPQ, 480); // 120 bpm: 960 ticks a second
    Track t = seq.createTrack();
    for (int k = 0; k < PHRASES; k++) {
      for (int j = 0; j < PITCHES.length; j++) {
        long on = Math.round((k * PHRASE_SECONDS + j * 0.25) * 960);
        t.add(new MidiEvent(new ShortMessage(0x90, PITCHES[j], 96), on));
        t.add(new MidiEvent(new ShortMessage(0x80, PITCHES[j], 0), on + 192));
      }
    }
    MidiSystem.write(seq, 1, file.toFile());
  }

  private static int sounding(Track t) {
    int[] on = new int[16 * 128];
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).getMessage() instanceof ShortMessage s) {
        int key = s.getChannel() * 128 + s.getData1();
        if (s.getCommand() == 0x90 && s.getData2() > 0) {
          on[key]++;
        } else if (s.getCommand() == 0x80 || s.getCommand() == 0x90) {
          on[key] = Math.max(0, on[key] - 1);
        }
      }
    }
    int n = 0;
    for (int c : on) {
      n += c;
    }
    return n;
  }

  private record Heard(long nanos, int pitch) {}

  /** A process's output, read as it comes, each line stamped with when it arrived. */
  private static final class Log {
    private final List<String> lines = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    /** Follows {@code file} as it grows, every 10 ms. */
    Log(Path file) {
      Thread t = new Thread(() -> {
        StringBuilder partial = new StringBuilder();
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buffer = new byte[8192];
          while (true) {
            int n = in.read(buffer);
            if (n <= 0) {
              Thread.sleep(10);
              continue;
            }
            long now = System.nanoTime();
            partial.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
              add(partial.substring(0, end), now);
              partial.delete(0, end + 1);
            }
          }
        } catch (IOException | InterruptedException e) {
          // the test is over
        }
      }, "log-reader");
      t.setDaemon(true);
      t.start();
    }

    private synchronized void add(String line, long nanos) {
      lines.add(line);
      times.add(nanos);
      notifyAll();
    }

    /** When the first line containing {@code text} arrived. */
    synchronized long await(String text, int seconds) throws InterruptedException {
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (lines.get(seen).contains(text)) {
            return times.get(seen);
          }
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no '" + text + "' within " + seconds + " s:\n" + this);
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }

    synchronized List<Heard> notes() {
      List<Heard> out = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith("on ")) {
          out.add(new Heard(times.get(i), Integer.parseInt(lines.get(i).substring(3).trim())));
        }
      }
      return out;
    }

    @Override
    public synchronized String toString() {
      return String.join("\n", lines);
    }
  }
}
