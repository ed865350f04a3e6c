package continuo.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every per-window array of {@link Network}, sized for one (steps, batch) shape and reused across
 * windows; row {@code t * batch + b} holds step t of stream b. The carried state ({@link #h0},
 * {@link #c0}) lives here too. Used by the training thread and, row by row, by its kernel threads.
 */
final class Workspace {
  final int steps;
  final int batch;
  final int[] tokens;
  final int[] targets;
  final float[] keep;
  final float[] weight;
  final INDArray[] x;
  final INDArray[] gates;
  final INDArray[] hprev;
  final INDArray[] cprev;
  final INDArray[] hs;
  final INDArray[] cs;
  final INDArray[] tanhC;
  final INDArray[] masks;
  final INDArray[] h0;
  final INDArray[] c0;
  final INDArray top;
  final INDArray logits;
  final INDArray dh;
  final INDArray dx0;
  final INDArray dgates;
  final INDArray dhNext;
  final INDArray dcNext;

  Workspace(int steps, int batch, int e, int h, int v, int layers) {
    this.steps = steps;
    this.batch = batch;
    int n = steps * batch;
    tokens = new int[n];
    targets = new int[n];
    keep = new float[n];
    weight = new float[n];
    x = new INDArray[layers];
    gates = new INDArray[layers];
    hprev = new INDArray[layers];
    cprev = new INDArray[layers];
    hs = new INDArray[layers];
    cs = new INDArray[layers];
    tanhC = new INDArray[layers];
    masks = new INDArray[layers];
    h0 = new INDArray[layers];
    c0 = new INDArray[layers];
    for (int k = 0; k < layers; k++) {
      x[k] = matrix(n, k == 0 ? e : h);
      gates[k] = matrix(n, 4 * h);
      hprev[k] = matrix(n, h);
      cprev[k] = matrix(n, h);
      hs[k] = matrix(n, h);
      cs[k] = matrix(n, h);
      tanhC[k] = matrix(n, h);
      masks[k] = matrix(n, h);
      h0[k] = matrix(batch, h);
      c0[k] = matrix(batch, h);
    }
    top = matrix(n, h);
    logits = matrix(n, v);
    dh = matrix(n, h);
    dx0 = matrix(n, e);
    dgates = matrix(n, 4 * h);
    dhNext = matrix(batch, h);
    dcNext = matrix(batch, h);
  }

  private static INDArray matrix(int rows, int cols) {
    return Nd4j.create(DataType.FLOAT, rows, cols);
  }
}
