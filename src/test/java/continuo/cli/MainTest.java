package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  private static final List<String> COMMANDS =
      List.of("bench", "encode", "eval", "generate", "ports", "run", "score", "train");

  @Test
  void theUsageListsEverySubcommand() {
    for (String[] args : new String[][] {{}, {"--help"}, {"help"}}) {
      Cli r = Cli.run(args);
      assertEquals(0, r.exit(), String.join(" ", args));
      for (String c : COMMANDS) {
        assertTrue(r.out().contains("  " + c + " "), c + " missing from:\n" + r.out());
      }
    }
  }

  @Test
  void helpForOneSubcommandWorksEitherWay() {
    for (String c : COMMANDS) {
      Cli direct = Cli.run(c, "--help");
      Cli viaHelp = Cli.run("help", c);
      assertEquals(0, direct.exit(), c);
      assertEquals(direct.out(), viaHelp.out(), c);
      assertTrue(direct.out().startsWith("Usage: continuo " + c), direct.out());
    }
  }

  @Test
  void anUnknownSubcommandIsAClearError() {
    Cli r = Cli.run("jam");
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("jam"), r.err());
  }
}
