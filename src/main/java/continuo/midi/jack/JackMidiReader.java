package continuo.midi.jack;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.jaudiolibs.jnajack.JackPort;

/**
 * Reads the events of a JACK MIDI input port in the process callback without allocating. jnajack's
 * {@code JackMidi.eventGet} fills a JNA {@code Structure}, and every read of it makes new
 * {@code size_t}, {@code Pointer} and reflection objects (about 200 bytes an event, enough for a
 * flood of input to fill the young generation in seconds). Here {@code jack_midi_event_get} is
 * bound directly, with primitive and buffer arguments only, and fills one native
 * {@code jack_midi_event_t} that lives as long as the reader. Only JACK's process thread may call
 * it.
 */
final class JackMidiReader {
  // jack_midi_event_t: { jack_nframes_t time; size_t size; jack_midi_data_t *buffer; }
  private static final int SIZE_OFFSET = align(Integer.BYTES, Native.SIZE_T_SIZE);
  private static final int DATA_OFFSET = align(SIZE_OFFSET + Native.SIZE_T_SIZE,
      Native.POINTER_SIZE);
  private static final int EVENT_BYTES = DATA_OFFSET + Native.POINTER_SIZE;

  static {
    // Where jnajack finds libjack, this finds it too (jnajack's JackLibraryDirect does the same).
    try {
      Native.register(JackMidiReader.class, Platform.is64Bit() ? "jack64" : "jack");
    } catch (UnsatisfiedLinkError e) {
      Native.register(JackMidiReader.class, "jack");
    }
  }

  private static native int jack_midi_event_get(Pointer event, ByteBuffer portBuffer, int index);

  private final Memory event = new Memory(EVENT_BYTES);
  private final Cursor data = new Cursor();
  private int time;
  private int size;

  /**
   * Reads event {@code index} of the buffer JACK gave {@code port} for this cycle; false when JACK
   * refuses it (then {@link #time()} and {@link #size()} keep the previous event's values).
   */
  boolean read(JackPort port, int index) {
    if (jack_midi_event_get(event, port.getBuffer(), index) != 0) {
      return false;
    }
    time = event.getInt(0);
    size = (int) Math.min(Integer.MAX_VALUE, Native.SIZE_T_SIZE == Long.BYTES
        ? event.getLong(SIZE_OFFSET) : event.getInt(SIZE_OFFSET) & 0xFFFF_FFFFL);
    data.moveTo(Native.POINTER_SIZE == Long.BYTES
        ? event.getLong(DATA_OFFSET) : event.getInt(DATA_OFFSET) & 0xFFFF_FFFFL);
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

  private static int align(int offset, int alignment) {
    return (offset + alignment - 1) / alignment * alignment;
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
