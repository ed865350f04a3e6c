package continuo.preset;

/** A preset file that cannot be used; the message names the file, the key and what was expected. */
public final class PresetException extends Exception {
  public PresetException(String message) {
    super(message);
  }

  public PresetException(String message, Throwable cause) {
    super(message, cause);
  }
}
