package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} keeps the primer's tempo: real tunes performed by the test at 0.67x to 1.5x of
 * their written tempo (the file's tempo map says 120 bpm whatever the speed: only the onsets
 * tell), continued by the shipped folk and piano models.
 */
class GenerateTempoTest {
  static final double[] SPEEDS = {0.67, 0.8, 1.0, 1.25, 1.5};

  @TempDir Path dir;

  /** A fixture's first {@code bars} bars, performed at {@code speed} times its written tempo. */
  static List<Note> performed(String fixture, double writtenBpm, int bars, double speed)
      throws Exception {
    List<Note> notes;
    try (InputStream in = GenerateTempoTest.class.getResourceAsStream(
        "/continuo/tempo/" + fixture + ".mid")) {
      notes = MidiFiles.parse(in.readAllBytes(), fixture);
    }
    long first = notes.stream().mapToLong(Note::startMicros).min().orElseThrow();
    double end = first + bars * 4 * 60e6 / writtenBpm;
    List<Note> out = new ArrayList<>();
    for (Note n : notes) {
      if (n.startMicros() < end) {
        out.add(new Note(n.pitch(), n.velocity(), Math.round((n.startMicros() - first) / speed),
            Math.round((n.endMicros() - first) / speed), n.channel()));
      }
    }
    return out;
  }

  /** The geometric mean of the intervals between onsets (note-ons within 35 ms are one), in us. */
  static double medianIoi(List<Note> notes) {
    long[] starts = notes.stream().mapToLong(Note::startMicros).sorted().toArray();
    List<Long> iois = new ArrayList<>();
    long last = starts[0];
    for (long s : starts) {
      if (s - last > 35_000) {
        iois.add(s - last);
        last = s;
      }
    }
    double logSum = 0;
    for (long ioi : iois) {
      logSum += Math.log(ioi);
    }
    return Math.exp(logSum / iois.size());
  }

  /** The shipped model {@code name}, with the sampling of its preset. */
  static List<String> model(String name) {
    String file = Path.of("models", name + ".cmodel").toString();
    return name.equals("folk")
        ? List.of("--model", file, "--temperature", "0.9", "--top-p", "0.95")
        : List.of("--model", file, "--temperature", "1.0", "--top-p", "0.95");
  }

  static Cli generate(List<String> model, String... args) {
    List<String> all = new ArrayList<>(List.of("generate"));
    all.addAll(model);
    all.addAll(List.of(args));
    return Cli.run(all.toArray(new String[0]));
  }

  /**
   * Seeds each speed is continued with: one sampled answer's pace varies by 10 % or more (the
   * piano's by up to a factor of two), and with three seeds the piano at 0.67x was 0.82 of 1.0x
   * in one run and 1.31 in another.
   */
  static final int[] SEEDS = {5, 6, 7, 8, 9, 10, 11, 12};

  /**
   * The answer's mean onset interval (geometric) over the primer's beat, for each speed: the
   * geometric mean over {@link #SEEDS}, since any change to the warped primer (a tracker that
   * settles a few onsets sooner) resamples the answer.
   */
  double[] ratios(String preset, String fixture, double writtenBpm, int bars) throws Exception {
    List<String> model = model(preset);
    double[] r = new double[SPEEDS.length];
    for (int i = 0; i < SPEEDS.length; i++) {
      List<Note> primer = performed(fixture, writtenBpm, bars, SPEEDS[i]);
      Path in = dir.resolve(fixture + "-" + i + ".mid");
      MidiFiles.write(primer, in);
      long primerEnd = primer.stream().mapToLong(Note::endMicros).max().orElseThrow();
      double beat = 60e6 / (writtenBpm * SPEEDS[i]);
      double logSum = 0;
      for (int seed : SEEDS) {
        Path out = dir.resolve(fixture + "-" + i + "-" + seed + "-out.mid");
        Cli c = generate(model, "--primer", in.toString(), "--out", out.toString(), "--seconds",
            "20", "--seed", Integer.toString(seed));
        assertEquals(0, c.exit(), c.err());
        List<Note> answer = MidiFiles.read(out).stream()
            .filter(n -> n.startMicros() >= primerEnd - 2_000).toList();
        double one = medianIoi(answer) / beat;
        logSum += Math.log(one);
        System.out.printf(Locale.ROOT, "%s %s x%.2f: %s answer ioi/beat %.3f%n", preset, fixture,
            SPEEDS[i], c.err().strip(), one);
      }
      r[i] = Math.exp(logSum / SEEDS.length);
      System.out.printf(Locale.ROOT, "%s %s x%.2f: over seeds %s answer ioi/beat %.3f%n", preset,
          fixture, SPEEDS[i], Arrays.toString(SEEDS), r[i]);
    }
    return r;
  }

  private static void assertWithin15PercentOfTheWrittenTempo(double[] r, String what) {
    double at1 = r[2];
    for (int i = 0; i < r.length; i++) {
      double rel = r[i] / at1;
      assertTrue(rel > 0.85 && rel < 1.15, String.format(Locale.ROOT,
          "%s at x%.2f: answer beat over primer beat is %.2f of what it is at x1.0 %s", what,
          SPEEDS[i], rel, Arrays.toString(r)));
    }
  }

  @Test
  void folkKeepsAReelsTempo() throws Exception {
    assertWithin15PercentOfTheWrittenTempo(ratios("folk", "nottingham-reelsa-c4", 120, 8),
        "folk");
  }

  @Test
  void bpmOverridesTheOnsets() throws Exception {
    List<Note> primer = performed("nottingham-reelsa-c4", 120, 8, 1.0);
    Path in = dir.resolve("reel.mid");
    Path out = dir.resolve("reel-60.mid");
    MidiFiles.write(primer, in);
    List<String> model = model("folk");
    Cli c = generate(model, "--primer", in.toString(), "--out", out.toString(), "--seconds", "20",
        "--seed", "5", "--bpm", "60");
    assertEquals(0, c.exit(), c.err());
    assertTrue(c.err().contains("tempo 60.0 bpm fixed"), c.err());
    Path followed = dir.resolve("reel-followed.mid");
    Cli f = generate(model, "--primer", in.toString(), "--out", followed.toString(), "--seconds",
        "20", "--seed", "5");
    assertTrue(f.err().contains("tempo 120.0 bpm tracker"), f.err());
    assertFalse(Arrays.equals(java.nio.file.Files.readAllBytes(out),
        java.nio.file.Files.readAllBytes(followed)), "the model heard the reel at half speed");
    assertEquals(2, generate(model, "--primer", in.toString(), "--out", out.toString(), "--bpm",
        "0").exit());
  }

  @Test
  void pianoKeepsAPopSongsTempo() throws Exception {
    assertWithin15PercentOfTheWrittenTempo(ratios("piano", "pop909-001", 90, 8), "piano");
  }
}
