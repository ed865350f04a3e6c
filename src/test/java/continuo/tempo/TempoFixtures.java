package continuo.tempo;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The real tunes under {@code src/test/resources/continuo/tempo/} as note-on times with their
 * written beat, and performances of them at another tempo, ramped or stepped.
 *
 * <p>Every fixture has a constant tempo map, so a note's written beat is its time over the beat
 * period; a performance maps each written beat to a new time through a tempo curve.
 */
final class TempoFixtures {
  /** A tune: note-ons (written beats, pitches, velocities) and its written tempo. */
  record Tune(String name, double writtenBpm, int beatsPerBar, double[] beats, int[] pitches,
      int[] velocities) {}

  /** A performance: note-on times and the true tempo at each. */
  record Performance(long[] nanos, int[] pitches, int[] velocities, double[] trueBpm,
      double[] beats) {
    /** The time of written beat {@code b} in this performance (by interpolation from onsets). */
    int size() {
      return nanos.length;
    }
  }

  static final String[] NOTTINGHAM = {"reelsa-c4", "reelsd-g17", "reelsh-l18", "reelsm-q15",
      "reelsr-t54", "reelsu-z14", "hpps37", "waltzes2"};
  static final String[] POP909 = {"001", "003", "007", "030"};

  private TempoFixtures() {}

  static List<Tune> all() {
    List<Tune> tunes = new ArrayList<>();
    for (String n : NOTTINGHAM) {
      tunes.add(load("nottingham-" + n, 120, n.startsWith("waltz") ? 3 : 4));
    }
    tunes.add(load("pop909-001", 90, 4));
    tunes.add(load("pop909-003", 82, 4));
    tunes.add(load("pop909-007", 136, 4));
    tunes.add(load("pop909-030", 60, 4));
    return tunes;
  }

  /** Reads a fixture through the project's MIDI reader; onsets before bar 40 only. */
  static Tune load(String name, double writtenBpm, int beatsPerBar) {
    List<Note> notes;
    try (InputStream in = TempoFixtures.class.getResourceAsStream(name + ".mid")) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name + ".mid");
      }
      notes = MidiFiles.parse(in.readAllBytes(), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double beatMicros = 60e6 / writtenBpm;
    // Beats count from the whole beat at or before the first note, so a pickup stays off the beat.
    long first = (long) (Math.floor(notes.get(0).startMicros() / beatMicros) * beatMicros);
    int n = 0;
    double[] beats = new double[notes.size()];
    int[] pitches = new int[notes.size()];
    int[] velocities = new int[notes.size()];
    for (Note note : notes) {
      double b = (note.startMicros() - first) / beatMicros;
      if (b >= 40 * beatsPerBar) {
        break;
      }
      beats[n] = b;
      pitches[n] = note.pitch();
      velocities[n] = note.velocity();
      n++;
    }
    return new Tune(name, writtenBpm, beatsPerBar, java.util.Arrays.copyOf(beats, n),
        java.util.Arrays.copyOf(pitches, n), java.util.Arrays.copyOf(velocities, n));
  }

  /** A tempo curve: the tempo (bpm) from written beat b on, and the time of written beat b. */
  interface Curve {
    double bpm(double beat);

    double seconds(double beat);
  }

  static Curve steady(double bpm) {
    return new Curve() {
      public double bpm(double b) {
        return bpm;
      }

      public double seconds(double b) {
        return b * 60 / bpm;
      }
    };
  }

  /** {@code from} bpm until beat {@code at}, then a linear change of tempo to {@code to} over
   * {@code over} beats, then {@code to}. {@code over = 0} is a step. */
  static Curve ramp(double from, double at, double over, double to) {
    return new Curve() {
      public double bpm(double b) {
        if (b < at) {
          return from;
        }
        if (b >= at + over) {
          return to;
        }
        return from + (to - from) * (b - at) / over;
      }

      public double seconds(double b) {
        if (b < at) {
          return b * 60 / from;
        }
        double s = at * 60 / from;
        double slope = over > 0 ? (to - from) / over : 0;
        double inRamp = Math.min(b, at + over) - at;
        if (over > 0) {
          s += 60 / slope * Math.log((from + slope * inRamp) / from);
        }
        if (b > at + over) {
          s += (b - at - over) * 60 / to;
        }
        return s;
      }
    };
  }

  /** The tune played along {@code curve}, its first note at {@code startNanos}. */
  static Performance perform(Tune tune, Curve curve, long startNanos) {
    int n = tune.beats().length;
    long[] nanos = new long[n];
    double[] bpm = new double[n];
    for (int i = 0; i < n; i++) {
      nanos[i] = startNanos + Math.round(curve.seconds(tune.beats()[i]) * 1e9);
      bpm[i] = curve.bpm(tune.beats()[i]);
    }
    return new Performance(nanos, tune.pitches(), tune.velocities(), bpm, tune.beats());
  }

  /** log2 of the ratio to the true tempo rounded to a whole octave: the metrical level. */
  static int level(double estimate, double truth) {
    return (int) Math.round(Math.log(estimate / truth) / Math.log(2));
  }

  /** Relative error of {@code estimate} against {@code truth} at the estimate's own level. */
  static double octaveError(double estimate, double truth) {
    return Math.abs(estimate / (truth * Math.pow(2, level(estimate, truth))) - 1);
  }
}
