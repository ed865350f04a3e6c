package continuo.midi.javasound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.midi.ClockOut;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.testkit.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.SysexMessage;
import javax.sound.midi.Transmitter;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

/** MIDI clock and transport in and out through the Java Sound connection. */
class JavaSoundClockTest {
  private final Counters counters = new Counters();
  private final MidiEventRing input = new MidiEventRing(256, counters.newCounter("in.dropped"));
  private final MidiEventRing output = new MidiEventRing(256, counters.newCounter("out.dropped"));

  @Test
  void clockAndTransportArriveWithTheirReceiveTimeAndOtherSystemMessagesAreIgnored()
      throws Exception {
    TimedPort port = new TimedPort();
    FakeClock clock = new FakeClock();
    JavaSoundConnection c = new JavaSoundConnection(port, port, input, output, clock, counters,
        false);
    try {
      Receiver in = port.toContinuo;
      clock.advanceMillis(1);
      in.send(new ShortMessage(0xF2, 0x10, 0x01), -1); // Song Position: sixteenth 144
      clock.advanceMillis(1);
      in.send(new ShortMessage(0xFB), -1);
      clock.advanceMillis(1);
      in.send(new ShortMessage(0xF8), -1);
      in.send(new ShortMessage(0xFE), -1); // active sensing: nothing for continuo
      in.send(new SysexMessage(new byte[] {(byte) 0xF0, 0x7E, (byte) 0xF7}, 3), -1);
      clock.advanceMillis(1);
      in.send(new ShortMessage(0x90, 60, 100), -1);
      in.send(new ShortMessage(0xFC), -1);
      in.send(new ShortMessage(new byte[] {(byte) 0xF2, (byte) 0x90, 0x01}) {}, -1);
      in.send(new ShortMessage(new byte[] {(byte) 0xF8, 0x01}) {}, -1);
      List<String> got = new ArrayList<>();
      input.drain((t, m) -> got.add(t + " " + MidiMessage.toString(m)));
      long t0 = clock.nanoTime() - 4_000_000;
      assertEquals(List.of((t0 + 1_000_000) + " F2 16 1", (t0 + 2_000_000) + " FB 0 0",
          (t0 + 3_000_000) + " F8 0 0", (t0 + 4_000_000) + " 90 60 100",
          (t0 + 4_000_000) + " FC 0 0"), got);
      assertEquals("javasound.input.ignored=2 javasound.input.malformed=2", counters.summary());
    } finally {
      c.close();
    }
  }

  @Test
  void clockOutTicksAreSentAtTheirTimeBetweenStartAndStop() throws Exception {
    TimedPort port = new TimedPort();
    JavaSoundConnection c = new JavaSoundConnection(null, port, input, output,
        SystemNanoClock.INSTANCE, counters, false);
    ClockOut clock = new ClockOut();
    long start = System.nanoTime() + 50_000_000L;
    clock.start(start, 120);
    try {
      while (clock.ticks() < 24) {
        clock.offerDue(System.nanoTime() + c.outputLeadNanos(), output);
        LockSupport.parkNanos(500_000);
      }
      clock.stop(clock.nextDueNanos());
      long end = clock.nextDueNanos() + 100_000_000L;
      while (System.nanoTime() < end) {
        clock.offerDue(System.nanoTime() + c.outputLeadNanos(), output);
        LockSupport.parkNanos(500_000);
      }
    } finally {
      c.close();
    }
    List<long[]> sent = port.sent;
    assertEquals(26, sent.size(), "Start, 24 ticks, Stop");
    assertEquals(0xFA, sent.get(0)[1]);
    assertEquals(0xFC, sent.get(25)[1]);
    double period = 60e9 / (120 * 24);
    long[] late = new long[26];
    for (int i = 0; i < 26; i++) {
      long due = start + Math.round(Math.min(Math.max(i - 1, 0), 24) * period);
      late[i] = sent.get(i)[0] - due;
      assertTrue(late[i] >= 0, "message " + i + " sent " + -late[i] + " ns early");
      if (i > 0 && i < 25) {
        assertEquals(0xF8, sent.get(i)[1]);
      }
    }
    java.util.Arrays.sort(late);
    assertTrue(late[13] < 2_000_000, "median lateness " + late[13] + " ns");
  }

  /** A device that records when each message reaches it, and lets the test play into continuo. */
  private static final class TimedPort extends SimpleMidiDevice {
    final List<long[]> sent = new CopyOnWriteArrayList<>();
    volatile Receiver toContinuo;

    TimedPort() {
      super("Timed port", "records the time of each message");
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
    public Receiver getReceiver() {
      return new Receiver() {
        @Override
        public void send(javax.sound.midi.MidiMessage message, long timeStamp) {
          sent.add(new long[] {System.nanoTime(), message.getStatus()});
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
