package continuo.bench;

import continuo.metrics.Counters;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.midi.javasound.JavaSoundOutputs;
import continuo.midi.javasound.SimpleMidiDevice;
import java.util.Random;
import javax.sound.midi.Receiver;
import javax.sound.midi.Transmitter;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Scheduler timing: events handed to the Java Sound output thread ahead of their time (as the
 * engine hands them, {@code outputLeadNanos} early), sent by it at their time (park, then spin),
 * into a device that notes when each arrives. Reports |arrival - intended time| over {@code
 * seconds}, after two seconds of the same traffic to warm the path up. With {@code load},
 * every other core is kept busy by a spinning thread, as a DAW or a synth would.
 */
public final class SchedulerBenchmark {
  private SchedulerBenchmark() {}

  /** The send-time errors, and the connection as it describes itself (its output priority). */
  public record Result(Latencies errors, String connection) {}

  public static Result run(double seconds, boolean load, long seed, boolean realtime)
      throws Exception {
    int warm = 200; // two seconds
    int n = warm + (int) Math.max(10, seconds * 100); // one event every 10 ms on average
    long[] intended = new long[n];
    long[] arrived = new long[n];
    TimingDevice device = new TimingDevice(arrived);
    Counters counters = new Counters();
    MidiEventRing output = new MidiEventRing(1024, counters.newCounter("output.dropped"));
    MidiEventRing input = new MidiEventRing(16, counters.newCounter("input.dropped"));
    MidiConnection c;
    try (CpuLoad busy = load ? CpuLoad.onOtherCores() : CpuLoad.none()) {
      c = JavaSoundOutputs.open(device, input, output, SystemNanoClock.INSTANCE, counters,
          realtime);
      try {
        Random r = new Random(seed);
        long lead = c.outputLeadNanos();
        long t = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < n; i++) {
          t += 1_000_000L + r.nextInt(19_000_000); // 1..20 ms apart
          intended[i] = t;
        }
        for (int i = 0; i < n; i++) {
          long handAt = intended[i] - lead;
          while (System.nanoTime() < handAt) {
            long left = handAt - System.nanoTime();
            if (left > 300_000) {
              java.util.concurrent.locks.LockSupport.parkNanos(left - 200_000);
            } else {
              Thread.onSpinWait();
            }
          }
          output.offer(intended[i], MidiMessage.of(MidiMessage.NOTE_ON, 1, 60, 1 + i % 127));
        }
        long end = System.nanoTime() + 1_000_000_000L;
        while (device.count < n && System.nanoTime() < end) {
          Thread.sleep(10);
        }
      } finally {
        c.close();
      }
    }
    int measured = Math.max(0, device.count - warm);
    long[] error = new long[measured];
    for (int i = 0; i < measured; i++) {
      error[i] = Math.abs(arrived[warm + i] - intended[warm + i]);
    }
    return new Result(new Latencies(error, measured), c.describe());
  }

  /** An output device that writes down when each message arrives, in order. */
  private static final class TimingDevice extends SimpleMidiDevice {
    private final long[] arrived;
    private volatile int count;

    TimingDevice(long[] arrived) {
      super("timing", "records arrival times");
      this.arrived = arrived;
    }

    @Override
    public Receiver getReceiver() {
      return new Receiver() {
        @Override
        public void send(javax.sound.midi.MidiMessage message, long timeStamp) {
          long now = System.nanoTime();
          int i = count;
          if (i < arrived.length) {
            arrived[i] = now;
            count = i + 1;
          }
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public int getMaxReceivers() {
      return -1;
    }

    @Override
    public int getMaxTransmitters() {
      return 0;
    }

    @Override
    public Transmitter getTransmitter() throws javax.sound.midi.MidiUnavailableException {
      throw new javax.sound.midi.MidiUnavailableException("an output-only device");
    }
  }
}
