package continuo.encoding;

import continuo.midifile.MidiFileReader;
import continuo.midifile.MidiFileWriter;
import continuo.midifile.TempoMap;
import continuo.midifile.TimedMessages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToLongFunction;

/**
 * Standard MIDI Files as lists of {@link Note}s, through {@link MidiFileReader} and
 * {@link MidiFileWriter}.
 *
 * <p>Reading: formats 0 and 1, every track and channel except drums (channel 10), tempo changes
 * from any track, running status, SysEx and meta events skipped, note-on with velocity 0 as
 * note-off, the sustain pedal (CC 64) extending released notes until it lifts, a re-struck
 * sounding pitch ending the previous note at the new onset, and notes left sounding closed at the
 * last event. Corrupt or unreasonable input (see the reader's limits) gets an {@link IOException}
 * naming the file and the problem.
 *
 * <p>Writing: format 1, 480 ticks per quarter note at 120 bpm, a tempo track and one track per
 * channel used; at equal ticks note-offs come first. The same notes always give the same bytes.
 */
public final class MidiFiles {
  /** Larger files are refused rather than read into memory. */
  public static final int MAX_BYTES = MidiFileReader.MAX_BYTES;
  /** Ticks per quarter note of written files. */
  public static final int PPQ = 480;
  /** Microseconds per quarter note of written files (120 bpm). */
  public static final int TEMPO = 500_000;

  private static final int DRUMS = 9;
  private static final int SUSTAIN = 64;

  private MidiFiles() {}

  /** Reads the notes of a Standard MIDI File, sorted by onset, then pitch. */
  public static List<Note> read(Path file) throws IOException {
    return notes(MidiFileReader.read(file));
  }

  /** Parses SMF bytes; {@code name} is used in error messages. */
  public static List<Note> parse(byte[] bytes, String name) throws IOException {
    return notes(MidiFileReader.parse(bytes, name));
  }

  /**
   * Reads the notes of a Standard MIDI File as if it were played at {@code bpm} throughout: each
   * event's beat position in the file's own tempo map (ticks over ticks per quarter note) placed at
   * that many beats of {@code bpm}, so every section of the piece, whatever its written tempo,
   * moves at {@code bpm}. A file in SMPTE time has no beats and is read as 120 bpm, the tempo its
   * ticks are timed at (see {@link TempoMap#tempoAt}).
   */
  public static List<Note> readAtTempo(Path file, double bpm) throws IOException {
    return notesAtTempo(MidiFileReader.read(file), bpm, file.toString());
  }

  /** {@link #readAtTempo} from SMF bytes; {@code name} is used in error messages. */
  public static List<Note> parseAtTempo(byte[] bytes, String name, double bpm) throws IOException {
    return notesAtTempo(MidiFileReader.parse(bytes, name), bpm, name);
  }

