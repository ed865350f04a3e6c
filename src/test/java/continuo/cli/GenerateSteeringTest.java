package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.preset.Preset;
import continuo.sample.Generator;
import continuo.steer.Key;
import continuo.steer.VelocityFollower;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's figures through {@code generate}: the shipped folk model, real primers (the first 8 s
 * of Nottingham tunes, {@code src/test/resources/continuo/steer/}), and the steering a preset (or
 * generate's options) asks for, applied by the generator's playability rules as the live engine
 * applies them.
 */
class GenerateSteeringTest {
  private static final Path FOLK = Path.of("models/folk.cmodel");
  private static final Path FIXTURES = Path.of("src/test/resources/continuo/steer");
  private static LstmStepper stepper;

  @TempDir static Path dir;

  @BeforeAll
  static void load() throws Exception {
    LstmWeights weights = ModelFile.read(FOLK);
    stepper = ModelChoice.reproducibleStepper(weights);
  }

  @AfterAll
  static void close() {
    stepper.close();
  }

  /** The first 8 s of a fixture tune, moved by {@code semitones}. */
  static List<Note> primer(String tune, int semitones) throws Exception {
    List<Note> out = new ArrayList<>();
    for (Note n : MidiFiles.read(FIXTURES.resolve("nottingham-" + tune + ".mid"))) {
      if (n.startMicros() < 8_000_000) {
        out.add(new Note(n.pitch() + semitones, n.velocity(), n.startMicros(),
            Math.min(n.endMicros(), 8_000_000), n.channel()));
      }
    }
    return out;
  }

  /** What generate sampled: its events, the pitches of its note-ons and the music's length. */
  record Run(int events, int[] pitches, long millis) {
    double share(Key key) {
      return Arrays.stream(pitches).filter(key::contains).count() / (double) pitches.length;
    }

    double notesPerSecond() {
      return pitches.length * 1000.0 / millis;
    }
  }

  /** {@code events} events continuing {@code primer}, steered by {@code preset} as generate does. */
  static Run generate(Preset preset, List<Note> primer, float temperature, int events, long seed) {
    Generator g = new Generator(stepper, seed);
    GenerateCommand.steer(g, preset, primer, new VelocityFollower());
    g.prime(EventEncoder.encode(primer));
    int[] tokens = g.continueFor(Long.MAX_VALUE / 2_000_000, temperature, 1f, events);
    int[] pitches = Arrays.stream(tokens).filter(PerformanceEncoding::isNoteOn)
        .map(PerformanceEncoding::pitch).toArray();
    long millis = Arrays.stream(tokens).filter(PerformanceEncoding::isTimeShift)
        .mapToLong(PerformanceEncoding::shiftMillis).sum();
    return new Run(tokens.length, pitches, millis);
  }

  static Preset folk() {
    return Preset.forModel(FOLK);
  }

  @Test
  void tenThousandEventsInFMajorBetween60And79HaveNoNoteOutOfKeyOrRange() throws Exception {
    Preset p = folk().with("key", "F major").with("pitch_range", new int[] {60, 79});
    Key f = Key.parse("F major");
    String[] tunes = {"ashover13", "jigs111", "morris1", "ashover24", "jigs339"};
    int events = 0;
    int notes = 0;
    for (int i = 0; i < tunes.length; i++) {
      Run run = generate(p, primer(tunes[i], 0), 1.3f, 2000, i + 1);
      for (int pitch : run.pitches()) {
        assertTrue(f.contains(pitch) && pitch >= 60 && pitch <= 79, tunes[i] + ": pitch " + pitch);
      }
      events += run.events();
      notes += run.pitches().length;
    }
    assertTrue(events >= 10_000, "events: " + events);
    assertTrue(notes > 1000, "only " + notes + " notes in " + events + " events");
    System.out.printf("generate, F major [60, 79] at 1.3: %d notes in %d events, all in key and"
        + " range%n", notes, events);
  }

  @Test
  void withKeyAutoAnswersToPrimersInUncommonKeysStayInThePlayersKey() throws Exception {
    String[] tunes = {"ashover24", "jigs111", "ashover18", "morris1", "ashover27"};
    int[] shifts = {-3, 1, 1, -2, -1};
    Key[] written = {Key.parse("A major"), Key.parse("A minor"), Key.parse("F major"),
        Key.parse("G minor"), Key.parse("G major")};
    double auto = 0;
    double off = 0;
    StringBuilder report = new StringBuilder();
    for (int i = 0; i < tunes.length; i++) {
      List<Note> primer = primer(tunes[i], shifts[i]);
      Key players = written[i].transpose(shifts[i]);
      double on = generate(folk().with("key", "auto"), primer, 1.6f, 3000, 30 + i)
          .share(players);
      double without = generate(folk(), primer, 1.6f, 3000, 30 + i).share(players);
      report.append(String.format(" %s in %s: %.1f%% vs %.1f%% off;", tunes[i], players,
          100 * on, 100 * without));
      auto += on / tunes.length;
      off += without / tunes.length;
    }
    System.out.printf("generate, key auto at 1.6: %.1f%% in the player's key, key off %.1f%%:%s%n",
        100 * auto, 100 * off, report);
    assertTrue(auto >= 0.95, report.toString());
    assertTrue(auto >= off + 0.1, report.toString());
  }

  @Test
  void theDensitySettingChangesNotesPerSecondMonotonicallyAndAtLeastTwofold() throws Exception {
    double[] densities = {0.25, 0.5, 1, 2, 4};
    double[] rate = new double[densities.length];
    String[] tunes = {"ashover13", "jigs10", "ashover18", "jigs268"};
    for (int d = 0; d < densities.length; d++) {
      long notes = 0;
      long millis = 0;
      for (int i = 0; i < tunes.length; i++) {
        Run run = generate(folk().with("density", densities[d]), primer(tunes[i], 0), 1.0f, 3000,
            10 + i);
        notes += run.pitches().length;
        millis += run.millis();
      }
      rate[d] = notes * 1000.0 / millis;
    }
    System.out.println("generate, density " + Arrays.toString(densities) + " -> notes/s "
        + Arrays.toString(Arrays.stream(rate).map(r -> Math.round(r * 100) / 100.0).toArray()));
    for (int d = 1; d < rate.length; d++) {
      assertTrue(rate[d] > rate[d - 1], Arrays.toString(rate));
    }
    assertTrue(rate[rate.length - 1] >= 2 * rate[0], Arrays.toString(rate));
  }

  @Test
  void generatesOptionsSteerTheFileItWrites() throws Exception {
    Path out = dir.resolve("f-major.mid");
    Path primer = FIXTURES.resolve("nottingham-ashover13.mid");
    Cli r = Cli.run("generate", "--model", FOLK.toString(), "--primer", primer.toString(), "--out",
        out.toString(), "--seconds", "20", "--temperature", "1.3", "--key", "F major",
        "--pitch-range", "60,79", "--velocity", "100");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("key F major"), r.err());
    long primerEnd = MidiFiles.read(primer).stream().mapToLong(Note::endMicros).max()
        .orElseThrow();
    // One tick at 480 ppq and 120 bpm is about 1 ms: times may move by that much.
    List<Note> continuation = MidiFiles.read(out).stream()
        .filter(n -> n.startMicros() >= primerEnd - 2_000).toList();
    assertTrue(continuation.size() > 10, "continuation notes: " + continuation.size());
    Key f = Key.parse("F major");
    for (Note n : continuation) {
      assertTrue(f.contains(n.pitch()) && n.pitch() >= 60 && n.pitch() <= 79, "note " + n);
      assertEquals(100, n.velocity(), "note " + n);
    }
  }

  @Test
  void aBadSteeringOptionIsOneLineNamingTheOption() {
    Cli r = Cli.run("generate", "--model", FOLK.toString(), "--primer",
        FIXTURES.resolve("nottingham-ashover13.mid").toString(), "--out",
        dir.resolve("x.mid").toString(), "--key", "F lydian");
    assertNotEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("--key is 'F lydian'; expected \"off\", \"auto\" or a key"),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
