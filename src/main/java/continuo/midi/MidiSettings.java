package continuo.midi;

/**
 * What to open: the client name other programs see ({@code --name}), and the input and output port
 * specs ({@code --in}, {@code --out}; null = the backend's default). {@code passThrough} makes the
 * backend copy its input straight to its output as well, for round-trip latency measurements.
 * {@code realtime} asks for {@code SCHED_FIFO} on a sending thread the backend runs itself (Java
 * Sound; JACK sends from its own real-time thread).
 */
public record MidiSettings(
    String clientName, String in, String out, boolean passThrough, boolean realtime) {
  public MidiSettings(String clientName, String in, String out) {
    this(clientName, in, out, false, false);
  }

  public MidiSettings(String clientName, String in, String out, boolean passThrough) {
    this(clientName, in, out, passThrough, false);
  }

  public MidiSettings {
    if (clientName == null || clientName.isBlank()) {
      throw new IllegalArgumentException("client name must not be empty");
    }
  }
}
