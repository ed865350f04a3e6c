package continuo.steer;

import java.util.Arrays;

/**
 * The key the player is in, estimated online: the pitch classes of the last {@code window}
 * seconds, each weighted by how long it sounded inside the window (every instant discounted by
 * exp(-age / (window / 3)), so the last few seconds count most), are correlated with a {@link
 * KeyProfile} rotated to each of the 24 major and minor keys. The best key is reported only once
 * it has beaten the reported one by {@code margin} (in correlation) for {@code hold} seconds
 * without a break, so a passing chromatic chord or a short tonicisation does not move the answer's
 * key. Minor keys are reported as {@link Scale#NATURAL_MINOR}.
 *
 * <p>Single-threaded: the thread that sees the player's notes (the live engine's) calls {@link
 * #noteOn}, {@link #noteOff} and {@link #update} in time order and reads the results. Nothing is
 * allocated after construction; an update costs one pass over the notes held (at most {@code
 * capacity}) plus 24 x 12 multiplications.
 */
public final class KeyEstimator {
  /** Default look-back (decay constant 4 s): measured on the Nottingham corpus (docs/steering.md). */
  public static final double DEFAULT_WINDOW_SECONDS = 12;
  /** Default correlation a new key must lead the reported one by. */
  public static final double DEFAULT_MARGIN = 0.15;
  /** Default time a new key must keep that lead before it is reported. */
  public static final double DEFAULT_HOLD_SECONDS = 1;
  /** Notes remembered; older ones are forgotten first (at 50 notes/s, 20 s). */
  public static final int DEFAULT_CAPACITY = 1024;
  /** Sounding time (summed over notes) the window must hold before any key is reported. */
  static final long MIN_EVIDENCE_NANOS = 2_000_000_000L;

  private final KeyProfile profile;
  private final long windowNanos;
  private final double tauNanos;
  private final double margin;
  private final long holdNanos;

  private final int capacity;
  private final int[] ringPitchClass;
  private final long[] ringStart;
  private final long[] ringEnd;
  private int ringHead;
  private int ringSize;
  private final long[] soundingSince = new long[128];

  private final double[] weight = new double[12];
  private final double[] correlation = new double[24];

  private Key current;
  private double confidence;
  private int candidate = -1;
  private long candidateSince;
  private long changes;

  /** An estimator with the default profile (Temperley's) and the default window and hold. */
  public KeyEstimator() {
    this(KeyProfile.TEMPERLEY, DEFAULT_WINDOW_SECONDS, DEFAULT_MARGIN,
        DEFAULT_HOLD_SECONDS, DEFAULT_CAPACITY);
  }

