package continuo.metrics;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
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
  /** In creation order, so that the summary reads neither labels nor metadata back. */
  private final Map<String, AtomicCounter> byLabel = new LinkedHashMap<>();

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
    StringBuilder sb = new StringBuilder(256);
    appendSummary(sb);
    return sb.toString();
  }

  /** Appends {@link #summary()} to {@code sb} (the status line reuses one builder). */
  public synchronized void appendSummary(StringBuilder sb) {
    boolean first = true;
    for (Map.Entry<String, AtomicCounter> e : byLabel.entrySet()) {
      long v = e.getValue().get();
      if (v != 0) {
        sb.append(first ? "" : " ").append(e.getKey()).append('=').append(v);
        first = false;
      }
    }
  }
}
