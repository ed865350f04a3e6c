package continuo.train;

/**
 * The learning rate of each window: a linear warm-up over the first {@code warmup} windows, then
 * either the plateau rate (the base rate, halved by the trainer after each epoch without a better
 * validation NLL) or a cosine decay from the base rate to {@link #COSINE_FLOOR} of it over all the
 * run's windows. Any thread.
 */
public record LearningRate(Schedule schedule, int warmup) {
  /** The cosine schedule ends at this share of the base rate. */
  public static final double COSINE_FLOOR = 0.05;

  /** How the rate falls after the warm-up. */
  public enum Schedule {
    PLATEAU,
    COSINE
  }

  public LearningRate {
    if (warmup < 0) {
      throw new IllegalArgumentException("warm-up must be at least 0 windows, got " + warmup);
    }
  }

  /**
   * @param base the option's rate (cosine) or the current plateau rate
   * @param step windows trained so far in the whole run
   * @param totalSteps windows the whole run will train
   */
  double at(double base, long step, long totalSteps) {
    double warm = warmup > 0 ? Math.min(1.0, (step + 1.0) / warmup) : 1.0;
    if (schedule == Schedule.COSINE) {
      double progress = Math.min(1.0, step / (double) Math.max(1, totalSteps));
      return base * warm * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
    return base * warm;
  }
}
