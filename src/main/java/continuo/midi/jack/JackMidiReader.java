package continuo.midi.jack;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Reads the events of a JACK MIDI input buffer in the process callback without allocating: one
 * native {@code jack_midi_event_t}, filled by {@code jack_midi_event_get} for each event, lives as
 * long as the reader (jnajack's reader makes new JNA objects for every event). Only JACK's process
 * thread may call it.
 */
final class JackMidiReader {
  // jack_midi_event_t, 64-bit: { jack_nframes_t time; size_t size; jack_midi_data_t *buffer; }
  private static final int SIZE_OFFSET = 8;
  private static final int DATA_OFFSET = 16;
  private static final int EVENT_BYTES = 24;

  private final Memory event = new Memory(EVENT_BYTES);
  private final long eventAddress = Pointer.nativeValue(event);
  private final Cursor data = new Cursor();
  private int time;
  private int size;

  /**
   * Reads event {@code index} of this period's input buffer; false when JACK refuses it (then
   * {@link #time()} and {@link #size()} keep the previous event's values).
   */
  boolean read(long portBuffer, int index) {
    if (LibJack.jack_midi_event_get(eventAddress, portBuffer, index) != 0) {
      return false;
    }
    time = event.getInt(0);
    size = (int) Math.min(Integer.MAX_VALUE, event.getLong(SIZE_OFFSET));
    data.moveTo(event.getLong(DATA_OFFSET));
    return true;
  }

  /** The frame offset of the last event read, within its period. */
  int time() {
    return time;
  }

  /** The length in bytes of the last event read. */
  int size() {
    return size;
  }

  /** Copies the first bytes of the last event read into {@code into}, as many as fit. */
  void copy(byte[] into) {
    data.read(0, into, 0, Math.min(size, into.length));
  }

  /** Copies {@code len} bytes of the last event read, from its byte {@code from} on. */
  void copy(int from, byte[] into, int len) {
    data.read(from, into, 0, len);
  }

  /** A pointer moved to each event's bytes in turn, so reading an event makes no new object. */
  private static final class Cursor extends Pointer {
    Cursor() {
      super(0);
    }

    void moveTo(long address) {
      peer = address;
    }
  }
}
