package continuo.cli;

/**
 * A mistake in what the user asked for or gave us (a bad file, a bad value). Printed as one line,
 * without a stack trace, and mapped to exit code 2.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
