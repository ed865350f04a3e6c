package continuo.model;

/**
 * The weights of an {@code Embedding -> LSTM(L layers) -> Linear} model, exactly as PyTorch lays
 * them out: row-major float32, gate order (i, f, g, o) along the 4H rows.
 *
 * <ul>
 *   <li>{@code embedding} [V*E], or null when E = 0 (one-hot input)
 *   <li>{@code weightIh[k]} [4H*in], {@code weightHh[k]} [4H*H], {@code biasIh[k]}, {@code
 *       biasHh[k]} [4H], for layer k; in = E (or V) for k = 0, H otherwise
 *   <li>{@code outputWeight} [V*H], {@code outputBias} [V]
 * </ul>
 *
 * The arrays are owned by this object once constructed and must not be modified afterwards: a
 * stepper may share them between threads.
 */
public record LstmWeights(
    ModelConfig config,
    float[] embedding,
    float[][] weightIh,
    float[][] weightHh,
    float[][] biasIh,
    float[][] biasHh,
    float[] outputWeight,
    float[] outputBias) {

  public LstmWeights {
    int v = config.vocabSize();
    int e = config.embeddingSize();
    int h = config.hiddenSize();
    int l = config.layers();
    if (v <= 0 || e < 0 || h <= 0 || l <= 0) {
      throw new IllegalArgumentException(
          "bad architecture: V=" + v + " E=" + e + " H=" + h + " L=" + l);
    }
    if (e == 0 ? embedding != null : embedding == null || embedding.length != v * e) {
      throw new IllegalArgumentException("embedding must be [" + v + "*" + e + "]");
    }
    if (weightIh.length != l || weightHh.length != l || biasIh.length != l || biasHh.length != l) {
      throw new IllegalArgumentException("expected " + l + " layers of LSTM weights");
    }
    for (int k = 0; k < l; k++) {
      int in = k == 0 ? config.inputSize() : h;
      check("lstm.weight_ih_l" + k, weightIh[k], 4 * h * in);
      check("lstm.weight_hh_l" + k, weightHh[k], 4 * h * h);
      check("lstm.bias_ih_l" + k, biasIh[k], 4 * h);
      check("lstm.bias_hh_l" + k, biasHh[k], 4 * h);
    }
    check("output.weight", outputWeight, v * h);
    check("output.bias", outputBias, v);
  }

  /** Number of float parameters. */
  public long parameterCount() {
    long n = (embedding == null ? 0 : embedding.length) + outputWeight.length + outputBias.length;
    for (int k = 0; k < weightIh.length; k++) {
      n += weightIh[k].length + weightHh[k].length + biasIh[k].length + biasHh[k].length;
    }
    return n;
  }

  private static void check(String name, float[] a, int expected) {
    if (a == null || a.length != expected) {
      throw new IllegalArgumentException(
          name + " must have " + expected + " values, got " + (a == null ? "none" : a.length));
    }
  }
}