  private static List<Note> notesAtTempo(TimedMessages events, double bpm, String name)
      throws IOException {
    if (!(bpm > 0 && bpm < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("tempo must be above 0 bpm, got " + bpm);
    }
    TempoMap map = events.tempoMap();
    double microsPerBeat = 60e6 / bpm;
    IntToLongFunction time;
    if (map.isSmpte()) {
      double scale = microsPerBeat / TempoMap.DEFAULT_TEMPO;
      time = i -> Math.round(events.micros(i) * scale);
    } else {
      double microsPerTick = microsPerBeat / map.division();
      time = i -> Math.round(events.tick(i) * microsPerTick);
    }
    int n = events.size();
    if (n > 0 && time.applyAsLong(n - 1) > MidiFileReader.MAX_DURATION_MICROS) {
      throw new IOException(name + String.format(Locale.ROOT, ": at %.1f bpm its events span"
          + " %.1f hours, longer than the %d-hour limit for a MIDI file", bpm,
          time.applyAsLong(n - 1) / 3.6e9, MidiFileReader.MAX_DURATION_MICROS / 3_600_000_000L));
    }
    return notes(events, time);
  }

  /** Writes {@code notes} as a format-1 file, atomically. */
  public static void write(List<Note> notes, Path out) throws IOException {
    MidiFileWriter.writeAtomically(toBytes(notes), out);
  }

  /** The bytes {@link #write} writes. */
  public static byte[] toBytes(List<Note> notes) {
    TempoMap tempo = TempoMap.constant(PPQ, TEMPO);
    MidiFileWriter file = new MidiFileWriter(PPQ);
    file.track().tempoMap(tempo);
    boolean[] used = new boolean[16];
    for (Note n : notes) {
      used[n.channel()] = true;
    }
    for (int ch = 0; ch < 16; ch++) {
      if (used[ch]) {
        track(file.track(), notes, ch, tempo);
      }
    }
    return file.toBytes();
  }

  private static void track(MidiFileWriter.Track track, List<Note> notes, int channel,
      TempoMap tempo) {
    List<long[]> events = new ArrayList<>();
    for (Note n : notes) {
      if (n.channel() == channel) {
        long on = tempo.tick(n.startMicros());
        long off = Math.max(on + 1, tempo.tick(n.endMicros()));
        events.add(new long[] {on, 1, n.pitch(), n.velocity()});
        events.add(new long[] {off, 0, n.pitch(), 0});
      }
    }
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
        .thenComparingLong(e -> e[2]));
    for (long[] e : events) {
      int status = (e[1] == 1 ? 0x90 : 0x80) | channel;
      track.add(e[0], status | (int) e[2] << 8 | (e[1] == 1 ? (int) e[3] : 64) << 16);
    }
  }

  /** Notes from the channel messages: pedal, re-struck pitches, drums and open notes handled. */
  static List<Note> notes(TimedMessages events) {
    return notes(events, events::micros);
  }

  /** {@link #notes(TimedMessages)} with event {@code i} at {@code time.applyAsLong(i)} microseconds. */
  private static List<Note> notes(TimedMessages events, IntToLongFunction time) {
    long[][] start = new long[16][128];
    int[][] velocity = new int[16][128];
    boolean[][] held = new boolean[16][128];
    boolean[] pedal = new boolean[16];
    for (long[] s : start) {
      Arrays.fill(s, -1);
    }
    List<Note> notes = new ArrayList<>();
    long last = 0;
    for (int i = 0; i < events.size(); i++) {
      int status = events.status(i);
      int kind = status & 0xF0;
      if (kind != 0x80 && kind != 0x90 && kind != 0xB0) {
        continue;
      }
      long now = time.applyAsLong(i);
      last = Math.max(last, now);
      int ch = status & 0x0F;
      int d1 = events.data1(i);
      int d2 = events.data2(i);
      if (ch == DRUMS) {
        continue;
      }
      if (kind == 0x90 && d2 > 0) {
        if (start[ch][d1] >= 0) {
          notes.add(new Note(d1, velocity[ch][d1], start[ch][d1], now, ch));
        }
        start[ch][d1] = now;
        velocity[ch][d1] = d2;
        held[ch][d1] = false;
      } else if (kind == 0x80 || kind == 0x90) {
        if (start[ch][d1] >= 0) {
          if (pedal[ch]) {
            held[ch][d1] = true;
          } else {
            notes.add(new Note(d1, velocity[ch][d1], start[ch][d1], now, ch));
            start[ch][d1] = -1;
          }
        }
      } else if (d1 == SUSTAIN) {
        boolean down = d2 >= 64;
        if (pedal[ch] && !down) {
          for (int p = 0; p < 128; p++) {
            if (held[ch][p]) {
              notes.add(new Note(p, velocity[ch][p], start[ch][p], now, ch));
              start[ch][p] = -1;
              held[ch][p] = false;
            }
          }
        }
        pedal[ch] = down;
      }
    }
    for (int ch = 0; ch < 16; ch++) {
      for (int p = 0; p < 128; p++) {
        if (start[ch][p] >= 0) {
          notes.add(new Note(p, velocity[ch][p], start[ch][p], last, ch));
        }
      }
    }
    notes.sort(Comparator.comparingLong(Note::startMicros).thenComparingInt(Note::pitch)
        .thenComparingInt(Note::channel));
    return notes;
  }
}
