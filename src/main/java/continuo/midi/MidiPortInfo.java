package continuo.midi;

/**
 * One port a backend can open, for {@code continuo ports}.
 *
 * @param backend provider name ("jack", "javasound")
 * @param name the name to pass to --in/--out (a substring is enough)
 * @param input true when continuo can listen to it, false when it can play to it
 * @param description what the port is, for humans
 */
public record MidiPortInfo(String backend, String name, boolean input, String description) {}
