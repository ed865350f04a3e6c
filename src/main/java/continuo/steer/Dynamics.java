package continuo.steer;

import continuo.encoding.PerformanceEncoding;

/**
 * The velocity an answer's note is played at, from the model's VELOCITY token under a preset's
 * {@code velocity} mode: {@code "model"} plays the model's velocity, {@code "follow"} the player's
 * recent loudness ({@link VelocityFollower}; the model's own until the player has played), a
 * number 1..127 always that velocity. {@code velocity_scale} multiplies the model's and the
 * followed velocity (not a fixed one). The model is still fed its own VELOCITY token: only what is
 * sent out changes.
 *
 * <p>Single writer: the thread that turns tokens into MIDI calls {@link #outputVelocity}. Allocation
 * free.
 */
public final class Dynamics {
  /** Where the answer's loudness comes from. */
  public enum Mode { MODEL, FOLLOW, FIXED }

  private final Mode mode;
  private final int fixed;
  private final double scale;
  private final VelocityFollower follower;

  private Dynamics(Mode mode, int fixed, double scale, VelocityFollower follower) {
    if (!(scale > 0 && scale <= 4)) {
      throw new IllegalArgumentException("velocity_scale must be in (0, 4], got " + scale);
    }
    this.mode = mode;
    this.fixed = fixed;
    this.scale = scale;
    this.follower = follower;
  }

  public static Dynamics model(double scale) {
    return new Dynamics(Mode.MODEL, 0, scale, null);
  }

  public static Dynamics follow(VelocityFollower follower, double scale) {
    return new Dynamics(Mode.FOLLOW, 0, scale, follower);
  }

  public static Dynamics fixed(int velocity) {
    if (velocity < 1 || velocity > 127) {
      throw new IllegalArgumentException("a fixed velocity must be 1..127, got " + velocity);
    }
    return new Dynamics(Mode.FIXED, velocity, 1, null);
  }

  /**
   * A preset's {@code velocity} value: "model", "follow" or a number 1..127.
   *
   * @throws IllegalArgumentException one line naming the value and what was expected
   */
  public static Dynamics parse(String text, double scale, VelocityFollower follower) {
    String t = text == null ? "" : text.trim();
    if (t.equals("model")) {
      return model(scale);
    }
    if (t.equals("follow")) {
      return follow(follower, scale);
    }
    try {
      return fixed(Integer.parseInt(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "velocity must be \"model\", \"follow\" or a number 1..127, got \"" + text + "\"");
    }
  }

  public Mode mode() {
    return mode;
  }

  /** The MIDI velocity (1..127) to send for a note whose last VELOCITY token was {@code token}. */
  public int outputVelocity(int token) {
    int model = PerformanceEncoding.velocityOfBin(PerformanceEncoding.velocityBin(token));
    double v = switch (mode) {
      case MODEL -> model * scale;
      case FOLLOW -> (follower.heard() ? follower.velocity() : model) * scale;
      case FIXED -> fixed;
    };
    return (int) Math.max(1, Math.min(127, Math.round(v)));
  }
}
