package continuo.engine;

/**
 * Draws the next token from a model's logits; owned by the engine thread, allocation free.
 * continuo.sample.Sampler fits this shape ({@code sampler::sample}).
 */
@FunctionalInterface
public interface TokenSampler {
  int sample(float[] logits, float temperature, float topP);
}
