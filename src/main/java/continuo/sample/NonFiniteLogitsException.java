package continuo.sample;

/**
 * A model's scores stopped being finite numbers (NaN or infinity), typically because its weights
 * are so large that the arithmetic overflows. Nothing sampled from such scores means anything, so
 * generation stops rather than writing notes of pitch 0. The message is one sentence for the user.
 */
public final class NonFiniteLogitsException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final String problem;

  public NonFiniteLogitsException(String model, int tokensGenerated) {
    this(model, "gives scores that are not finite numbers (NaN or infinity) after "
        + tokensGenerated + " generated events: its weights are too large to use");
  }

  private NonFiniteLogitsException(String model, String problem) {
    super("model " + model + " " + problem);
    this.problem = problem;
  }

  /** What is wrong, without the model's name: to follow the name the user knows it by. */
  public String problem() {
    return problem;
  }
}
