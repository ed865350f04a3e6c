package continuo.metrics;

import java.nio.ByteBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The process's named event counters (dropped events, malformed MIDI, late notes, engine errors).
 * Counters are created at set-up on any thread; incrementing one is lock-free and allocation free
 * from any single writer, and any thread may read them for the status line.
 */
public final class Counters {
  private static final int MAX_COUNTERS = 256;
  private final CountersManager manager;
  private final java.util.Map<String, AtomicCounter> byLabel = new java.util.HashMap<>();

  public Counters() {
    AtomicBuffer meta = new UnsafeBuffer(
        ByteBuffer.allocateDirect(MAX_COUNTERS * CountersManager.METADATA_LENGTH));
    AtomicBuffer values = new UnsafeBuffer(
        ByteBuffer.allocateDirect(MAX_COUNTERS * CountersManager.COUNTER_LENGTH));
    manager = new CountersManager(meta, values);
  }

  /**
   * The counter labelled {@code label}, created on first use (so a backend that reconnects keeps
   * counting where it was); set-up only.
   */
  public synchronized AtomicCounter newCounter(String label) {
    return byLabel.computeIfAbsent(label, manager::newCounter);
  }

  /** "label=value" for every non-zero counter, for logs and the status line; not for the hot path. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    manager.forEach((id, label) -> {
      long v = manager.getCounterValue(id);
      if (v != 0) {
        sb.append(sb.length() == 0 ? "" : " ").append(label).append('=').append(v);
      }
    });
    return sb.toString();
  }
}
