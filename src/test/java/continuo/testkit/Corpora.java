package continuo.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find real music: the small fixtures in {@code src/test/resources/corpora}, always
 * there, and the full corpora, only when the environment variable {@value #ENV} names their folder
 * (laid out as {@code nottingham/midi/}, {@code pop909/}, {@code jsb/}). Called from test threads.
 */
public final class Corpora {
  /** The environment variable naming the folder of full corpora for corpus-wide checks. */
  public static final String ENV = "CONTINUO_CORPORA";

  /** The fixtures' folder, laid out as the full corpora are. */
  public static final Path FIXTURES = Path.of("src", "test", "resources", "corpora");

  /** The fixtures' Nottingham tunes. */
  public static final Path NOTTINGHAM = FIXTURES.resolve(Path.of("nottingham", "midi"));

  private Corpora() {}

  /** One fixture file, by its path under the fixtures' folder, checked to exist. */
  public static Path fixture(String relative) {
    Path p = FIXTURES.resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("test fixture missing: " + p.toAbsolutePath());
    }
    return p;
  }

  /** The folder of full corpora named by {@value #ENV}; call only from a test enabled by it. */
  public static Path full() {
    String dir = System.getenv(ENV);
    if (dir == null || dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
      throw new IllegalStateException(ENV + " does not name a folder: " + dir);
    }
    return Path.of(dir);
  }
}
