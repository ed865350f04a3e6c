package continuo.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real JACK server for tests: {@code jackd --no-realtime -S -d dummy} under a unique server name
 * (so parallel builds do not meet), started in the constructor and always stopped by {@link #close}.
 * Processes that should use it get {@link #environment()}.
 *
 * <p>Synchronous mode ({@code -S}): the server waits for every client to finish a cycle before it
 * starts the next. A non-realtime server on two shared cores overruns its period dozens of times a
 * minute; in JACK2's default asynchronous mode a client then reads the buffer of a writer that is
 * still in its previous cycle and gets a half-written or empty period. Two listeners on continuo's
 * output then disagree (one sees a burst of note-offs, the other does not), which made these tests
 * report stuck and doubled notes that continuo never sent. The dummy driver has no hardware
 * deadline, so waiting costs nothing but a late cycle.
 */
public final class JackServer implements AutoCloseable {
  private final String name;
  private Process process;
  private final Path log;
  private final int period;

  public JackServer() throws IOException, InterruptedException {
    this(256);
  }

  /** A server whose periods are {@code period} frames at 48 kHz. */
  public JackServer(int period) throws IOException, InterruptedException {
    this.period = period;
    name = "continuo-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
    log = Files.createTempFile("jackd-", ".log");
    start();
  }

  /** Kills the server (as a crash would) and starts it again under the same name. */
  public void restart() throws IOException, InterruptedException {
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    Thread.sleep(1_000);
    start();
  }

  private void start() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("jackd", "--no-realtime", "-S", "-n", name, "-d", "dummy",
        "-r", "48000", "-p", String.valueOf(period));
    pb.environment().putAll(environment());
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    ProcessBuilder wait = new ProcessBuilder("jack_wait", "-w", "-s", name, "-t", "10");
    wait.environment().putAll(environment());
    Process w = wait.redirectErrorStream(true).start();
    if (!w.waitFor(15, TimeUnit.SECONDS) || w.exitValue() != 0 || !process.isAlive()) {
      String said = Files.readString(log); // close() deletes the log
      close();
      throw new IOException("jackd did not start within 10 s: " + said);
    }
  }

  /** Stops the server's process where it stands ({@code kill -STOP}), as a hung server would. */
  public void freeze() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** Lets a frozen server go on ({@code kill -CONT}). */
  public void thaw() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill " + signal + " " + process.pid() + " failed");
    }
  }

  public static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "jackd"))) {
        return true;
      }
    }
    return false;
  }

  public String name() {
    return name;
  }

  public Map<String, String> environment() {
    return Map.of("JACK_DEFAULT_SERVER", name, "JACK_NO_AUDIO_RESERVATION", "1",
        "JACK_NO_START_SERVER", "1");
  }

  /**
   * Command line of a JVM running continuo with this test JVM's class path and the launcher's
   * heap and JIT flags.
   */
  public static List<String> continuoCommand(Path home, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.add("-XX:+UseSerialGC"); // the heap the launcher gives continuo
    cmd.add("-Xms64m");
    cmd.add("-XX:CompileCommand=quiet"); // and its early compilation of the step
    cmd.add("-XX:CompileCommand=CompileThresholdScaling,continuo.model.VectorStepper*::*,0.1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("-Dcontinuo.home=" + home);
    cmd.add("continuo.cli.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(log);
  }
}
