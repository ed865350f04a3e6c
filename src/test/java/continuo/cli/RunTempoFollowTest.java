package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.midifile.MidiFileReader;
import continuo.midifile.TimedMessages;
import continuo.testkit.JackServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code continuo run --in file:} keeps the primer's tempo, through the launcher's path and a real
 * JACK server (dummy driver): a Nottingham reel performed by the test at 0.67x, 1.0x and 1.5x of
 * its written tempo (the file's tempo map says 120 bpm whatever the speed: only the onsets tell)
 * is played in by {@code continuo run --preset folk} processes (two seeds at each speed, all six
 * at once), each recording the jam, and the answer's mean onset interval (geometric) over the primer's beat, read from the
 * recording as {@link GenerateTempoTest} reads a continuation, is within 30 % at 0.67x and 1.5x of
 * what it is at 1.0x: the process path keeps the primer's metrical level (an answer at the wrong
 * level is at half or double the pace). The 15 % is asserted over 24 seeds by
 * {@code LiveTempoFollowTest}; two seeds of real processes are too few for it: one answer's pace
 * wanders from seed to seed (a clean-clone run read 1.414 and 1.076 of the primer's beat for the
 * two 1.5x answers, 1.20 of 1.0x together). The temperature is 0.5, the answer is listened to for
 * 48 beats and two seeds are averaged.
 */
class RunTempoFollowTest {
  static final double[] SPEEDS = {0.67, 1.0, 1.5};
  /** Seeds: two answers at each speed, their paces averaged (geometric). */
  static final long[] SEEDS = {5, 6};
  /**
   * Bars of the reel played in: the first bar or two, before the tracker settles, reach the model
   * at the preset's tempo, and 16 bars dilute that (see {@code LiveTempoFollowTest}).
   */
  static final int BARS = 16;
  /** The answer listened to after the primer, in the primer's beats. */
  static final int ANSWER_BEATS = 48;

  @TempDir Path dir;

  @Test
  void theAnswerKeepsTheTempoOfAReelPlayedInFromAFileAtTwoThirdsToOneAndAHalfTimes()
      throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    Path home = Path.of("").toAbsolutePath();
    double[] ratio = new double[SPEEDS.length];
    try (JackServer jack = new JackServer()) {
      List<Process> runs = new ArrayList<>();
      for (int i = 0; i < SPEEDS.length; i++) {
        List<Note> primer = GenerateTempoTest.performed("nottingham-reelsa-c4", 120, BARS,
            SPEEDS[i]);
        Path in = dir.resolve("reel-" + i + ".mid");
        MidiFiles.write(primer, in);
        long primerEnd = primer.stream().mapToLong(Note::endMicros).max().orElseThrow();
        double seconds = primerEnd / 1e6 + ANSWER_BEATS * 60 / (120 * SPEEDS[i]) + 3;
        for (int s = 0; s < SEEDS.length; s++) {
          String run = i + "-" + s;
          ProcessBuilder pb = new ProcessBuilder(JackServer.continuoCommand(home, "run",
              "--backend", "jack", "--name", "continuo-tempo-" + run, "--preset", "folk",
              "--temperature", "0.5", "--in", "file:" + in, "--seed", String.valueOf(SEEDS[s]),
              "--seconds", String.format(Locale.ROOT, "%.0f", Math.ceil(seconds)), "--record",
              dir.resolve("jam-" + run + ".mid").toString()));
          pb.environment().putAll(jack.environment());
          pb.redirectErrorStream(true).redirectOutput(dir.resolve("run-" + run + ".log").toFile());
          runs.add(pb.start());
        }
      }
      for (int r = 0; r < runs.size(); r++) {
        Process p = runs.get(r);
        String run = r / SEEDS.length + "-" + r % SEEDS.length;
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "continuo run --seconds ends by itself");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("run-" + run + ".log")));
      }
      for (int i = 0; i < SPEEDS.length; i++) {
        double logSum = 0;
        for (int s = 0; s < SEEDS.length; s++) {
          String run = i + "-" + s;
          String log = Files.readString(dir.resolve("run-" + run + ".log"));
          List<Note> answer = answer(dir.resolve("jam-" + run + ".mid"), SPEEDS[i]);
          assertTrue(answer.size() >= 20, "an answer of " + answer.size() + " notes; log:\n"
              + log);
          double one = GenerateTempoTest.medianIoi(answer) / (60e6 / (120 * SPEEDS[i]));
          logSum += Math.log(one);
          System.out.printf(Locale.ROOT, "run --in file: reel x%.2f seed %d: %d answer notes, "
              + "answer ioi/beat %.3f; %s%n", SPEEDS[i], SEEDS[s], answer.size(), one,
              log.lines().filter(l -> l.contains("event=tempo_source")).reduce((a, b) -> b)
                  .orElse("no tempo_source line"));
        }
        ratio[i] = Math.exp(logSum / SEEDS.length);
        System.out.printf(Locale.ROOT, "run --in file: reel x%.2f: answer ioi/beat %.3f%n",
            SPEEDS[i], ratio[i]);
      }
    }
    for (int i = 0; i < SPEEDS.length; i++) {
      double rel = ratio[i] / ratio[1];
      assertTrue(rel > 0.7 && rel < 1.3, String.format(Locale.ROOT,
          "x%.2f: answer beat over primer beat is %.2f of what it is at x1.0 (%s)", SPEEDS[i],
          rel, java.util.Arrays.toString(ratio)));
    }
  }

  /**
   * continuo's notes in a recording (its second track) from the player's last note-on on, over
   * {@link #ANSWER_BEATS} of the primer's beats, as notes (starts only matter).
   */
  static List<Note> answer(Path jam, double speed) throws Exception {
    TimedMessages m = MidiFileReader.read(jam);
    long lastPlayerOn = 0;
    for (int i = 0; i < m.size(); i++) {
      if (m.track(i) == 0 && (m.status(i) & 0xF0) == 0x90 && m.data2(i) > 0) {
        lastPlayerOn = Math.max(lastPlayerOn, m.micros(i));
      }
    }
    long end = lastPlayerOn + Math.round(ANSWER_BEATS * 60e6 / (120 * speed));
    List<Note> answer = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) {
      long t = m.micros(i);
      if (m.track(i) == 1 && (m.status(i) & 0xF0) == 0x90 && m.data2(i) > 0
          && t > lastPlayerOn && t < end) {
        answer.add(new Note(m.data1(i), m.data2(i), t, t + 1, 0));
      }
    }
    return answer;
  }
}
