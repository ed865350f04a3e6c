package continuo.midi.jack;

import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiHandler;
import continuo.midi.MidiStreamDecoder;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Moves the events of continuo's JACK MIDI input port into the input ring, each message stamped
 * with the NanoClock time of its frame: notes and controllers, and MIDI clock and transport (clock
 * 0xF8, Start, Continue, Stop, Song Position), whose frame-accurate stamps let a clock follower see
 * the sender's tick times to the sample. An event's bytes are read as a MIDI stream: a real-time
 * byte inside another message or a SysEx (which some bridges from hardware ports produce) is taken
 * out at the event's frame, running status inside one event is honoured, SysEx is skipped, and
 * malformed bytes (a stray data byte, a message cut short by the end of its event) are counted and
 * skipped. Only JACK's process thread calls it; it allocates nothing.
 */
final class JackInput {
  /** Bytes of an event read at a time; longer events (SysEx) are read in pieces. */
  private static final int CHUNK = 64;

  private final MidiEventRing ring;
  private final JackMidiReader event = new JackMidiReader();
  private final MidiStreamDecoder decoder = new MidiStreamDecoder();
  private final byte[] bytes = new byte[CHUNK];
  private final MidiHandler toRing = this::toRing;
  private final AtomicCounter unreadable;
  private final AtomicCounter skipped;
  private final AtomicCounter malformed;
  private long malformedSeen;
  private long sysExSeen;

  JackInput(MidiEventRing ring, Counters counters) {
    this.ring = ring;
    this.unreadable = counters.newCounter("jack.input.unreadable");
    this.skipped = counters.newCounter("jack.input.skipped");
    this.malformed = counters.newCounter("jack.input.malformed");
  }

  /**
   * Reads input event {@code i} of {@code buffer} into the reader; null when JACK refused it
   * (jack_midi_event_get failed), which is counted so the caller can skip it and read the rest.
   */
  JackMidiReader event(long buffer, int i) {
    if (event.read(buffer, i)) {
      return event;
    }
    unreadable.increment();
    return null;
  }

  /** Every event of this period's input {@code buffer}, whose first frame is {@code frame0}. */
  void read(long buffer, long frame0, FrameClock clock) {
    int n = LibJack.jack_midi_get_event_count(buffer);
    for (int i = 0; i < n; i++) {
      if (event(buffer, i) == null) {
        continue;
      }
      int size = event.size();
      if (size < 1) {
        skipped.increment();
        continue;
      }
      long nanos = clock.nanosOfFrame(frame0 + event.time());
      for (int from = 0; from < size; from += CHUNK) {
        int len = Math.min(CHUNK, size - from);
        event.copy(from, bytes, len);
        decoder.feed(nanos, bytes, 0, len, toRing);
      }
      decoder.endOfPacket();
    }
    count();
  }

  /** Moves the decoder's tallies into the counters (SysEx carries nothing the engine plays). */
  private void count() {
    long m = decoder.malformed();
    if (m != malformedSeen) {
      malformed.getAndAddOrdered(m - malformedSeen);
      malformedSeen = m;
    }
    long s = decoder.sysExSkipped();
    if (s != sysExSeen) {
      skipped.getAndAddOrdered(s - sysExSeen);
      sysExSeen = s;
    }
  }

  private void toRing(long nanos, int msg) {
    ring.offer(nanos, msg); // a full ring counts the drop itself
  }
}
