package continuo.midi.jack;

/**
 * Maps JACK's frame counter to the process NanoClock and back: anchored at the first cycle and
 * again whenever a cycle starts more than {@link #RESYNC_NANOS} away from where the anchor puts it.
 * Also tells whether a cycle came late (a period or more behind the clock, or after skipped
 * cycles: an xrun). Owned by JACK's process thread; allocates nothing.
 */
final class FrameClock {
  static final long RESYNC_NANOS = 2_000_000;

  private final int sampleRate;
  private boolean anchored;
  private long anchorFrame;
  private long anchorNanos;
  /** Where this cycle starts if JACK skipped none since the last one. */
  private long expectedFrame0 = -1;
  /** This cycle came a period or more behind the clock, or after skipped ones (an xrun). */
  private boolean cycleLate;

  FrameClock(int sampleRate) {
    this.sampleRate = sampleRate;
  }

  /** A cycle of {@code frames} starting at {@code frame0} runs at clock time {@code now}. */
  void cycle(long frame0, int frames, long now) {
    if (expectedFrame0 < 0 || frame0 < expectedFrame0) {
      expectedFrame0 = frame0; // the first cycle, or the frame counter wrapped
    }
    long behind = now - nanosOfFrame(frame0); // how far behind the clock this cycle runs
    cycleLate = anchored && (frame0 > expectedFrame0
        || behind > (long) frames * 1_000_000_000L / sampleRate);
    if (!anchored || Math.abs(behind) > RESYNC_NANOS) {
      anchorFrame = frame0;
      anchorNanos = now;
      anchored = true;
    }
  }

  /** The cycle that started at {@code frame0} has ended after {@code frames}. */
  void cycleEnded(long frame0, int frames) {
    expectedFrame0 = frame0 + frames;
  }

  /** Whether the current cycle came late or after skipped ones. */
  boolean cycleLate() {
    return cycleLate;
  }

  long nanosOfFrame(long frame) {
    return anchorNanos + (frame - anchorFrame) * 1_000_000_000L / sampleRate;
  }

  long frameOfNanos(long nanos) {
    return anchorFrame + Math.floorDiv((nanos - anchorNanos) * sampleRate, 1_000_000_000L);
  }
}
