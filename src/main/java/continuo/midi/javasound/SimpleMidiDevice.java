package continuo.midi.javasound;

import java.util.List;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.Receiver;
import javax.sound.midi.Transmitter;

/**
 * The bookkeeping part of a {@link MidiDevice} (its info, open state, no clock, no port lists), for
 * the devices continuo makes itself: the scheduler benchmark's timing device, and test devices.
 * Subclasses say which ports they have.
 */
public abstract class SimpleMidiDevice implements MidiDevice {
  private final Info info;
  private volatile boolean open;

  protected SimpleMidiDevice(String name, String description) {
    this.info = new Info(name, "continuo", description, "1.0") {};
  }

  @Override
  public Info getDeviceInfo() {
    return info;
  }

  @Override
  public void open() {
    open = true;
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public long getMicrosecondPosition() {
    return -1;
  }

  @Override
  public List<Receiver> getReceivers() {
    return List.of();
  }

  @Override
  public List<Transmitter> getTransmitters() {
    return List.of();
  }
}
