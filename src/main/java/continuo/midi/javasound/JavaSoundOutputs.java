package continuo.midi.javasound;

import continuo.metrics.Counters;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import javax.sound.midi.MidiDevice;
import org.agrona.concurrent.NanoClock;

/**
 * Opens the Java Sound backend's output path (its sending thread and scheduling) on a device the
 * caller made, with no input device: for the scheduler benchmark, which measures when messages
 * reach such a device. Called by the control thread.
 */
public final class JavaSoundOutputs {
  private JavaSoundOutputs() {}

  /** A connection that plays what is offered to {@code output} into {@code device}. */
  public static MidiConnection open(MidiDevice device, MidiEventRing input, MidiEventRing output,
      NanoClock clock, Counters counters, boolean realtime) throws Exception {
    return new JavaSoundConnection(null, device, input, output, clock, counters, realtime);
  }
}
