package continuo.cli;

import picocli.CommandLine;

/** The list of subcommands, kept in one place so that adding one is a one-line change. */
final class Subcommands {
  private Subcommands() {}

  static void register(CommandLine cli) {
    // One line per subcommand, alphabetical.
    cli.addSubcommand(new BenchCommand());
    cli.addSubcommand(new EncodeCommand());
    cli.addSubcommand(new EvalCommand());
    cli.addSubcommand(new GenerateCommand());
    cli.addSubcommand(new PortsCommand());
    cli.addSubcommand(new RunCommand());
    cli.addSubcommand(new ScoreCommand());
    cli.addSubcommand(new TrainCommand());
  }
}
