package continuo.model;

/**
 * A model file that cannot be loaded. The message is one sentence naming the file and what is
 * wrong with it, ready to show to the user; a file that fails to load never replaces a loaded
 * model.
 */
public class ModelFormatException extends Exception {
  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