  /**
   * @param windowSeconds how far back the player is heard, 1..60 s
   * @param margin correlation (0..1) by which a new key must beat the reported one
   * @param holdSeconds how long (0..30 s) it must keep that lead before it is reported
   * @param capacity notes remembered (16..65536)
   */
  public KeyEstimator(KeyProfile profile, double windowSeconds, double margin, double holdSeconds,
      int capacity) {
    if (!(windowSeconds >= 1 && windowSeconds <= 60)) {
      throw new IllegalArgumentException("key window must be 1..60 s, got " + windowSeconds);
    }
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException("key margin must be 0..1, got " + margin);
    }
    if (!(holdSeconds >= 0 && holdSeconds <= 30)) {
      throw new IllegalArgumentException("key hold must be 0..30 s, got " + holdSeconds);
    }
    if (capacity < 16 || capacity > 65536) {
      throw new IllegalArgumentException("key capacity must be 16..65536 notes, got " + capacity);
    }
    this.profile = profile;
    this.windowNanos = (long) (windowSeconds * 1e9);
    this.tauNanos = windowNanos / 3.0;
    this.margin = margin;
    this.holdNanos = (long) (holdSeconds * 1e9);
    this.capacity = capacity;
    this.ringPitchClass = new int[capacity];
    this.ringStart = new long[capacity];
    this.ringEnd = new long[capacity];
    Arrays.fill(soundingSince, -1);
  }

  /** The player started {@code pitch} (0..127) at {@code nanos}. */
  public void noteOn(int pitch, long nanos) {
    if (soundingSince[pitch] >= 0) {
      noteOff(pitch, nanos);
    }
    soundingSince[pitch] = nanos;
  }

  /** The player released {@code pitch} at {@code nanos}; a release without a start is ignored. */
  public void noteOff(int pitch, long nanos) {
    long start = soundingSince[pitch];
    if (start < 0) {
      return;
    }
    soundingSince[pitch] = -1;
    int slot = (ringHead + ringSize) % capacity;
    if (ringSize == capacity) {
      ringHead = (ringHead + 1) % capacity;
    } else {
      ringSize++;
    }
    ringPitchClass[slot] = pitch % 12;
    ringStart[slot] = start;
    ringEnd[slot] = Math.max(start, nanos);
  }

  /** Forgets everything heard; the key is unknown again (e.g. after a long silence or a stop). */
  public void reset() {
    ringHead = 0;
    ringSize = 0;
    Arrays.fill(soundingSince, -1);
    current = null;
    confidence = 0;
    candidate = -1;
  }

  /**
   * Re-estimates at {@code nanos} (not before the last note event) and returns whether the
   * reported key changed, for the caller to log or show.
   */
  public boolean update(long nanos) {
    long evidence = weigh(nanos);
    if (evidence < MIN_EVIDENCE_NANOS) {
      candidate = -1;
      return false;
    }
    correlate();
    int best = 0;
    for (int k = 1; k < 24; k++) {
      if (correlation[k] > correlation[best]) {
        best = k;
      }
    }
    if (current == null) {
      return report(best);
    }
    int now = index(current);
    if (best != now && correlation[best] - correlation[now] >= margin) {
      if (candidate != best) {
        candidate = best;
        candidateSince = nanos;
      }
      if (nanos - candidateSince >= holdNanos) {
        return report(best);
      }
    } else {
      candidate = -1;
    }
    confidence = Math.max(0, correlation[now]);
    return false;
  }

  /** The key reported, or null until enough has been heard. */
  public Key current() {
    return current;
  }

  /** The reported key's correlation with what was heard in the window, 0..1. */
  public double confidence() {
    return confidence;
  }

  /** How many times the reported key has changed (the first report counts). */
  public long changes() {
    return changes;
  }

  /** Seconds of look-back. */
  public double windowSeconds() {
    return windowNanos / 1e9;
  }

  private boolean report(int index) {
    current = Key.of(index % 12, index < 12 ? Scale.MAJOR : Scale.NATURAL_MINOR);
    confidence = Math.max(0, correlation[index]);
    candidate = -1;
    changes++;
    return true;
  }

  private static int index(Key key) {
    return key.tonic() + (key.scale() == Scale.MAJOR ? 0 : 12);
  }

  /** Fills {@link #weight} with each pitch class's decayed sounding time; returns the plain total. */
  private long weigh(long nanos) {
    Arrays.fill(weight, 0);
    long from = nanos - windowNanos;
    long total = 0;
    for (int i = 0; i < ringSize; i++) {
      int slot = (ringHead + i) % capacity;
      long end = Math.min(ringEnd[slot], nanos);
      long start = Math.max(ringStart[slot], from);
      if (end > start) {
        weight[ringPitchClass[slot]] += decayed(start, end, nanos);
        total += end - start;
      }
    }
    for (int pitch = 0; pitch < 128; pitch++) {
      long start = soundingSince[pitch];
      if (start >= 0) {
        long begin = Math.max(start, from);
        if (nanos > begin) {
          weight[pitch % 12] += decayed(begin, nanos, nanos);
          total += nanos - begin;
        }
      }
    }
    return total;
  }

  /**
   * The sounding time of [start, end], each instant weighted by exp(-age / tau): what was just
   * played counts most, which follows a modulation sooner than a flat window of the same length.
   */
  private double decayed(long start, long end, long nanos) {
    return tauNanos * (Math.exp((end - nanos) / tauNanos) - Math.exp((start - nanos) / tauNanos));
  }

  /** Pearson correlation of the weights with each key's profile: majors 0..11, minors 12..23. */
  private void correlate() {
    double mean = 0;
    for (int pc = 0; pc < 12; pc++) {
      mean += weight[pc] / 12;
    }
    double norm = 0;
    for (int pc = 0; pc < 12; pc++) {
      weight[pc] -= mean;
      norm += weight[pc] * weight[pc];
    }
    norm = norm > 0 ? Math.sqrt(norm) : 1;
    for (int tonic = 0; tonic < 12; tonic++) {
      double major = 0;
      double minor = 0;
      for (int pc = 0; pc < 12; pc++) {
        int degree = (pc - tonic + 12) % 12;
        major += weight[pc] * profile.major(degree);
        minor += weight[pc] * profile.minor(degree);
      }
      correlation[tonic] = major / norm;
      correlation[12 + tonic] = minor / norm;
    }
  }
}
