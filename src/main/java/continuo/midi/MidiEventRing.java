package continuo.midi;

import java.nio.ByteBuffer;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A preallocated single-producer/single-consumer ring of timestamped MIDI messages, the only way
 * MIDI crosses between threads. {@link #offer} never blocks: a full ring returns false and bumps the
 * drop counter. The last tenth of the ring is kept for everything but note-ons, so that under
 * overload new notes are shed first and the note-offs of notes already in still get through.
 * Exactly one thread offers and one thread drains. Not final only so that a benchmark can note
 * the moment a message is handed over.
 */
public class MidiEventRing {
  private static final int MSG_TYPE = 1;
  private static final int RECORD = 12;
  /** What one message occupies in the ring: header plus payload, aligned. */
  private static final int RECORD_BYTES = BitUtil.align(
      org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH + RECORD,
      org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT);

  private final RingBuffer ring;
  private final AtomicCounter dropped;
  /** Bytes in use above which note-ons are refused. */
  private final int noteOnLimit;
  private final MessageHandler forward = this::forward;
  private MidiHandler target;

  /** A ring holding at least {@code events} records; {@code dropped} counts refused offers. */
  public MidiEventRing(int events, AtomicCounter dropped) {
    // Each record costs its header plus the 12-byte payload, aligned to 8.
    int bytes = BitUtil.findNextPositivePowerOfTwo(events * 32) + RingBufferDescriptor.TRAILER_LENGTH;
    this.ring = new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(bytes)));
    this.dropped = dropped;
    this.noteOnLimit = ring.capacity() / 10 * 9;
  }

  /**
   * Producer thread: appends one message; false (and counted) when the ring is full, or for a
   * note-on when it is nine tenths full.
   */
  public boolean offer(long timeNanos, int msg) {
    if (MidiMessage.isNoteOn(msg) && ring.size() > noteOnLimit) {
      dropped.increment();
      return false;
    }
    int index = ring.tryClaim(MSG_TYPE, RECORD);
    if (index <= 0) {
      dropped.increment();
      return false;
    }
    MutableDirectBuffer b = ring.buffer();
    b.putLong(index, timeNanos);
    b.putInt(index + 8, msg);
    ring.commit(index);
    return true;
  }

  /** Consumer thread: hands up to {@code limit} messages to {@code handler}; returns how many. */
  public int drain(MidiHandler handler, int limit) {
    target = handler;
    try {
      return ring.read(forward, limit);
    } finally {
      target = null;
    }
  }

  /** Consumer thread: hands every queued message to {@code handler}. */
  public int drain(MidiHandler handler) {
    return drain(handler, Integer.MAX_VALUE);
  }

  public boolean isEmpty() {
    return ring.size() == 0;
  }

  /** Messages waiting, from any thread (a snapshot): the backlog a benchmark watches. */
  public int queued() {
    return ring.size() / RECORD_BYTES;
  }

  private void forward(int type, MutableDirectBuffer buffer, int index, int length) {
    target.onMidi(buffer.getLong(index), buffer.getInt(index + 8));
  }
}
