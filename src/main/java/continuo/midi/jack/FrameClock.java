package continuo.midi.jack;

/**
 * Maps JACK's frame counter to the process NanoClock and back, steadily enough that a frame's time
 * is sample-accurate from one period to the next (a clock follower reads tick times through it).
 * The driver's frames keep time; the process thread is only woken late, never early, by a varying
 * amount. So the anchor is the earliest-running cycle seen: set at the first cycle, moved back to
 * a cycle that runs more than {@link #EARLY_NANOS} earlier than the anchor puts it, kept when a
 * cycle runs a little late, and moved on only when the frames have really lost the clock: a cycle
 * more than one and a half periods behind it (a stall), or every cycle of a second more than
 * {@link #RESYNC_NANOS} behind it (the driver lost time). Also tells whether a cycle came late (a
 * period or more behind the clock, or after skipped cycles: an xrun). Owned by JACK's process
 * thread; allocates nothing. The anchor is also published (seqlock) so that another thread can map
 * a time to the frame the process thread puts it at ({@link #anchor}), for diagnostics and tests.
 */
final class FrameClock {
  static final long RESYNC_NANOS = 2_000_000;
  /** A cycle this much earlier than the anchor puts it moves the anchor back to it. */
  static final long EARLY_NANOS = 250_000;
  /** How long cycles must all run late before the anchor follows them. */
  static final long WINDOW_NANOS = 1_000_000_000L;

  private final int sampleRate;
  private boolean anchored;
  private long anchorFrame;
  private long anchorNanos;
  /** Where this cycle starts if JACK skipped none since the last one. */
  private long expectedFrame0 = -1;
  /** This cycle came a period or more behind the clock, or after skipped ones (an xrun). */
  private boolean cycleLate;
  /** The least lateness of the cycles since {@link #windowStart}. */
  private long windowLeast = Long.MAX_VALUE;
  private long windowStart;
  /** Odd while the published anchor is being written; counts anchorings twice. */
  private volatile long version;
  private volatile long sharedFrame;
  private volatile long sharedNanos;

  FrameClock(int sampleRate) {
    this.sampleRate = sampleRate;
  }

  /** A cycle of {@code frames} starting at {@code frame0} runs at clock time {@code now}. */
  void cycle(long frame0, int frames, long now) {
    if (expectedFrame0 < 0 || frame0 < expectedFrame0) {
      expectedFrame0 = frame0; // the first cycle, or the frame counter wrapped
    }
    long behind = now - nanosOfFrame(frame0); // how far behind the clock this cycle runs
    long period = (long) frames * 1_000_000_000L / sampleRate;
    cycleLate = anchored && (frame0 > expectedFrame0 || behind > period);
    if (!anchored || behind < -EARLY_NANOS || behind > period + period / 2) {
      anchor(frame0, now);
      return;
    }
    windowLeast = Math.min(windowLeast, behind);
    if (now - windowStart >= WINDOW_NANOS) {
      if (windowLeast > RESYNC_NANOS) {
        anchor(anchorFrame, anchorNanos + windowLeast); // the least late cycle is on time now
      }
      windowLeast = Long.MAX_VALUE;
      windowStart = now;
    }
  }

  private void anchor(long frame, long nanos) {
    anchorFrame = frame;
    anchorNanos = nanos;
    anchored = true;
    windowLeast = Long.MAX_VALUE;
    windowStart = nanos;
    version++;
    sharedFrame = frame;
    sharedNanos = nanos;
    version++;
  }

  /** The cycle that started at {@code frame0} has ended after {@code frames}. */
  void cycleEnded(long frame0, int frames) {
    expectedFrame0 = frame0 + frames;
  }

  /** Whether the current cycle came late or after skipped ones. */
  boolean cycleLate() {
    return cycleLate;
  }

  /** Times the anchor was set (the first cycle, then each resync); any thread. */
  long anchorings() {
    return version / 2;
  }

  /**
   * Any thread: {@code {anchorFrame, anchorNanos, anchorings}} as last published, consistent with
   * each other. Allocates; never on the process thread.
   */
  long[] anchor() {
    while (true) {
      long v = version;
      long frame = sharedFrame;
      long nanos = sharedNanos;
      if ((v & 1) == 0 && v == version) {
        return new long[] {frame, nanos, v / 2};
      }
      Thread.onSpinWait();
    }
  }

  /** Any thread: the frame {@code nanos} maps to under the published {@code anchor}. */
  static long frameOfNanos(long[] anchor, int sampleRate, long nanos) {
    return anchor[0] + Math.floorDiv((nanos - anchor[1]) * sampleRate, 1_000_000_000L);
  }

  long nanosOfFrame(long frame) {
    return anchorNanos + (frame - anchorFrame) * 1_000_000_000L / sampleRate;
  }

  long frameOfNanos(long nanos) {
    return anchorFrame + Math.floorDiv((nanos - anchorNanos) * sampleRate, 1_000_000_000L);
  }
}
