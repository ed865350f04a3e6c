package continuo.model;

/**
 * The recurrent state of an LSTM: (h, c) for every layer. Snapshot and restore are a copy of
 * 2 x L x H floats, allocation free. Owned by one thread (the one stepping it).
 */
public final class LstmState {
  private final float[][] h;
  private final float[][] c;

  public LstmState(int layers, int hiddenSize) {
    h = new float[layers][hiddenSize];
    c = new float[layers][hiddenSize];
  }

  public int layers() {
    return h.length;
  }

  public int hiddenSize() {
    return h[0].length;
  }

  /** Hidden state of layer k; the stepper writes it in place. */
  public float[] h(int layer) {
    return h[layer];
  }

  /** Cell state of layer k; the stepper writes it in place. */
  public float[] c(int layer) {
    return c[layer];
  }

  /** Back to the zero state. */
  public void reset() {
    for (int k = 0; k < h.length; k++) {
      java.util.Arrays.fill(h[k], 0f);
      java.util.Arrays.fill(c[k], 0f);
    }
  }

  /** Makes this state equal to {@code other} (same shape); used for snapshot and roll-back. */
  public void copyFrom(LstmState other) {
    if (other.h.length != h.length || other.hiddenSize() != hiddenSize()) {
      throw new IllegalArgumentException(
          "state shape " + other.layers() + "x" + other.hiddenSize() + " does not match "
              + layers() + "x" + hiddenSize());
    }
    for (int k = 0; k < h.length; k++) {
      System.arraycopy(other.h[k], 0, h[k], 0, h[k].length);
      System.arraycopy(other.c[k], 0, c[k], 0, c[k].length);
    }
  }
}
