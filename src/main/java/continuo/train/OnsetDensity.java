package continuo.train;

import continuo.encoding.JsbChorales;
import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How dense a corpus's music is on its own beat, for a model's {@code onsets_per_beat}: per piece,
 * the distinct onsets (note-ons within {@link #CHORD_NANOS} of the one that opened a chord count
 * once) per quarter-note beat of its tempo map, from the first onset to the last (the number of
 * gaps between onsets over the beats they span); the median over the pieces, one vote each. A MIDI
 * file's beats are its ticks over its ticks per quarter (a file in SMPTE time does not vote); a
 * chorale of a chorale {@code .json} is counted in quarters of four 16th-note steps. The live
 * engine compares the player's onset rate with it to choose which metrical level of the beat
 * tracker's tempo the model hears. Offline; any thread.
 */
public final class OnsetDensity {
  /** Note-ons within this of the first of a chord are the same onset. */
  static final long CHORD_NANOS = 30_000_000L;
  private static final long QUARTER_MICROS = 4 * JsbChorales.STEP_MICROS;

  private OnsetDensity() {}

  /** The median distinct onsets per beat over the pieces (0.01), or null if none has two onsets. */
  public static Double medianOnsetsPerBeat(List<Path> sources) throws IOException {
    List<Double> perPiece = new ArrayList<>();
    for (Path source : sources) {
      if (Files.isRegularFile(source) && source.toString().endsWith(".json")) {
        for (List<List<Note>> split : JsbChorales.read(source).values()) {
          for (List<Note> chorale : split) {
            add(perPiece, chorale(chorale));
          }
        }
        continue;
      }
      for (Path f : TempoMaps.midiFiles(source)) {
        if (Files.size(f) <= MidiFiles.MAX_BYTES) {
          add(perPiece, midi(Files.readAllBytes(f)));
        }
      }
    }
    if (perPiece.isEmpty()) {
      return null;
    }
    perPiece.sort(null);
    int n = perPiece.size();
    double median = n % 2 == 1 ? perPiece.get(n / 2)
        : (perPiece.get(n / 2 - 1) + perPiece.get(n / 2)) / 2;
    return Math.round(median * 100) / 100.0;
  }

  private static void add(List<Double> perPiece, double density) {
    if (density > 0) {
      perPiece.add(density);
    }
  }

  /** A Standard MIDI File's distinct onsets per beat of its tempo map, or 0 if it cannot tell. */
  static double midi(byte[] smf) {
    TempoMaps.Scan scan = TempoMaps.scan(smf);
    if (scan == null || scan.ticksPerQuarter() <= 0 || scan.noteOns().length < 2) {
      return 0;
    }
    long[] ticks = scan.noteOns();
    long[] nanos = new long[ticks.length];
    double[] beats = new double[ticks.length];
    for (int i = 0; i < ticks.length; i++) {
      nanos[i] = nanosAt(ticks[i], scan.ticksPerQuarter(), scan.tempos());
      beats[i] = (double) ticks[i] / scan.ticksPerQuarter();
    }
    return density(nanos, beats);
  }

  /** A chorale's distinct onsets per beat (quarters of four 16th-note steps). */
  static double chorale(List<Note> notes) {
    long[] nanos = notes.stream().mapToLong(n -> n.startMicros() * 1000).sorted().toArray();
    double[] beats = new double[nanos.length];
    for (int i = 0; i < nanos.length; i++) {
      beats[i] = nanos[i] / (QUARTER_MICROS * 1000.0);
    }
    return density(nanos, beats);
  }

  /**
   * Gaps between distinct onsets over the beats from the first to the last (0 if they span none),
   * for note-ons sorted by time with their beat positions.
   */
  private static double density(long[] nanos, double[] beats) {
    int onsets = 0;
    long chord = Long.MIN_VALUE;
    double first = 0;
    double last = 0;
    for (int i = 0; i < nanos.length; i++) {
      if (onsets == 0 || nanos[i] - chord > CHORD_NANOS) {
        if (onsets == 0) {
          first = beats[i];
        }
        onsets++;
        chord = nanos[i];
        last = beats[i];
      }
    }
    return onsets < 2 || !(last > first) ? 0 : (onsets - 1) / (last - first);
  }

  /** The time of {@code tick} through the tempo map (120 bpm before the first change). */
  private static long nanosAt(long tick, int ticksPerQuarter, TreeMap<Long, Integer> tempos) {
    double nanos = 0;
    long from = 0;
    int tempo = 500_000;
    for (Map.Entry<Long, Integer> change : tempos.headMap(tick, true).entrySet()) {
      nanos += (change.getKey() - from) * 1000.0 * tempo / ticksPerQuarter;
      from = change.getKey();
      tempo = change.getValue();
    }
    return Math.round(nanos + (tick - from) * 1000.0 * tempo / ticksPerQuarter);
  }
}
