package continuo.schedule;

/**
 * A primitive binary min-heap of timestamped MIDI messages: earliest time first, and among equal
 * times first in, first out (so a note-off queued before a note-on at the same instant goes first).
 * Fixed capacity, allocation free; owned by one thread.
 */
public final class EventHeap {
  private final long[] times;
  private final long[] seqs;
  private final int[] msgs;
  private int size;
  private long nextSeq;

  public EventHeap(int capacity) {
    times = new long[capacity];
    seqs = new long[capacity];
    msgs = new int[capacity];
  }

  /** Adds one event; false when the heap is full. */
  public boolean add(long timeNanos, int msg) {
    if (size == times.length) {
      return false;
    }
    int i = size++;
    long seq = nextSeq++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(timeNanos, seq, times[parent], seqs[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, timeNanos, seq, msg);
    return true;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return times.length;
  }

  /** Time of the earliest event; only when not empty. */
  public long peekTime() {
    return times[0];
  }

  /** Message of the earliest event; only when not empty. */
  public int peekMessage() {
    return msgs[0];
  }

  /** Removes the earliest event. */
  public void poll() {
    if (size == 0) {
      throw new IllegalStateException("poll on an empty heap");
    }
    size--;
    if (size == 0) {
      return;
    }
    long t = times[size];
    long s = seqs[size];
    int m = msgs[size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(times[child + 1], seqs[child + 1], times[child], seqs[child])) {
        child++;
      }
      if (!before(times[child], seqs[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    set(i, t, s, m);
  }

  public void clear() {
    size = 0;
  }

  /** Event at heap slot {@code i} (0..size-1, in no particular order); for sweeps like panic. */
  public int messageAt(int i) {
    return msgs[i];
  }

  public long timeAt(int i) {
    return times[i];
  }

  private static boolean before(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void move(int from, int to) {
    times[to] = times[from];
    seqs[to] = seqs[from];
    msgs[to] = msgs[from];
  }

  private void set(int i, long t, long s, int m) {
    times[i] = t;
    seqs[i] = s;
    msgs[i] = m;
  }
}
