package continuo.steer;

/**
 * Key profiles: how strongly each of the 12 scale degrees (tonic first) belongs to a major and a
 * minor key. The estimator correlates what the player played with each profile rotated to each of
 * the 12 tonics (the Krumhansl-Schmuckler method).
 *
 * <ul>
 *   <li>{@link #KRUMHANSL_KESSLER}: probe-tone ratings by listeners (Krumhansl and Kessler 1982).
 *   <li>{@link #TEMPERLEY}: pitch-class frequencies in the Kostka-Payne harmony textbook excerpts
 *       (Temperley 2007, <i>Music and Probability</i>).
 *   <li>{@link #ALBRECHT_SHANAHAN}: duration-weighted pitch-class distributions of a large corpus,
 *       built to treat the minor mode better (Albrecht and Shanahan 2013, <i>Music Perception</i>
 *       31(1)).
 * </ul>
 *
 * Immutable; safe from any thread.
 */
public enum KeyProfile {
  KRUMHANSL_KESSLER(
      new double[] {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88},
      new double[] {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17}),
  TEMPERLEY(
      new double[] {0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057,
          0.400},
      new double[] {0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133,
          0.330}),
  ALBRECHT_SHANAHAN(
      new double[] {0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008,
          0.081},
      new double[] {0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061,
          0.052});

  private final double[] major;
  private final double[] minor;

  KeyProfile(double[] major, double[] minor) {
    this.major = standardised(major);
    this.minor = standardised(minor);
  }

  /** Degree {@code d} (0 = tonic) of the major profile, centred and scaled to unit length. */
  double major(int degree) {
    return major[degree];
  }

  /** Degree {@code d} (0 = tonic) of the minor profile, centred and scaled to unit length. */
  double minor(int degree) {
    return minor[degree];
  }

  /** Centred on its mean and scaled to unit length, so a dot product is a Pearson correlation. */
  private static double[] standardised(double[] profile) {
    double mean = 0;
    for (double p : profile) {
      mean += p / 12;
    }
    double norm = 0;
    double[] out = new double[12];
    for (int i = 0; i < 12; i++) {
      out[i] = profile[i] - mean;
      norm += out[i] * out[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < 12; i++) {
      out[i] /= norm;
    }
    return out;
  }
}
