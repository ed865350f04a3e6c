package continuo.train;

import continuo.encoding.JsbChorales;
import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The tempo of a corpus from its files' tempo maps, for a model's {@code reference_bpm}: each
 * MIDI file's main tempo (the one in force for most of its ticks) and the median over the pieces,
 * one vote per piece (not per beat, so a long piece weighs as much as a short one). A MIDI file
 * without a set-tempo event votes 120 bpm, the Standard MIDI File default it is read at (the whole
 * Nottingham collection is such); files that are not Standard MIDI Files do not vote; each chorale
 * of a chorale {@code .json} votes 120 bpm, the tempo its 16th-note steps are read at. Offline;
 * any thread.
 */
public final class TempoMaps {
  /** The tempo a chorale {@code .json} is read at: 16ths of 125 ms. */
  static final double CHORALE_BPM = 60_000_000.0 / (4 * JsbChorales.STEP_MICROS);
  /** The tempo of a Standard MIDI File that sets none. */
  static final double DEFAULT_BPM = 120.0;

  private TempoMaps() {}

  /** The median main tempo in beats per minute (0.1 bpm), or null if no piece states a tempo. */
  public static Double medianBpm(List<Path> sources) throws IOException {
    List<Double> tempos = new ArrayList<>();
    for (Path source : sources) {
      if (Files.isRegularFile(source) && source.toString().endsWith(".json")) {
        for (List<List<Note>> split : JsbChorales.read(source).values()) {
          for (int i = 0; i < split.size(); i++) {
            tempos.add(CHORALE_BPM);
          }
        }
        continue;
      }
      for (Path f : midiFiles(source)) {
        if (Files.size(f) <= MidiFiles.MAX_BYTES) {
          Double bpm = mainBpm(Files.readAllBytes(f));
          if (bpm != null) {
            tempos.add(bpm);
          }
        }
      }
    }
    if (tempos.isEmpty()) {
      return null;
    }
    tempos.sort(null);
    int n = tempos.size();
    double median = n % 2 == 1 ? tempos.get(n / 2) : (tempos.get(n / 2 - 1) + tempos.get(n / 2)) / 2;
    return Math.round(median * 10) / 10.0;
  }

  /** The MIDI files of a source: the file itself, or those under a folder, sorted by path. */
  static List<Path> midiFiles(Path source) throws IOException {
    if (!Files.isDirectory(source)) {
      return isMidi(source) ? List.of(source) : List.of();
    }
    try (Stream<Path> walk = Files.walk(source)) {
      return walk.filter(Files::isRegularFile).filter(TempoMaps::isMidi)
          .sorted(Comparator.comparing(Path::toString)).toList();
    }
  }

  private static boolean isMidi(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".mid") || name.endsWith(".midi");
  }

  /**
   * The tempo in force for most ticks of a Standard MIDI File (120 bpm, the default, if it sets
   * none), or null if the bytes are not one.
   */
  static Double mainBpm(byte[] smf) {
    Scan scan = scan(smf);
    if (scan == null) {
      return null;
    }
    TreeMap<Long, Integer> changes = scan.tempos();
    long end = scan.end();
    if (changes.isEmpty()) {
      return DEFAULT_BPM;
    }
    TreeMap<Integer, Long> ticksPerTempo = new TreeMap<>();
    List<Long> ticks = new ArrayList<>(changes.keySet());
    for (int i = 0; i < ticks.size(); i++) {
      long from = ticks.get(i);
      long to = i + 1 < ticks.size() ? ticks.get(i + 1) : Math.max(end, from + 1);
      ticksPerTempo.merge(changes.get(from), Math.max(1, to - from), Long::sum);
    }
    int best = ticksPerTempo.firstKey();
    for (var e : ticksPerTempo.entrySet()) {
      if (e.getValue() > ticksPerTempo.get(best)) {
        best = e.getKey();
      }
    }
    return best > 0 ? 60_000_000.0 / best : null;
  }

  /**
   * What a Standard MIDI File says about time: its ticks per quarter note (0 for SMPTE time), its
   * tempo changes (tick to microseconds per quarter), its last tick, and the ticks of its note-ons
   * (velocity above 0, every track and channel, sorted).
   */
  record Scan(int ticksPerQuarter, TreeMap<Long, Integer> tempos, long end, long[] noteOns) {}

  /** Scans a Standard MIDI File, or returns null if the bytes are not one. */
  static Scan scan(byte[] smf) {
    TreeMap<Long, Integer> changes = new TreeMap<>();
    List<Long> noteOns = new ArrayList<>();
    long end = 0;
    if (smf.length < 14 || smf[0] != 'M' || smf[1] != 'T' || smf[2] != 'h' || smf[3] != 'd') {
      return null;
    }
    int division = (smf[12] & 0xff) << 8 | (smf[13] & 0xff);
    try {
      int at = 8 + be32(smf, 4);
      while (at + 8 <= smf.length) {
        int length = be32(smf, at + 4);
        boolean track = smf[at] == 'M' && smf[at + 1] == 'T' && smf[at + 2] == 'r' && smf[at + 3] == 'k';
        int stop = (int) Math.min(smf.length, (long) at + 8 + Math.max(0, length));
        if (track) {
          end = Math.max(end, scanTrack(smf, at + 8, stop, changes, noteOns));
        }
        at = stop;
      }
    } catch (RuntimeException malformed) {
      // What was read before the damage still counts.
    }
    long[] ons = noteOns.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Scan((division & 0x8000) != 0 ? 0 : division, changes, end, ons);
  }

  private static long scanTrack(byte[] b, int at, int stop, TreeMap<Long, Integer> changes,
      List<Long> noteOns) {
    long tick = 0;
    int status = 0;
    while (at < stop) {
      long[] delta = varLen(b, at);
      tick += delta[0];
      at = (int) delta[1];
      int first = b[at] & 0xff;
      if (first == 0xff) {
        int type = b[at + 1] & 0xff;
        long[] len = varLen(b, at + 2);
        int data = (int) len[1];
        if (type == 0x51 && len[0] == 3) {
          changes.put(tick, (b[data] & 0xff) << 16 | (b[data + 1] & 0xff) << 8 | (b[data + 2] & 0xff));
        }
        at = data + (int) len[0];
      } else if (first == 0xf0 || first == 0xf7) {
        long[] len = varLen(b, at + 1);
        at = (int) len[1] + (int) len[0];
      } else {
        if (first >= 0x80) {
          status = first;
          at++;
        }
        int kind = status & 0xf0;
        if (kind == 0x90 && at + 1 < stop && (b[at + 1] & 0x7f) > 0) {
          noteOns.add(tick);
        }
        at += kind == 0xc0 || kind == 0xd0 ? 1 : 2;
      }
    }
    return tick;
  }

  private static long[] varLen(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      int x = b[at++] & 0xff;
      v = v << 7 | (x & 0x7f);
      if (x < 0x80) {
        return new long[] {v, at};
      }
    }
    throw new IllegalArgumentException("variable-length quantity over 4 bytes");
  }

  private static int be32(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }
}
