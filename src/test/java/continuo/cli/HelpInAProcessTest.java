package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.testkit.JackServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's help, as a user's shell sees it: a real JVM started with the launcher's flags,
 * in a home the JVM has never seen, so that anything the JVM or a library prints on its own shows.
 */
class HelpInAProcessTest {
  private static final List<String> COMMANDS =
      List.of("bench", "encode", "eval", "generate", "help", "ports", "run", "score", "train");
  /** The one notice the JVM prints for the Vector API and offers no flag to silence. */
  private static final String INCUBATOR = "WARNING: Using incubator modules: jdk.incubator.vector";

  @TempDir Path home;

  @Test
  void everyCommandsHelpEndsCleanlyWithNothingElseOnEitherStream() throws Exception {
    List<String> all = new ArrayList<>(COMMANDS);
    all.add("");
    for (String c : all) {
      List<String> args = new ArrayList<>();
      if (!c.isEmpty()) {
        args.add(c);
      }
      args.add("--help");
      List<String> cmd = JackServer.continuoCommand(home, args.toArray(String[]::new));
      cmd.add(1, "-Duser.home=" + home);
      Process p = new ProcessBuilder(cmd).start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), c + " --help ended");
      String o = new String(out, StandardCharsets.UTF_8);
      String e = new String(err, StandardCharsets.UTF_8).replace(INCUBATOR + "\n", "");
      assertEquals(0, p.exitValue(), c + " --help: " + e);
      assertEquals("", e, c + " --help printed on stderr");
      assertTrue(o.contains("Usage: continuo"), o);
      assertTrue(o.endsWith("\n") && !o.endsWith("\n\n"), c + " --help ends with one newline");
      assertTrue(!o.contains("Exception") && !o.contains("\tat "), o);
    }
  }
}
