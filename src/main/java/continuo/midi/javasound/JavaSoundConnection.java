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
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Transmitter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Java Sound devices: the input device's transmitter stamps each short message on the NanoClock and
 * offers it to the input ring; an output agent owned by this connection takes timestamped events
 * from the output ring and sends each one at its time (park, then spin the last stretch), because
 * Java Sound receivers play on arrival. The output agent runs on its own {@link AgentRunner}.
 */
final class JavaSoundConnection implements MidiConnection, Agent {
  /** Above the engine thread's 70: a send that is due must not wait for a model step. */
  static final int OUTPUT_PRIORITY = 80;
  /** At most this long in one wait for the next event: the ring is looked at again after it. */
  private static final long MAX_WAIT_NANOS = 1_000_000;
  /** How long closing may spend sending what is still queued (the final note-offs). */
  private static final long CLOSE_FLUSH_NANOS = 2_000_000_000L;

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
  private final boolean realtime;
  private final AgentRunner runner;
  private volatile boolean alive = true;
  private long nextPresenceCheckNanos;
  private final String description;
  /** With {@code realtime}: what asking for SCHED_FIFO gave the output thread, once it has asked. */
  private final CompletableFuture<String> outputPriority = new CompletableFuture<>();

  JavaSoundConnection(MidiDevice inDevice, MidiDevice outDevice, MidiEventRing input,
      MidiEventRing output, NanoClock clock, Counters counters, boolean realtime) throws Exception {
    this(inDevice, outDevice, input, output, clock, counters, realtime, defaultIdleStrategy());
  }

  /**
   * Opens the devices and starts the output agent, which idles with {@code idle} while nothing is
   * queued (while something is, it waits for it precisely itself).
   */
  JavaSoundConnection(MidiDevice inDevice, MidiDevice outDevice, MidiEventRing input,
      MidiEventRing output, NanoClock clock, Counters counters, boolean realtime,
      IdleStrategy idle) throws Exception {
    this.realtime = realtime;
    this.inDevice = inDevice;
    this.outDevice = outDevice;
    this.clock = clock;
    this.output = output;
    this.overflow = counters.newCounter("javasound.output.overflow");
    this.sendErrors = counters.newCounter("javasound.output.errors");
    AtomicCounter ignored = counters.newCounter("javasound.input.ignored");
    AtomicCounter malformed = counters.newCounter("javasound.input.malformed");
    try {
      outDevice.open();
      receiver = outDevice.getReceiver();
      if (inDevice != null) {
        inDevice.open();
        transmitter = inDevice.getTransmitter();
        transmitter.setReceiver(new InputReceiver(input, clock, ignored, malformed));
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
    runner = new AgentRunner(idle, t -> sendErrors.increment(), null, this);
    AgentRunner.startOnThread(runner, r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      t.setPriority(Thread.MAX_PRIORITY);
      return t;
    });
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

  /** Nothing queued: spin a little, then park from 1 µs up to the millisecond it used to. */
  static IdleStrategy defaultIdleStrategy() {
    return new BackoffIdleStrategy(10, 10, 1_000, MAX_WAIT_NANOS);
  }

  @Override
  public String roleName() {
    return "continuo-javasound-out";
  }

  /** Output thread, as it starts: asks for SCHED_FIFO when the session runs real-time. */
  @Override
  public void onStart() {
    if (realtime) {
      outputPriority.complete(Realtime.fifo(OUTPUT_PRIORITY));
    }
  }

  /**
   * Output thread: sends what is due. While something is queued, waiting for it is this agent's
   * work (park, then spin the last stretch, at most a millisecond before the ring is looked at
   * again): an idle strategy knows nothing of the next event's time and could sleep past it.
   */
  @Override
  public int doWork() {
    int work = output.drain(toPending) + sendDue();
    if (pending.isEmpty()) {
      return work;
    }
    PreciseWait.until(clock, pending.peekTime(), MAX_WAIT_NANOS);
    return work + 1 + sendDue();
  }

  private int sendDue() {
    int sent = 0;
    long now = clock.nanoTime();
    while (!pending.isEmpty() && pending.peekTime() <= now) {
      send(pending.peekMessage());
      pending.poll();
      sent++;
    }
    return sent;
  }

  /** Output thread, as the connection closes: sends what is still queued, for up to 2 s. */
  @Override
  public void onClose() {
    long deadline = System.nanoTime() + CLOSE_FLUSH_NANOS;
    while ((!output.isEmpty() || !pending.isEmpty()) && System.nanoTime() < deadline) {
      output.drain(toPending);
      if (!pending.isEmpty()) {
        PreciseWait.until(clock, Math.min(pending.peekTime(), clock.nanoTime() + MAX_WAIT_NANOS),
            MAX_WAIT_NANOS);
      }
      sendDue();
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
   * read at most once a second, on the caller's thread (the session's supervisor).
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
    runner.close(); // the agent sends what is queued as it closes
    alive = false;
    if (transmitter != null) {
      transmitter.close();
      inDevice.close();
    }
    receiver.close();
    outDevice.close();
  }

  /**
   * Java Sound's delivery thread: stamps channel messages, MIDI clock and transport (clock, Start,
   * Continue, Stop, Song Position) with the time they are received and forwards them; everything
   * else (SysEx, active sensing, time code) is ignored. Java Sound has already split the device's
   * byte stream into messages, real-time bytes included, so each arrives whole. A message whose
   * data bytes do not fit its status is counted as malformed and skipped.
   */
  private static final class InputReceiver implements Receiver {
    private final MidiEventRing input;
    private final NanoClock clock;
    private final AtomicCounter ignored;
    private final AtomicCounter malformed;

    InputReceiver(MidiEventRing input, NanoClock clock, AtomicCounter ignored,
        AtomicCounter malformed) {
      this.input = input;
      this.clock = clock;
      this.ignored = ignored;
      this.malformed = malformed;
    }

    @Override
    public void send(javax.sound.midi.MidiMessage message, long timeStamp) {
      long now = clock.nanoTime();
      if (!(message instanceof ShortMessage s)) {
        ignored.increment();
        return;
      }
      int status = s.getStatus();
      int msg = MidiMessage.pack(status, s.getData1(), s.getData2());
      if (status < 0x80 || (status >= 0xF0 && !MidiMessage.isClockOrTransport(msg))) {
        ignored.increment();
      } else if (s.getLength() != MidiMessage.length(msg) || !dataFits(s)) {
        malformed.increment();
      } else {
        input.offer(now, msg);
      }
    }

    /** Whether every data byte the message carries is 0..127. */
    private static boolean dataFits(ShortMessage s) {
      int n = s.getLength() - 1;
      return (n < 1 || (s.getData1() & 0x80) == 0) && (n < 2 || (s.getData2() & 0x80) == 0);
    }

    @Override
    public void close() {}
  }
}
