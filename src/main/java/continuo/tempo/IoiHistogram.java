package continuo.tempo;

/**
 * A leaky histogram of inter-onset intervals on a logarithmic axis, with a comb that scores
 * candidate beat periods by the intervals at their multiples: the tempo induction of
 * {@link BeatTracker}, after Dixon's IOI clustering (2001), where a cluster is ranked by its own
 * count and the counts of clusters at integer multiples of it.
 *
 * <p>Every interval between the newest onset and the earlier ones still in the window is added
 * with the product of the two onsets' weights; the whole histogram decays by a fixed factor per
 * onset, so its memory is counted in onsets (the same at any tempo) rather than in seconds.
 *
 * <p>Single-threaded, owned by its {@link BeatTracker}; nothing allocates after construction.
 */
final class IoiHistogram {
  /** Shortest and longest interval counted, in nanoseconds. */
  static final double MIN_IOI = 0.1e9;
  static final double MAX_IOI = 3.2e9;
  /** Bin width: 1 % of the interval. */
  static final double RATIO = 1.01;
  /** Beat periods the comb considers: 40..240 bpm. */
  static final double MIN_PERIOD = 0.25e9;
  static final double MAX_PERIOD = 1.5e9;

  private static final double LOG_RATIO = Math.log(RATIO);
  private static final int BINS = (int) Math.ceil(Math.log(MAX_IOI / MIN_IOI) / LOG_RATIO) + 1;
  /** The multiples of a candidate period whose intervals count for it, and their weights. */
  private static final double[] MULTIPLE = {1, 2, 3, 4, 0.5, 0.25};
  private static final double[] MULTIPLE_WEIGHT = {1.0, 0.4, 0.1, 0.2, 0.3, 0.15};
  private static final int[] MULTIPLE_OFFSET = new int[MULTIPLE.length];

  static {
    for (int k = 0; k < MULTIPLE.length; k++) {
      MULTIPLE_OFFSET[k] = (int) Math.round(Math.log(MULTIPLE[k]) / LOG_RATIO);
    }
  }

  private final double decay;
  private final double[] counts = new double[BINS];
  private final double[] smooth = new double[BINS];
  private final double[] prior = new double[BINS];
  private final int firstCandidate = bin(MIN_PERIOD);
  private final int lastCandidate = bin(MAX_PERIOD);

  /**
   * @param decay the factor every count is multiplied by per onset (0 < decay < 1)
   * @param preferredPeriod the beat period (ns) a flat histogram leans to
   * @param priorOctaves the width (standard deviation, in octaves) of that lean
   */
  IoiHistogram(double decay, double preferredPeriod, double priorOctaves) {
    if (!(decay > 0 && decay < 1)) {
      throw new IllegalArgumentException("decay must be in (0, 1), got " + decay);
    }
    this.decay = decay;
    for (int b = 0; b < BINS; b++) {
      double octaves = Math.log(period(b) / preferredPeriod) / Math.log(2);
      prior[b] = Math.exp(-0.5 * octaves * octaves / (priorOctaves * priorOctaves));
    }
  }

  static int bin(double ioi) {
    return (int) Math.round(Math.log(ioi / MIN_IOI) / LOG_RATIO);
  }

  static double period(int bin) {
    return MIN_IOI * Math.exp(bin * LOG_RATIO);
  }

  /** Ages every count by one onset. */
  void age() {
    for (int b = 0; b < BINS; b++) {
      counts[b] *= decay;
    }
  }

  /** Counts one interval with the given weight; intervals outside the range are ignored. */
  void add(double ioi, double weight) {
    addBin(binOf(ioi), weight);
  }

  /** The bin an interval (ns) is counted in, or -1 when it is outside the range. */
  static int binOf(double ioi) {
    return ioi < MIN_IOI || ioi > MAX_IOI ? -1 : bin(ioi);
  }

  /** Counts one interval already binned by {@link #binOf} (-1 is ignored). */
  void addBin(int bin, double weight) {
    if (bin >= 0) {
      counts[bin] += weight;
    }
  }

  void clear() {
    java.util.Arrays.fill(counts, 0);
  }

  /** Smooths the counts (a triangle over five bins, about +-2 %) ahead of the comb. */
  void prepare() {
    for (int b = 0; b < BINS; b++) {
      double s = 3 * counts[b];
      s += b > 0 ? 2 * counts[b - 1] : 0;
      s += b + 1 < BINS ? 2 * counts[b + 1] : 0;
      s += b > 1 ? counts[b - 2] : 0;
      s += b + 2 < BINS ? counts[b + 2] : 0;
      smooth[b] = s / 9;
    }
  }

  /** The comb score of the beat period in bin {@code b} (after {@link #prepare}). */
  double score(int b) {
    return comb(b) * prior[b];
  }

  /** The comb score of bin {@code b} without the lean towards the preferred period. */
  private double comb(int b) {
    double s = 0;
    for (int k = 0; k < MULTIPLE_OFFSET.length; k++) {
      int m = b + MULTIPLE_OFFSET[k];
      if (m >= 0 && m < BINS) {
        s += MULTIPLE_WEIGHT[k] * smooth[m];
      }
    }
    return s;
  }

  /**
   * The best beat period (ns) between {@code lo} and {@code hi} (clamped to 40..240 bpm), refined
   * between bins; 0 if the histogram is empty there.
   */
  double best(double lo, double hi) {
    int from = Math.max(firstCandidate, bin(Math.max(lo, MIN_IOI)));
    int to = Math.min(lastCandidate, bin(Math.min(hi, MAX_IOI)));
    int arg = -1;
    double max = 0;
    for (int b = from; b <= to; b++) {
      double s = score(b);
      if (s > max) {
        max = s;
        arg = b;
      }
    }
    if (arg < 0) {
      return 0;
    }
    // A parabola through the peak and its neighbours places it between bins.
    double offset = 0;
    if (arg > from && arg < to) {
      double l = score(arg - 1);
      double r = score(arg + 1);
      double d = l - 2 * max + r;
      offset = d < 0 ? 0.5 * (l - r) / d : 0;
    }
    return MIN_IOI * Math.exp((arg + offset) * LOG_RATIO);
  }

  /** The comb score of beat period {@code p} (ns), after {@link #prepare}; 0 out of range. */
  double scoreAt(double p) {
    int b = bin(p);
    return b >= firstCandidate && b <= lastCandidate ? score(b) : 0;
  }

  /**
   * The comb score of beat period {@code p} (ns) without the lean towards the preferred period,
   * after {@link #prepare}; 0 out of range.
   */
  double evidenceAt(double p) {
    int b = bin(p);
    return b >= firstCandidate && b <= lastCandidate ? comb(b) : 0;
  }

  /** The smoothed count of intervals of {@code ioi} (ns), after {@link #prepare}; 0 out of range. */
  double countAt(double ioi) {
    int b = bin(ioi);
    return b >= 0 && b < BINS ? smooth[b] : 0;
  }

  /** The best beat period over the whole range. */
  double best() {
    return best(MIN_PERIOD, MAX_PERIOD);
  }
}
