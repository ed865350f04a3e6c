package continuo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: parses the command line and hands over to one subcommand. */
@Command(
    name = "continuo",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A real-time AI jam partner: a stateful LSTM that listens on MIDI and answers in time.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; used by tests too. */
  public static int run(String... args) {
    return newCommandLine(args).execute(args);
  }

  /** The command line for {@code args}: with the subcommand they name, or all when none. */
  static CommandLine newCommandLine(String... args) {
    CommandLine cli = new CommandLine(new Main());
    Subcommands.register(cli, args.length == 0 ? null : args[0]);
    cli.setExecutionExceptionHandler(new UserErrors());
    cli.setParameterExceptionHandler(new UserErrors());
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"continuo " + (v == null ? "dev" : v)};
    }
  }
}
