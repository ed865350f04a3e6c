package continuo.midi;

/**
 * What to open: the client name other programs see ({@code --name}), and the input and output port
 * specs ({@code --in}, {@code --out}; null = the backend's default).
 */
public record MidiSettings(String clientName, String in, String out) {
  public MidiSettings {
    if (clientName == null || clientName.isBlank()) {
      throw new IllegalArgumentException("client name must not be empty");
    }
  }
}
