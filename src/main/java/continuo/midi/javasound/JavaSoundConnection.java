package continuo.midi.javasound;

import continuo.metrics.Counters;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiHandler;
import continuo.midi.MidiMessage;
import continuo.schedule.EventHeap;
import continuo.schedule.PreciseWait;
import continuo.schedule.Realtime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Transmitter;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Java Sound devices: the input device's transmitter stamps each short message on the NanoClock and
 * offers it to the input ring; an output thread owned by this connection takes timestamped events
 * from the output ring and sends each one at its time (park, then spin the last stretch), because
 * Java Sound receivers play on arrival.
 */
final class JavaSoundConnection implements MidiConnection {
  /** Above the engine thread's 70: a send that is due must not wait for a model step. */
  static final int OUTPUT_PRIORITY = 80;

  private final MidiDevice inDevice;
  private final MidiDevice outDevice;
  private final Transmitter transmitter;
  private final Receiver receiver;
  private final MidiEventRing output;
  private final EventHeap pending = new EventHeap(4096);
  private final MidiHandler toPending = this::toPending;
  private final ShortMessage reused = new ShortMessage();
  private final NanoClock clock;
  private final AtomicCounter overflow;
  private final AtomicCounter sendErrors;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean alive = true;
  private long nextPresenceCheckNanos;
  private final String description;
  /** With {@code realtime}: what asking for SCHED_FIFO gave the output thread, once it has asked. */
  private final CompletableFuture<String> outputPriority = new CompletableFuture<>();

  JavaSoundConnection(MidiDevice inDevice, MidiDevice outDevice, MidiEventRing input,
      MidiEventRing output, NanoClock clock, Counters counters, boolean realtime) throws Exception {
    this.inDevice = inDevice;
    this.outDevice = outDevice;
    this.clock = clock;
    this.output = output;
    this.overflow = counters.newCounter("javasound.output.overflow");
    this.sendErrors = counters.newCounter("javasound.output.errors");
    AtomicCounter ignored = counters.newCounter("javasound.input.ignored");
    try {
      outDevice.open();
      receiver = outDevice.getReceiver();
      if (inDevice != null) {
        inDevice.open();
        transmitter = inDevice.getTransmitter();
        transmitter.setReceiver(new InputReceiver(input, clock, ignored));
      } else {
        transmitter = null;
      }
    } catch (Exception | Error e) {
      outDevice.close();
      if (inDevice != null) {
        inDevice.close();
      }
      throw e;
    }
    thread = new Thread(() -> runOutput(realtime), "continuo-javasound-out");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
    String priority = "";
    if (realtime) {
      String why = outputPriority.get(5, TimeUnit.SECONDS);
      priority = why == null ? ", output thread SCHED_FIFO priority " + OUTPUT_PRIORITY
          : ", output thread normal priority (" + why + ")";
    }
    description = "javasound: in " + (inDevice == null ? "none" : "'" + name(inDevice) + "'")
        + ", out '" + name(outDevice) + "'" + priority;
  }

  static String name(MidiDevice d) {
    return d.getDeviceInfo().getName();
  }

  /** Output thread: sends each event at its time. */
  private void runOutput(boolean realtime) {
    if (realtime) {
      outputPriority.complete(Realtime.fifo(OUTPUT_PRIORITY));
    }
    while (running || !output.isEmpty() || !pending.isEmpty()) {
      output.drain(toPending);
      long now = clock.nanoTime();
      while (!pending.isEmpty() && pending.peekTime() <= now) {
        send(pending.peekMessage());
        pending.poll();
      }
      if (pending.isEmpty()) {
        if (running) {
          LockSupport.parkNanos(1_000_000); // look at the ring again within a millisecond
        }
      } else {
        PreciseWait.until(clock, pending.peekTime(), 1_000_000);
      }
    }
  }

  private void send(int msg) {
    try {
      reused.setMessage(MidiMessage.status(msg), MidiMessage.data1(msg), MidiMessage.data2(msg));
      receiver.send(reused, -1);
    } catch (IllegalStateException e) {
      sendErrors.increment();
      alive = false; // the device was closed under us (unplugged): reconnect
    } catch (InvalidMidiDataException | RuntimeException e) {
      sendErrors.increment();
    }
  }

  private void toPending(long timeNanos, int msg) {
    if (!pending.add(timeNanos, msg)) {
      overflow.increment();
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public MidiEventRing output() {
    return output;
  }

  @Override
  public long outputLeadNanos() {
    // The output thread sends each event at its time itself; handing events over a little early
    // keeps a slow model step on the engine thread from making them late.
    return 2_000_000;
  }

  /**
   * False once a device was closed or has left the system's device list (a USB keyboard unplugged,
   * a virtual port removed): the session then reopens the ports by name with backoff. The list is
   * read at most once a second, on the caller's (control) thread.
   */
  @Override
  public boolean isAlive() {
    if (!alive || !outDevice.isOpen() || (inDevice != null && !inDevice.isOpen())) {
      return false;
    }
    long now = System.nanoTime();
    if (now - nextPresenceCheckNanos >= 0) {
      nextPresenceCheckNanos = now + 1_000_000_000L;
      if (!JavaSoundProvider.isListed(outDevice)
          || (inDevice != null && !JavaSoundProvider.isListed(inDevice))) {
        alive = false;
      }
    }
    return alive;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    alive = false;
    if (transmitter != null) {
      transmitter.close();
      inDevice.close();
    }
    receiver.close();
    outDevice.close();
  }

  /** Java Sound's delivery thread: stamps and forwards short messages; everything else is ignored. */
  private static final class InputReceiver implements Receiver {
    private final MidiEventRing input;
    private final NanoClock clock;
    private final AtomicCounter ignored;

    InputReceiver(MidiEventRing input, NanoClock clock, AtomicCounter ignored) {
      this.input = input;
      this.clock = clock;
      this.ignored = ignored;
    }

    @Override
    public void send(javax.sound.midi.MidiMessage message, long timeStamp) {
      if (message instanceof ShortMessage s && s.getStatus() >= 0x80 && s.getStatus() < 0xF0) {
        input.offer(clock.nanoTime(), MidiMessage.pack(s.getStatus(), s.getData1(), s.getData2()));
      } else {
        ignored.increment();
      }
    }

    @Override
    public void close() {}
  }
}
