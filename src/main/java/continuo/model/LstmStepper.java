package continuo.model;

/**
 * Advances an {@link LstmState} by one input token and writes the output logits. This is the inner
 * loop of the live instrument: implementations allocate nothing in {@link #step}, and keep their
 * scratch buffers inside, so one stepper is used by one thread at a time. Several states may share
 * one stepper (e.g. the live state and a look-ahead copy).
 */
public interface LstmStepper extends AutoCloseable {

  ModelConfig config();

  /** A fresh zero state shaped for this model. */
  default LstmState newState() {
    return new LstmState(config().layers(), config().hiddenSize());
  }

  /**
   * Consumes {@code token} (0 <= token < V): updates every layer's (h, c) in {@code state} and
   * writes the V output logits (before softmax) into {@code logits}, which the caller owns.
   */
  void step(LstmState state, int token, float[] logits);

  /** Like {@link #step} but skips the output layer; for feeding history whose logits nobody reads. */
  void advance(LstmState state, int token);

  /**
   * A stepper over the same weights with scratch buffers of its own, for another thread (the
   * weights are read only and shared, not copied), or null when this kind of stepper cannot share
   * them. Allocates; call it off the real-time path.
   */
  default LstmStepper sibling() {
    return null;
  }

  @Override
  default void close() {}
}
