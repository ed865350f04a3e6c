package continuo.model;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A {@code .cmodel} zip opened for reading with its limits: plain entry names only (no paths), at
 * most {@link #MAX_ENTRIES} entries, each once, and every entry read through a stream that counts
 * the bytes actually inflated, per entry and in total (the zip's own size fields are never
 * trusted). Entries are read in memory, never extracted. Set-up only; one thread at a time.
 */
final class ModelArchive implements AutoCloseable {
  static final int MAX_ENTRIES = 64;
  static final long MAX_TOTAL_BYTES = ModelFile.MAX_PARAMETERS * 4 + 64L * 1024 * 1024;

  private final Path file;
  private final ZipFile zip;
  private final Map<String, ZipEntry> entries;
  private long inflated;

  private ModelArchive(Path file, ZipFile zip, Map<String, ZipEntry> entries) {
    this.file = file;
    this.zip = zip;
    this.entries = entries;
  }

  /** Opens {@code file} and checks its list of entries; says in one line what is wrong. */
  static ModelArchive open(Path file) throws ModelFormatException {
    ZipFile zip = openZip(file);
    try {
      return new ModelArchive(file, zip, listEntries(file, zip));
    } catch (ModelFormatException | RuntimeException e) {
      try {
        zip.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Entry names to entries, in the zip's order. */
  Map<String, ZipEntry> entries() {
    return entries;
  }

  /**
   * The entry's inflated bytes, failing with a {@link LimitException} as soon as they pass
   * {@code limit} or all entries read so far pass {@link #MAX_TOTAL_BYTES}.
   */
  InputStream read(ZipEntry entry, long limit) throws IOException {
    return new Counted(zip.getInputStream(entry), entry.getName(), limit);
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }

  private static ZipFile openZip(Path file) throws ModelFormatException {
    if (Files.isDirectory(file)) {
      throw ModelFile.bad(file, "is a directory; expected a .cmodel file");
    }
    if (!Files.isRegularFile(file)) {
      throw ModelFile.bad(file, Files.exists(file) ? "is not a regular file" : "does not exist");
    }
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw ModelFile.bad(file, "is not a .cmodel file (not a zip archive)");
    } catch (NoSuchFileException e) {
      throw ModelFile.bad(file, "does not exist");
    } catch (IOException e) {
      throw ModelFile.bad(file, "could not be opened: " + e.getMessage());
    }
  }

  /** Entry names, checked: at most MAX_ENTRIES, plain names only, no duplicates. */
  private static Map<String, ZipEntry> listEntries(Path file, ZipFile zip) throws ModelFormatException {
    Map<String, ZipEntry> byName = new LinkedHashMap<>();
    var all = zip.entries();
    int count = 0;
    while (all.hasMoreElements()) {
      ZipEntry e;
      try {
        e = all.nextElement();
      } catch (IllegalArgumentException malformed) { // the name's bytes are not valid UTF-8
        throw ModelFile.bad(file, "has an entry whose name is not valid UTF-8; entries must be plain names "
            + "like lstm.weight_ih_l0.npy");
      }
      if (++count > MAX_ENTRIES) {
        throw ModelFile.bad(file, "has more than " + MAX_ENTRIES + " entries; a model has at most "
            + (3 + 4 * ModelFile.MAX_LAYERS));
      }
      String name = e.getName();
      if (!isPlainName(name)) {
        throw ModelFile.bad(file, "has an entry with a path or unusual name '" + ModelFile.printable(name)
            + "'; entries must be plain names like lstm.weight_ih_l0.npy");
      }
      if (byName.putIfAbsent(name, e) != null) {
        throw ModelFile.bad(file, "has the entry '" + name + "' more than once");
      }
    }
    if (!byName.containsKey(ModelFile.CONFIG_ENTRY)) {
      throw ModelFile.bad(file, "has no " + ModelFile.CONFIG_ENTRY + " entry (is it a .cmodel file?)");
    }
    return byName;
  }

  private static boolean isPlainName(String name) {
    if (name.isEmpty() || name.length() > 64 || name.startsWith(".")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
          || ch == '.' || ch == '_' || ch == '-')) {
        return false;
      }
    }
    return !name.contains("..");
  }

  /** An entry or the archive inflated past its allowance; the message says which, without the file name. */
  static final class LimitException extends IOException {
    LimitException(String message) {
      super(message);
    }
  }

  /** Counts inflated bytes for one entry and for the archive, failing as soon as a limit is passed. */
  private final class Counted extends FilterInputStream {
    private final String entry;
    private final long limit;
    private long count;

    Counted(InputStream in, String entry, long limit) {
      super(in);
      this.entry = entry;
      this.limit = limit;
    }

    private void add(long n) throws LimitException {
      count += n;
      inflated += n;
      if (count > limit) {
        throw new LimitException("has an entry " + entry + " larger than the " + limit
            + " bytes allowed for it");
      }
      if (inflated > MAX_TOTAL_BYTES) {
        throw new LimitException("inflates to more than " + MAX_TOTAL_BYTES + " bytes in total");
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) add(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) add(n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      if (s > 0) add(s);
      return s;
    }
  }
}
