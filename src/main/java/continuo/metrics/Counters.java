package continuo.metrics;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
  private final Map<String, AtomicCounter> byLabel = new HashMap<>();
  /** In creation order, so that the summary reads neither labels nor metadata back. */
  private final List<AtomicCounter> counters = new CopyOnWriteArrayList<>();
  private final List<String> labels = new CopyOnWriteArrayList<>();

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
    AtomicCounter c = byLabel.get(label);
    if (c == null) {
      c = manager.newCounter(label);
      byLabel.put(label, c);
      labels.add(label);
      counters.add(c);
    }
    return c;
  }

  /** "label=value" for every non-zero counter, for logs and the status line; not for the hot path. */
  public String summary() {
    StringBuilder sb = new StringBuilder(256);
    appendSummary(sb);
    return sb.toString();
  }

  /** Appends {@link #summary()} to {@code sb} (the status line reuses one builder). */
  public void appendSummary(StringBuilder sb) {
    boolean first = true;
    for (int i = 0; i < counters.size(); i++) {
      long v = counters.get(i).get();
      if (v != 0) {
        sb.append(first ? "" : " ").append(labels.get(i)).append('=').append(v);
        first = false;
      }
    }
  }
}
