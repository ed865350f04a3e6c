package continuo.midi.javasound;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Transmitter;
import javax.sound.midi.spi.MidiDeviceProvider;

/**
 * A USB MIDI interface that tests plug in and pull out: registered as a Java Sound device provider
 * (test resources' {@code META-INF/services}), it lists one in/out port while plugged in and none
 * after. Each plug-in is a new device object, as a real provider makes after re-enumerating. There
 * is no MIDI hardware on a test machine, so this stands in for it.
 */
public final class PluggableDevices extends MidiDeviceProvider {
  public static final String NAME = "Pluggable USB MIDI";

  private static volatile Port plugged;

  public static synchronized Port plugIn() {
    plugged = new Port();
    return plugged;
  }

  public static synchronized void pullOut() {
    plugged = null;
  }

  @Override
  public MidiDevice.Info[] getDeviceInfo() {
    Port p = plugged;
    return p == null ? new MidiDevice.Info[0] : new MidiDevice.Info[] {p.getDeviceInfo()};
  }

  @Override
  public MidiDevice getDevice(MidiDevice.Info info) {
    Port p = plugged;
    if (p == null || p.getDeviceInfo() != info) {
      throw new IllegalArgumentException("no such device: " + info);
    }
    return p;
  }

  /** One plugged-in interface: what continuo sends it is recorded, and a test plays into it. */
  public static final class Port extends SimpleMidiDevice {
    private final List<int[]> received = new CopyOnWriteArrayList<>();
    private volatile Receiver toContinuo;

    Port() {
      super(NAME, "a MIDI interface that comes and goes");
    }

    /** A player's message into continuo. */
    public void play(int status, int data1, int data2) throws Exception {
      Receiver r = toContinuo;
      if (r != null) {
        r.send(new ShortMessage(status, data1, data2), -1);
      }
    }

    /** Every short message continuo sent this port: {status, data1, data2}. */
    public List<int[]> received() {
      return received;
    }

    @Override
    public int getMaxReceivers() {
      return -1;
    }

    @Override
    public int getMaxTransmitters() {
      return -1;
    }

    @Override
    public Receiver getReceiver() throws MidiUnavailableException {
      return new Receiver() {
        @Override
        public void send(MidiMessage message, long timeStamp) {
          if (!isOpen()) {
            throw new IllegalStateException("device closed");
          }
          if (message instanceof ShortMessage s) {
            received.add(new int[] {s.getStatus(), s.getData1(), s.getData2()});
          }
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Transmitter getTransmitter() {
      return new Transmitter() {
        @Override
        public void setReceiver(Receiver receiver) {
          toContinuo = receiver;
        }

        @Override
        public Receiver getReceiver() {
          return toContinuo;
        }

        @Override
        public void close() {
          toContinuo = null;
        }
      };
    }
  }
}
