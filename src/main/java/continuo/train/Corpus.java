package continuo.train;

import continuo.encoding.EventEncoder;
import continuo.encoding.JsbChorales;
import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A set of pieces encoded as event tokens, read from Standard MIDI Files (directories are searched
 * recursively) and from JSB chorale JSON files, through the same encoder the engine uses. A file
 * that cannot be read is reported in one line and skipped. The train/validation split is
 * deterministic: by a hash of each file's name, or by the JSON's own split for the chorales.
 */
public final class Corpus {
  private static final int MIN_TOKENS = 2;

  private final List<Piece> pieces;

  private Corpus(List<Piece> pieces) {
    this.pieces = List.copyOf(pieces);
  }

  /** A corpus of already encoded pieces (read from token shards). */
  static Corpus of(List<Piece> pieces) {
    return new Corpus(pieces);
  }

  /** Reads every source; unreadable files are reported on {@code warnings} and skipped. */
  public static Corpus load(List<Path> sources, PrintStream warnings) throws IOException {
    return load(sources, warnings, Double.NaN);
  }

  /**
   * Reads every source with each piece's notes placed at {@code bpm} through its own tempo map
   * ({@link MidiFiles#readAtTempo}; a chorale, read at {@link TempoMaps#CHORALE_BPM}, is scaled to
   * it), or as written if {@code bpm} is NaN. Unreadable files are reported on {@code warnings} and
   * skipped.
   */
  public static Corpus load(List<Path> sources, PrintStream warnings, double bpm)
      throws IOException {
    if (!Double.isNaN(bpm) && !(bpm > 0 && bpm < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("tempo must be above 0 bpm, got " + bpm);
    }
    List<Piece> pieces = new ArrayList<>();
    for (Path source : sources) {
      if (Files.isDirectory(source)) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
          files = walk.filter(Files::isRegularFile).filter(Corpus::isMidi)
              .sorted(Comparator.comparing(Path::toString)).toList();
        }
        for (Path file : files) {
          readMidi(file, pieces, warnings, bpm);
        }
      } else if (Files.isRegularFile(source) && isMidi(source)) {
        readMidi(source, pieces, warnings, bpm);
      } else if (Files.isRegularFile(source) && source.toString().endsWith(".json")) {
        readChorales(source, pieces, warnings, bpm);
      } else {
        throw new IOException(source + ": not a directory, .mid/.midi file or chorale .json file");
      }
    }
    return new Corpus(pieces);
  }

  private static boolean isMidi(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".mid") || name.endsWith(".midi");
  }

  private static void readMidi(Path file, List<Piece> pieces, PrintStream warnings, double bpm) {
    try {
      add(pieces, file.toString(),
          Double.isNaN(bpm) ? MidiFiles.read(file) : MidiFiles.readAtTempo(file, bpm), warnings);
    } catch (IOException | RuntimeException e) {
      warnings.println("skipped " + file + ": " + e.getMessage());
    }
  }

  private static void readChorales(Path file, List<Piece> pieces, PrintStream warnings,
      double bpm) {
    double stretch = Double.isNaN(bpm) ? 1 : TempoMaps.CHORALE_BPM / bpm;
    try {
      for (Map.Entry<String, List<List<Note>>> split : JsbChorales.read(file).entrySet()) {
        List<List<Note>> list = split.getValue();
        for (int i = 0; i < list.size(); i++) {
          add(pieces, file + "#" + split.getKey() + "/" + i, stretched(list.get(i), stretch),
              warnings);
        }
      }
    } catch (IOException | RuntimeException e) {
      warnings.println("skipped " + file + ": " + e.getMessage());
    }
  }

  private static List<Note> stretched(List<Note> notes, double factor) {
    if (factor == 1) {
      return notes;
    }
    List<Note> out = new ArrayList<>(notes.size());
    for (Note n : notes) {
      out.add(new Note(n.pitch(), n.velocity(), Math.round(n.startMicros() * factor),
          Math.round(n.endMicros() * factor), n.channel()));
    }
    return out;
  }

  private static void add(List<Piece> pieces, String name, List<Note> notes, PrintStream warnings) {
    int[] tokens = EventEncoder.encode(notes);
    if (tokens.length < MIN_TOKENS) {
      warnings.println("skipped " + name + ": no notes");
      return;
    }
    pieces.add(new Piece(name, tokens));
  }

  public List<Piece> pieces() {
    return pieces;
  }

  /** Total number of event tokens. */
  public long events() {
    long n = 0;
    for (Piece p : pieces) {
      n += p.tokens().length;
    }
    return n;
  }

  /**
   * The validation part ({@code validation = true}) or the training part of this corpus: about
   * {@code validFraction} of the files, chosen by a hash of the file name so that the split does
   * not depend on the machine, the order of files or the other files present. Chorales keep the
   * data set's own split ("valid" and "test" are validation).
   */
  public Corpus split(boolean validation, double validFraction) {
    List<Piece> part = new ArrayList<>();
    for (Piece p : pieces) {
      if (isValidation(p.name(), validFraction) == validation) {
        part.add(p);
      }
    }
    return new Corpus(part);
  }

  /** Whether the piece called {@code name} belongs to the validation split. */
  public static boolean isValidation(String name, double validFraction) {
    int hash = name.indexOf('#');
    if (hash >= 0) {
      String split = name.substring(hash + 1);
      return !split.startsWith("train/");
    }
    String fileName = Path.of(name).getFileName().toString();
    CRC32 crc = new CRC32();
    crc.update(fileName.getBytes(StandardCharsets.UTF_8));
    return (crc.getValue() % 10_000) < validFraction * 10_000;
  }
}
