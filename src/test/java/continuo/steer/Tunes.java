package continuo.steer;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.Track;

/**
 * Real tunes for the steering tests: their notes (through the project's MIDI reader), their
 * written key (the file's first key-signature meta event, where there is one), transposition and
 * splicing, and playing them into a {@link KeyEstimator} in time order.
 */
final class Tunes {
  private Tunes() {}

  /** A tune's notes, sorted by start, and its written key (null when the file has none). */
  record Tune(String name, List<Note> notes, Key writtenKey) {
    long endMicros() {
      long end = 0;
      for (Note n : notes) {
        end = Math.max(end, n.endMicros());
      }
      return end;
    }

    Tune transpose(int semitones) {
      List<Note> moved = new ArrayList<>();
      for (Note n : notes) {
        moved.add(new Note(n.pitch() + semitones, n.velocity(), n.startMicros(), n.endMicros(),
            n.channel()));
      }
      return new Tune(name + (semitones >= 0 ? "+" : "") + semitones, moved,
          writtenKey == null ? null : writtenKey.transpose(semitones));
    }

    /** The notes that start before {@code micros}, cut off there. */
    Tune firstMicros(long micros) {
      List<Note> kept = new ArrayList<>();
      for (Note n : notes) {
        if (n.startMicros() < micros) {
          kept.add(new Note(n.pitch(), n.velocity(), n.startMicros(),
              Math.min(n.endMicros(), micros), n.channel()));
        }
      }
      return new Tune(name, kept, writtenKey);
    }
  }

  /** A fixture under {@code src/test/resources/continuo/steer/}. */
  static Tune fixture(String file) {
    try (InputStream in = Tunes.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + file);
      }
      return parse(in.readAllBytes(), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Tune parse(byte[] bytes, String name) throws IOException {
    List<Note> notes = new ArrayList<>(MidiFiles.parse(bytes, name));
    notes.sort(Comparator.comparingLong(Note::startMicros));
    return new Tune(name, notes, writtenKey(bytes));
  }

  /** {@code second} played after {@code first}, starting {@code gapMicros} after its end. */
  static Tune splice(Tune first, Tune second, long gapMicros) {
    long offset = first.endMicros() + gapMicros;
    List<Note> notes = new ArrayList<>(first.notes());
    for (Note n : second.notes()) {
      notes.add(new Note(n.pitch(), n.velocity(), n.startMicros() + offset,
          n.endMicros() + offset, n.channel()));
    }
    return new Tune(first.name() + "|" + second.name(), notes, second.writtenKey());
  }

  /** The key of the first key-signature meta event (sharps/flats and major/minor), or null. */
  static Key writtenKey(byte[] bytes) {
    try {
      Sequence sequence = MidiSystem.getSequence(new ByteArrayInputStream(bytes));
      for (Track track : sequence.getTracks()) {
        for (int i = 0; i < track.size(); i++) {
          MidiEvent event = track.get(i);
          if (event.getMessage() instanceof MetaMessage meta && meta.getType() == 0x59
              && meta.getData().length == 2) {
            int sharps = meta.getData()[0];
            int majorTonic = Math.floorMod(sharps * 7, 12);
            return meta.getData()[1] == 0 ? Key.of(majorTonic, Scale.MAJOR)
                : Key.of((majorTonic + 9) % 12, Scale.NATURAL_MINOR);
          }
        }
      }
      return null;
    } catch (InvalidMidiDataException | IOException e) {
      throw new IllegalStateException("unreadable key signature: " + e.getMessage(), e);
    }
  }

  /**
   * Plays {@code tune} into {@code estimator} in time order, updating it on every note event and
   * every {@code stepMicros}, and calls {@code probe} after each update at a step boundary.
   */
  static void play(Tune tune, KeyEstimator estimator, long stepMicros, Probe probe) {
    int n = tune.notes().size();
    long[] offTimes = new long[n];
    int[] offPitches = new int[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingLong(i -> tune.notes().get(i).endMicros()));
    for (int i = 0; i < n; i++) {
      offTimes[i] = tune.notes().get(order[i]).endMicros();
      offPitches[i] = tune.notes().get(order[i]).pitch();
    }
    int on = 0;
    int off = 0;
    long end = tune.endMicros();
    for (long t = stepMicros; t <= end + stepMicros; t += stepMicros) {
      while (true) {
        long nextOn = on < n ? tune.notes().get(on).startMicros() : Long.MAX_VALUE;
        long nextOff = off < n ? offTimes[off] : Long.MAX_VALUE;
        long next = Math.min(nextOn, nextOff);
        if (next > t) {
          break;
        }
        if (nextOff <= nextOn) {
          estimator.noteOff(offPitches[off++], nextOff * 1000);
        } else {
          estimator.noteOn(tune.notes().get(on++).pitch(), nextOn * 1000);
        }
        estimator.update(next * 1000);
      }
      estimator.update(t * 1000);
      probe.at(t, estimator.current());
    }
  }

  /** Called with the time (micros) and the key reported then (null while unknown). */
  interface Probe {
    void at(long micros, Key key);
  }
}
