package continuo.model;

/**
 * The element-wise half of an LSTM cell, shared by the steppers: given the fused pre-activations
 * {@code g = [i | f | g | o]} (4H floats, PyTorch gate order), updates (h, c) in place. Uses
 * {@link Math#exp} (a JIT intrinsic) for sigmoid and tanh; {@link Math#tanh} is not intrinsified
 * and costs several times more. Allocation free.
 */
final class Gates {
  private Gates() {}

  static void apply(float[] gates, float[] h, float[] c, int hidden) {
    int f0 = hidden;
    int g0 = 2 * hidden;
    int o0 = 3 * hidden;
    for (int j = 0; j < hidden; j++) {
      float i = sigmoid(gates[j]);
      float f = sigmoid(gates[f0 + j]);
      float g = tanh(gates[g0 + j]);
      float o = sigmoid(gates[o0 + j]);
      float cj = f * c[j] + i * g;
      c[j] = cj;
      h[j] = o * tanh(cj);
    }
  }

  static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  static float tanh(float x) {
    double e = Math.exp(-2.0 * Math.abs(x));
    double t = (1.0 - e) / (1.0 + e);
    return (float) (x < 0 ? -t : t);
  }
}
