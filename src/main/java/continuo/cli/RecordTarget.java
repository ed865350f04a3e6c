package continuo.cli;

import continuo.engine.SessionRecorder;
import continuo.midifile.GrowingMidiFile;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code run --record FILE.mid}, checked and claimed before the jam starts and before any device
 * opens: its directory is created (as {@code generate} creates its output's), an existing jam is
 * never replaced unless {@code --force} (the next free {@code FILE-2.mid}, {@code FILE-3.mid}...
 * is used instead), and the directory is proved writable by writing the empty jam into the file,
 * which holds a readable MIDI file from then on. A path that cannot be written is one clear line.
 * Control thread.
 */
final class RecordTarget {
  /** The highest number tried after FILE.mid: FILE-2.mid .. FILE-9999.mid. */
  static final int MAX_NUMBER = 9_999;

  private RecordTarget() {}

  /**
   * The file the jam is recorded into.
   *
   * @param requested the path given to --record, absolute
   * @param fresh created here (holding an empty jam) rather than an existing file to replace
   */
  record Claim(Path file, Path requested, boolean fresh) {
    boolean numbered() {
      return !file.equals(requested);
    }

    /** When the jam never started: removes the empty jam written here; a replaced file stays. */
    void release() {
      if (fresh) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // Nothing was recorded in it; an empty jam left behind harms nobody.
        }
      }
    }
  }

  static Claim claim(Path requested, boolean force) {
    Path file = requested.toAbsolutePath().normalize();
    String name = "--record " + requested;
    if (file.getFileName() == null) {
      throw new UserError(name + ": expected a file name such as jam.mid");
    }
    Path dir = file.getParent();
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new UserError(name + ": " + e.getFile() + " is not a directory");
    } catch (IOException e) {
      throw new UserError(name + ": cannot create the directory " + dir + " (" + reason(e) + ")");
    }
    if (Files.isDirectory(file)) {
      throw new UserError(name + ": is a directory; expected a file such as "
          + file.resolve("jam.mid"));
    }
    if (force && Files.exists(file)) {
      probe(name, dir, GrowingMidiFile.temporaryFor(file));
      return new Claim(file, file, false);
    }
    for (int n = 1; n <= MAX_NUMBER; n++) {
      Path candidate = n == 1 ? file : numbered(file, n);
      try {
        SessionRecorder.writeEmpty(candidate);
        return new Claim(candidate, file, true);
      } catch (FileAlreadyExistsException e) {
        // an earlier jam: never replaced without --force; try the next number
      } catch (IOException e) {
        new Claim(candidate, file, true).release(); // created, but the write failed
        throw new UserError(name + ": cannot write in " + dir + " (" + reason(e) + ")");
      }
    }
    throw new UserError(name + ": it and " + numbered(file, 2).getFileName() + " to "
        + numbered(file, MAX_NUMBER).getFileName() + " all exist; --force replaces "
        + file.getFileName());
  }

  /** {@code jam.mid} numbered {@code n}: {@code jam-n.mid} (a name without extension: {@code jam-n}). */
  static Path numbered(Path file, int n) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String extension = dot > 0 ? name.substring(dot) : "";
    return file.resolveSibling(stem + "-" + n + extension);
  }

  /** Proves that a file can be written beside the one --force replaces, leaving it as it is. */
  private static void probe(String name, Path dir, Path temp) {
    try {
      Files.deleteIfExists(temp);
      Files.createFile(temp);
      Files.delete(temp);
    } catch (IOException e) {
      throw new UserError(name + ": cannot write in " + dir + " (" + reason(e) + ")");
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
