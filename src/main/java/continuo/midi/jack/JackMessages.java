package continuo.midi.jack;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Routes libjack's own error and info printing (e.g. "Cannot connect to server socket" on every
 * probe when no server runs) away from the user's terminal: continuo explains failures in its own
 * one-line errors. The last message is kept for diagnostics. Set up once, before any JACK call.
 */
final class JackMessages {
  private JackMessages() {}

  interface Api extends Library {
    interface Handler extends Callback {
      void invoke(String message);
    }

    void jack_set_error_function(Handler handler);

    void jack_set_info_function(Handler handler);
  }

  private static volatile String last = "";
  // Held in a static field: JNA must not lose the callback while libjack may call it.
  private static final Api.Handler KEEP_LAST = m -> last = m;
  private static boolean installed;

  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    try {
      Api api = Native.load("jack", Api.class);
      api.jack_set_error_function(KEEP_LAST);
      api.jack_set_info_function(KEEP_LAST);
    } catch (Throwable t) {
      // No libjack: the provider reports JACK as unavailable anyway.
    }
  }

  /** The last message libjack printed, or "". */
  static String last() {
    return last;
  }
}
