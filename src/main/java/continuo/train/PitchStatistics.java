package continuo.train;

import continuo.encoding.PerformanceEncoding;
import java.util.List;

/**
 * The two musical statistics of the classic melody-RNN reports, computed on NOTE_ON events:
 *
 * <ul>
 *   <li>a pitch-class histogram (12 classes, so that a short generated passage is compared by its
 *       tonality rather than by the octave it wanders into), smoothed by adding one to every class
 *       count, and the Kullback-Leibler divergence between two such distributions;
 *   <li>a note-bigram model: the probability of a NOTE_ON's pitch given the pitch of the NOTE_ON
 *       before it in the same piece, add-one smoothed over the 128 MIDI pitches.
 * </ul>
 *
 * Pure functions and an immutable bigram table; safe from any thread.
 */
public final class PitchStatistics {
  private PitchStatistics() {}

  public static final int PITCH_CLASSES = 12;

  /** Raw counts of the NOTE_ON pitch classes in {@code tokens}, added to {@code counts}. */
  public static void countPitchClasses(int[] tokens, long[] counts) {
    for (int token : tokens) {
      if (PerformanceEncoding.isNoteOn(token)) {
        counts[PerformanceEncoding.pitch(token) % PITCH_CLASSES]++;
      }
    }
  }

  /** Counts turned into a distribution, with one added to every class (Laplace smoothing). */
  public static double[] smoothed(long[] counts) {
    double total = counts.length;
    for (long c : counts) {
      total += c;
    }
    double[] p = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      p[i] = (counts[i] + 1) / total;
    }
    return p;
  }

  /** The mean of every piece's own smoothed pitch-class distribution: each piece weighs the same. */
  public static double[] averageHistogram(List<int[]> pieces) {
    double[] mean = new double[PITCH_CLASSES];
    if (pieces.isEmpty()) {
      throw new IllegalArgumentException("no pieces to average");
    }
    for (int[] piece : pieces) {
      long[] counts = new long[PITCH_CLASSES];
      countPitchClasses(piece, counts);
      double[] p = smoothed(counts);
      for (int i = 0; i < PITCH_CLASSES; i++) {
        mean[i] += p[i] / pieces.size();
      }
    }
    return mean;
  }

  /** KL(p || q) in nats; both must be distributions over the same classes with q > 0 everywhere. */
  public static double klDivergence(double[] p, double[] q) {
    if (p.length != q.length) {
      throw new IllegalArgumentException("distributions of " + p.length + " and " + q.length + " classes");
    }
    double kl = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        kl += p[i] * Math.log(p[i] / q[i]);
      }
    }
    return kl;
  }

  /** Successive NOTE_ON pitches of a set of pieces, add-one smoothed. */
  public static final class NoteBigrams {
    private final long[] pairs = new long[128 * 128];
    private final long[] firsts = new long[128];

    public NoteBigrams(List<int[]> pieces) {
      for (int[] piece : pieces) {
        int previous = -1;
        for (int token : piece) {
          if (PerformanceEncoding.isNoteOn(token)) {
            int pitch = PerformanceEncoding.pitch(token);
            if (previous >= 0) {
              pairs[previous * 128 + pitch]++;
              firsts[previous]++;
            }
            previous = pitch;
          }
        }
      }
    }

    /** ln P(pitch | the previous NOTE_ON's pitch). */
    public double logProbability(int previous, int pitch) {
      return Math.log((pairs[previous * 128 + pitch] + 1.0) / (firsts[previous] + 128.0));
    }
  }
}
