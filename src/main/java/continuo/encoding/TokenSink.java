package continuo.encoding;

/** Receives tokens one at a time as an {@link IncrementalEncoder} emits them, in stream order. */
@FunctionalInterface
public interface TokenSink {
  void token(int token);
}
