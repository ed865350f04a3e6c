package continuo.train;

import static continuo.train.Floats.LANES;
import static continuo.train.Floats.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The element-wise LSTM cell of one layer over one window, forward and backward, SIMD-wide (the
 * Vector API's EXP and TANH), for a range of streams at one step: what runs between the per-step
 * BLAS products. Gate order (i, f, g, o) as PyTorch. Each call covers a range of streams and a
 * range of hidden units (with their four gates); disjoint ranges are independent, so several
 * threads may run one step at once, each over its own units.
 */
final class Cell {
  private final Workspace w;
  private final int h;
  private final Floats g;
  private final Floats bias;
  private final Floats hp;
  private final Floats cp;
  private final Floats hs;
  private final Floats cs;
  private final Floats tc;
  private final Floats h0;
  private final Floats c0;
  private final Floats mask;
  private final Floats dh;
  private final Floats dg;
  private final Floats dhNext;
  private final Floats dcNext;

  /** The cell of {@code layer}, whose gates' biases (b_ih + b_hh, 4 x hidden) are {@code bias}. */
  Cell(Workspace w, int layer, int hidden, Floats bias) {
    this.w = w;
    this.h = hidden;
    this.bias = bias;
    g = new Floats(w.gates[layer]);
    hp = new Floats(w.hprev[layer]);
    cp = new Floats(w.cprev[layer]);
    hs = new Floats(w.hs[layer]);
    cs = new Floats(w.cs[layer]);
    tc = new Floats(w.tanhC[layer]);
    h0 = new Floats(w.h0[layer]);
    c0 = new Floats(w.c0[layer]);
    mask = new Floats(w.masks[layer]);
    dh = new Floats(w.dh);
    dg = new Floats(w.dgates);
    dhNext = new Floats(w.dhNext);
    dcNext = new Floats(w.dcNext);
  }

  /** Step 0's previous state: the carried state, zeroed for streams that start a piece. */
  void start(int from, int to, int u0, int u1) {
    for (int b = from; b < to; b++) {
      float keep = w.keep[b];
      for (int j = u0; j < u1; j++) {
        hp.put(b * h + j, keep * h0.get(b * h + j));
        cp.put(b * h + j, keep * c0.get(b * h + j));
      }
    }
  }

  /**
   * Step t for streams from..to and units u0..u1, after their gates hold x W_ih' + h W_hh': adds
   * the biases and activates them in place, writes c, tanh(c) and h, and sets step t+1's previous
   * state (or, after the last step, the carried state).
   */
  void forward(int t, int from, int to, int u0, int u1) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int steps = w.steps;
    int batch = w.batch;
    for (int b = from; b < to; b++) {
      int row = t * batch + b;
      int gb = row * 4 * h;
      int hb = row * h;
      boolean last = t + 1 == steps;
      float keepNext = last ? 0f : w.keep[row + batch];
      int next = hb + batch * h;
      int j = u0;
      for (; j + LANES <= u1; j += LANES) {
        FloatVector i = sigmoid(g.vec(gb + j).add(bias.vec(j)), one);
        FloatVector f = sigmoid(g.vec(gb + h + j).add(bias.vec(h + j)), one);
        FloatVector gg = g.vec(gb + 2 * h + j).add(bias.vec(2 * h + j))
            .lanewise(VectorOperators.TANH);
        FloatVector o = sigmoid(g.vec(gb + 3 * h + j).add(bias.vec(3 * h + j)), one);
        g.store(i, gb + j);
        g.store(f, gb + h + j);
        g.store(gg, gb + 2 * h + j);
        g.store(o, gb + 3 * h + j);
        FloatVector c = f.mul(cp.vec(hb + j)).add(i.mul(gg));
        FloatVector th = c.lanewise(VectorOperators.TANH);
        FloatVector hv = o.mul(th);
        cs.store(c, hb + j);
        tc.store(th, hb + j);
        hs.store(hv, hb + j);
        if (last) {
          h0.store(hv, b * h + j);
          c0.store(c, b * h + j);
        } else {
          hp.store(hv.mul(keepNext), next + j);
          cp.store(c.mul(keepNext), next + j);
        }
      }
      for (; j < u1; j++) {
        float i = sigmoid(g.get(gb + j) + bias.get(j));
        float f = sigmoid(g.get(gb + h + j) + bias.get(h + j));
        float gg = (float) Math.tanh(g.get(gb + 2 * h + j) + bias.get(2 * h + j));
        float o = sigmoid(g.get(gb + 3 * h + j) + bias.get(3 * h + j));
        g.put(gb + j, i);
        g.put(gb + h + j, f);
        g.put(gb + 2 * h + j, gg);
        g.put(gb + 3 * h + j, o);
        float c = f * cp.get(hb + j) + i * gg;
        float th = (float) Math.tanh(c);
        cs.put(hb + j, c);
        tc.put(hb + j, th);
        hs.put(hb + j, o * th);
        if (last) {
          h0.put(b * h + j, o * th);
          c0.put(b * h + j, c);
        } else {
          hp.put(next + j, o * th * keepNext);
          cp.put(next + j, c * keepNext);
        }
      }
    }
  }

  /**
   * The gate gradients of step t for streams from..to and units u0..u1, from the loss gradient at
   * this layer's (dropped-out) output and the gradient carried back from step t+1; sets the cell
   * gradient carried to step t-1. The caller then multiplies the gate gradients by W_hh into
   * dhNext.
   */
  void backward(int t, int from, int to, int u0, int u1) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int steps = w.steps;
    int batch = w.batch;
    for (int b = from; b < to; b++) {
      int row = t * batch + b;
      int gb = row * 4 * h;
      int hb = row * h;
      int sb = b * h;
      // dhNext holds the raw product from step t+1, whose state was zeroed where it starts a piece.
      float keepNext = t + 1 < steps ? w.keep[row + batch] : 0f;
      float keep = w.keep[row];
      int j = u0;
      for (; j + LANES <= u1; j += LANES) {
        FloatVector i = g.vec(gb + j);
        FloatVector f = g.vec(gb + h + j);
        FloatVector gg = g.vec(gb + 2 * h + j);
        FloatVector o = g.vec(gb + 3 * h + j);
        FloatVector th = tc.vec(hb + j);
        FloatVector dhv = dh.vec(hb + j).mul(mask.vec(hb + j)).add(dhNext.vec(sb + j).mul(keepNext));
        FloatVector dc = dcNext.vec(sb + j).add(dhv.mul(o).mul(one.sub(th.mul(th))));
        dg.store(dc.mul(gg).mul(i).mul(one.sub(i)), gb + j);
        dg.store(dc.mul(cp.vec(hb + j)).mul(f).mul(one.sub(f)), gb + h + j);
        dg.store(dc.mul(i).mul(one.sub(gg.mul(gg))), gb + 2 * h + j);
        dg.store(dhv.mul(th).mul(o).mul(one.sub(o)), gb + 3 * h + j);
        dcNext.store(dc.mul(f).mul(keep), sb + j);
      }
      for (; j < u1; j++) {
        float i = g.get(gb + j);
        float f = g.get(gb + h + j);
        float gg = g.get(gb + 2 * h + j);
        float o = g.get(gb + 3 * h + j);
        float th = tc.get(hb + j);
        float dhv = dh.get(hb + j) * mask.get(hb + j) + dhNext.get(sb + j) * keepNext;
        float dc = dcNext.get(sb + j) + dhv * o * (1 - th * th);
        dg.put(gb + j, dc * gg * i * (1 - i));
        dg.put(gb + h + j, dc * cp.get(hb + j) * f * (1 - f));
        dg.put(gb + 2 * h + j, dc * i * (1 - gg * gg));
        dg.put(gb + 3 * h + j, dhv * th * o * (1 - o));
        dcNext.put(sb + j, keep * dc * f);
      }
    }
  }

  private static FloatVector sigmoid(FloatVector x, FloatVector one) {
    return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
  }

  private static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }
}
