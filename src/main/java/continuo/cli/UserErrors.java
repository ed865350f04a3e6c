package continuo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns every error that reaches the command line into one clear line on stderr and a non-zero
 * exit: 2 for the user's mistakes (bad option, bad file), 1 for anything else.
 */
final class UserErrors
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

  static final int USAGE = 2;
  static final int FAILURE = 1;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    Throwable t = e;
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    String name = cli.getCommandName();
    if (t instanceof UserError || t instanceof IOException || isUserFacing(t)) {
      cli.getErr().println(name + ": " + oneLine(t.getMessage() == null ? t.toString() : t.getMessage()));
      return USAGE;
    }
    cli.getErr().println(name + ": internal error: " + oneLine(String.valueOf(t)));
    if (System.getenv("CONTINUO_DEBUG") != null) {
      t.printStackTrace(cli.getErr());
    }
    return FAILURE;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    cli.getErr().println(cli.getCommandName() + ": " + oneLine(e.getMessage()));
    cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
    return USAGE;
  }

  /** Checked set-up exceptions of our own packages that already carry a user-facing sentence. */
  private static boolean isUserFacing(Throwable t) {
    return t.getClass().getName().startsWith("continuo.") && t instanceof Exception
        && !(t instanceof RuntimeException);
  }

  static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ').trim();
  }
}
