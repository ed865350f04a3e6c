package continuo.testkit;

import continuo.engine.TokenSampler;

/** Picks the most likely token and remembers the temperature it was asked for. */
public final class ArgmaxSampler implements TokenSampler {
  public volatile float lastTemperature = Float.NaN;

  @Override
  public int sample(float[] logits, float temperature, float topP) {
    lastTemperature = temperature;
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
