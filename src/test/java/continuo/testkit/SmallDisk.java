package continuo.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system for tests of what a full or read-only disk does: a tmpfs of a few
 * kilobytes mounted on a directory ({@code mount -t tmpfs}, which needs root; {@link #available}
 * says whether this machine allows it), always unmounted by {@link #close}.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path dir;

  /** Mounts a tmpfs of {@code kilobytes} on {@code dir} (created), read-only if asked. */
  public SmallDisk(Path dir, int kilobytes, boolean readOnly) throws IOException {
    this.dir = Files.createDirectories(dir);
    run("mount", "-t", "tmpfs", "-o", (readOnly ? "ro," : "") + "size=" + kilobytes + "k",
        "tmpfs", dir.toString());
  }

  /** Whether tmpfs can be mounted here (root, and a kernel that lets this container mount). */
  public static boolean available(Path scratch) {
    try (SmallDisk d = new SmallDisk(scratch.resolve("probe-disk"), 16, false)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public Path dir() {
    return dir;
  }

  /** Writes a file of zeros as large as the space left allows: the disk is full after this. */
  public void fill(String name) throws IOException {
    byte[] block = new byte[1024];
    try (var out = Files.newOutputStream(dir.resolve(name))) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }

  @Override
  public void close() throws IOException {
    run("umount", dir.toString());
  }

  private static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + ": "
            + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", cmd) + " interrupted");
    }
  }
}
