package continuo.midi;

/** A MIDI backend that cannot be opened or listed; the message says which and why. */
public final class MidiBackendException extends Exception {
  public MidiBackendException(String message) {
    super(message);
  }

  public MidiBackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
