package continuo.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bad-input contract every loader keeps, checked on each fuzzed input. */
final class Contract {
  private Contract() {}

  /**
   * A rejected input's message is one line that starts with the input's name and says more than
   * that; anything else is a finding.
   */
  static void clearOneLineNaming(Exception e, String name) {
    String m = e.getMessage();
    if (m == null || !m.startsWith(name) || m.length() < name.length() + 8) {
      throw new AssertionError("message does not name " + name + " and the problem: " + m, e);
    }
    for (int i = 0; i < m.length(); i++) {
      if (Character.isISOControl(m.charAt(i))) {
        throw new AssertionError("message is not one printable line: " + m.replace("\n", "\\n"), e);
      }
    }
  }

  /** A scratch directory for targets that load from a path, removed when the JVM exits. */
  static Path scratch(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code bytes} to {@code file} (replacing it) and marks it for removal at exit. */
  static Path write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
