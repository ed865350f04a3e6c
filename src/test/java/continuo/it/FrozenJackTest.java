package continuo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import continuo.model.ModelFile;
import continuo.model.RandomModels;
import continuo.testkit.JackServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JACK server that is there but does not answer (stopped with {@code kill -STOP}, as a hung one
 * would be): {@code continuo run} says so in one line and goes on, instead of waiting in libjack
 * for 40 s with nothing on the screen.
 */
class FrozenJackTest {
  @TempDir Path home;

  @Test
  void aFrozenServerIsReportedInOneLineAndAutoGoesOnWithoutIt() throws Exception {
    assumeTrue(JackServer.installed(), "jackd is not installed (scripts/install-test-deps)");
    ModelFile.write(RandomModels.create(16, 64, 1, 5), home.resolve("m.cmodel"));
    try (JackServer jack = new JackServer()) {
      jack.freeze();
      try {
        Run auto = run(jack, "--backend", "auto");
        assertTrue(auto.seconds < 20, "auto gave up on the server in time: " + auto);
        String chosen = auto.output.lines().filter(l -> l.contains("event=backend_chosen"))
            .findFirst().orElseThrow(() -> new AssertionError("no choice logged: " + auto));
        assertTrue(chosen.contains("backend=javasound")
            && chosen.contains("JACK server did not answer within 3 s"), chosen);

        Run explicit = run(jack, "--backend", "jack");
        assertTrue(explicit.seconds < 25, "opening gave up in time: " + explicit);
        assertEquals(2, explicit.exitCode, explicit.toString());
        assertTrue(explicit.output.contains("did not answer within 10 s"), explicit.toString());
        assertEquals(1, explicit.output.lines().filter(l -> l.startsWith("run:")).count(),
            explicit.toString());
      } finally {
        jack.thaw();
      }
    }
  }

  private record Run(int exitCode, String output, double seconds) {}

  private Run run(JackServer jack, String... backend) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("run", "--model",
        home.resolve("m.cmodel").toString(), "--seconds", "1"));
    args.addAll(List.of(backend));
    ProcessBuilder pb = new ProcessBuilder(
        JackServer.continuoCommand(home, args.toArray(String[]::new)));
    pb.environment().putAll(jack.environment());
    long start = System.nanoTime();
    Process p = pb.redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new AssertionError("continuo run " + String.join(" ", backend)
          + " still waiting after 60 s: "
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.exitValue(), out, (System.nanoTime() - start) / 1e9);
  }
}
