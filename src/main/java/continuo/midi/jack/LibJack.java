package continuo.midi.jack;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import java.lang.reflect.Field;
import org.jaudiolibs.jnajack.JackClient;

/**
 * The libjack calls of continuo's process cycle, bound directly with primitive arguments, so that
 * a cycle allocates nothing. jnajack, which opens the client, registers and connects the ports and
 * delivers the shutdown and xrun notifications, makes garbage in every cycle: its process callback
 * asks for each port's buffer as a new JNA {@code Pointer}, and its MIDI event reader fills a JNA
 * {@code Structure} with new objects per event. Pointers are passed as 64-bit addresses: continuo
 * runs on 64-bit JVMs only. Set-up calls from any thread; the MIDI calls from JACK's process thread.
 */
final class LibJack {
  static {
    if (Native.POINTER_SIZE != Long.BYTES || Native.SIZE_T_SIZE != Long.BYTES) {
      throw new UnsatisfiedLinkError("continuo's JACK backend needs a 64-bit JVM");
    }
    // Where jnajack finds libjack, this finds it too (jnajack's JackLibraryDirect does the same
    // on a 64-bit JVM: "jack64", the Windows name, first).
    try {
      Native.register(LibJack.class, "jack64");
    } catch (UnsatisfiedLinkError e) {
      Native.register(LibJack.class, "jack");
    }
  }

  private LibJack() {
  }

  /** JACK's process callback; the second argument (the user pointer) is always null here. */
  interface Process extends Callback {
    int invoke(int nframes);
  }

  static native int jack_set_process_callback(long client, Process callback, long arg);

  static native long jack_port_by_name(long client, String portName);

  static native long jack_port_get_buffer(long port, int nframes);

  static native int jack_last_frame_time(long client);

  static native int jack_midi_get_event_count(long portBuffer);

  static native int jack_midi_event_get(long event, long portBuffer, int index);

  static native void jack_midi_clear_buffer(long portBuffer);

  static native int jack_midi_event_write(long portBuffer, int time, byte[] data, long size);

  /**
   * The {@code jack_client_t*} of a client jnajack opened. jnajack keeps it private; 1.4.0, the
   * version the build pins, keeps it in {@code clientPtr}.
   */
  static long clientAddress(JackClient client) {
    try {
      Field f = JackClient.class.getDeclaredField("clientPtr");
      f.setAccessible(true);
      return Pointer.nativeValue(((PointerType) f.get(client)).getPointer());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("this jnajack keeps its JACK client where continuo does not "
          + "look (continuo is built against jnajack 1.4.0): " + e, e);
    }
  }

  /** The {@code jack_port_t*} of one of {@code client}'s ports, by its full name. */
  static long portAddress(long client, String fullName) {
    long port = jack_port_by_name(client, fullName);
    if (port == 0) {
      throw new IllegalStateException("JACK does not know the port '" + fullName + "'");
    }
    return port;
  }

  /**
   * Makes {@code process} the client's process callback. JACK's process thread stays attached to
   * the JVM as a daemon between cycles (JNA would otherwise attach and detach it every cycle).
   * {@code process} must stay reachable for as long as the client lives.
   */
  static void setProcessCallback(long client, Process process, String threadName) {
    Native.setCallbackThreadInitializer(process,
        new CallbackThreadInitializer(true, false, threadName));
    int rc = jack_set_process_callback(client, process, 0);
    if (rc != 0) {
      throw new IllegalStateException("jack_set_process_callback failed (" + rc + ")");
    }
  }
}
