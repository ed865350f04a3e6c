package continuo.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** The list of subcommands, kept in one place so that adding one is a one-line change. */
final class Subcommands {
  private Subcommands() {}

  private static Map<String, Supplier<Object>> all() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    // One line per subcommand, alphabetical.
    m.put("bench", BenchCommand::new);
    m.put("encode", EncodeCommand::new);
    m.put("eval", EvalCommand::new);
    m.put("generate", GenerateCommand::new);
    m.put("ports", PortsCommand::new);
    m.put("run", RunCommand::new);
    m.put("score", ScoreCommand::new);
    m.put("train", TrainCommand::new);
    return m;
  }

  /**
   * Registers the subcommand that {@code first} (the first argument) names, or all of them when it
   * names none (help, usage errors). Picocli reads every registered command's annotations up front,
   * which for all of them takes a fifth of a second that {@code continuo run} would otherwise wait.
   */
  static void register(CommandLine cli, String first) {
    Map<String, Supplier<Object>> all = all();
    Supplier<Object> named = first == null ? null : all.get(first);
    if (named != null) {
      cli.addSubcommand(first, commandLine(named.get()));
      return;
    }
    all.forEach((name, command) -> cli.addSubcommand(name, commandLine(command.get())));
  }

  /**
   * The command's own CommandLine: picocli applies a command's model transformer (run's options
   * made from the preset settings) only when the CommandLine is built for it, not when an object
   * is added as a subcommand.
   */
  private static CommandLine commandLine(Object command) {
    return new CommandLine(command);
  }
}
