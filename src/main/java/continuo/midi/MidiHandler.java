package continuo.midi;

/** Receives timestamped packed MIDI messages drained from a {@link MidiEventRing}. */
@FunctionalInterface
public interface MidiHandler {
  /**
   * @param timeNanos when the message was (or is to be) heard, on the process's NanoClock
   * @param msg message packed by {@link MidiMessage#pack}
   */
  void onMidi(long timeNanos, int msg);
}
