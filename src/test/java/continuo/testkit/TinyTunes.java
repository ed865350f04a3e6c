package continuo.testkit;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Writes small, seeded, tune-like Standard MIDI Files for training tests: a folder from nothing. */
public final class TinyTunes {
  private static final int[] SCALE = {0, 2, 4, 5, 7, 9, 11};

  private TinyTunes() {}

  /** Writes {@code count} tunes of {@code notes} notes each as {@code tune-NN.mid} into a new dir. */
  public static Path write(Path dir, int count, int notes) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < count; i++) {
      MidiFiles.write(tune(i, notes), dir.resolve(String.format("tune-%02d.mid", i)));
    }
    return dir;
  }

  /** A stepwise melody in a major key over a repeated bass note, 8th notes at 120 bpm. */
  public static List<Note> tune(long seed, int notes) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int key = 55 + rnd.nextInt(10);
    int degree = 7;
    List<Note> out = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < notes; i++) {
      degree = Math.max(0, Math.min(14, degree + rnd.nextInt(5) - 2));
      int pitch = key + 12 * (degree / 7) + SCALE[degree % 7];
      out.add(new Note(pitch, 70 + rnd.nextInt(30), t, t + 220_000, 0));
      if (i % 4 == 0) {
        out.add(new Note(key - 12, 60, t, t + 900_000, 0));
      }
      t += 250_000;
    }
    out.sort((a, b) -> a.startMicros() != b.startMicros()
        ? Long.compare(a.startMicros(), b.startMicros()) : Integer.compare(a.pitch(), b.pitch()));
    return out;
  }
}
