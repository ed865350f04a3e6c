package continuo.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step-by-step part of one LSTM layer over a window, forward and back: each step's product
 * with W_hh and the {@link Cell}, on the network's threads. From {@link #SHARE_UNITS_FROM} hidden
 * units on, each thread takes its own units (their columns of each step's product for every
 * stream, then their cell), and the threads meet once per step, since the next step's product
 * needs every unit's output: each product stays as tall as the batch, where OpenBLAS is most
 * efficient (on one thread here, 64 rows by 1024 columns take 300 us, 32 rows 203 us, 64 rows by
 * each of two threads' 4 x 128 columns 159 us), and each thread reads only its units' rows of
 * W_hh. Below that, a step's work is too small to pay for the meetings, and each thread runs its
 * own streams through the window without waiting for the others.
 */
final class Recurrence {
  /** From this many hidden units on, the threads share out units rather than streams. */
  static final int SHARE_UNITS_FROM = 128;

  private final Parallel parallel;
  private final int h;
  private final int shareUnitsFrom;

  Recurrence(Parallel parallel, int hidden, int shareUnitsFrom) {
    this.parallel = parallel;
    this.h = hidden;
    this.shareUnitsFrom = shareUnitsFrom;
  }

  /**
   * Runs the layer through the window: the gates already hold every step's input product; each
   * step adds its product with {@code whh} and runs the cell.
   */
  void forward(Workspace w, int k, INDArray whh, Cell cell) {
    int g4 = 4 * h;
    int batch = w.batch;
    INDArray gates = w.gates[k];
    if (h < shareUnitsFrom) {
      parallel.forRows(batch, (from, to) -> {
        cell.start(from, to, 0, h);
        for (int t = 0; t < w.steps; t++) {
          long row = (long) t * batch + from;
          Blas.gemm(false, true, to - from, g4, h, 1f, w.hprev[k], row * h, h, whh, 0, h, 1f,
              gates, row * g4, g4);
          cell.forward(t, from, to, 0, h);
        }
      });
      return;
    }
    parallel.together(unitParts(), (part, parts, barrier) -> {
      int u0 = unitBoundary(part, parts);
      int u1 = unitBoundary(part + 1, parts);
      cell.start(0, batch, u0, u1);
      barrier.await();
      for (int t = 0; t < w.steps; t++) {
        long row = (long) t * batch;
        if (u1 - u0 == h) {
          Blas.gemm(false, true, batch, g4, h, 1f, w.hprev[k], row * h, h, whh, 0, h, 1f,
              gates, row * g4, g4);
        } else {
          for (int q = 0; q < 4; q++) {
            Blas.gemm(false, true, batch, u1 - u0, h, 1f, w.hprev[k], row * h, h, whh,
                (long) (q * h + u0) * h, h, 1f, gates, row * g4 + q * h + u0, g4);
          }
        }
        cell.forward(t, 0, batch, u0, u1);
        barrier.await();
      }
    });
  }

  /**
   * Runs the layer back through the window into {@code w.dgates}: at each step the cell, then the
   * product of the step's gate gradients with {@code whh} for the step before.
   */
  void backward(Workspace w, INDArray whh, Cell cell) {
    int g4 = 4 * h;
    int batch = w.batch;
    Floats dhNext = new Floats(w.dhNext);
    Floats dcNext = new Floats(w.dcNext);
    if (h < shareUnitsFrom) {
      parallel.forRows(batch, (from, to) -> {
        Kernels.zero(dhNext, from * h, to * h);
        Kernels.zero(dcNext, from * h, to * h);
        for (int t = w.steps - 1; t >= 0; t--) {
          cell.backward(t, from, to, 0, h);
          Blas.gemm(false, false, to - from, h, g4, 1f, w.dgates,
              ((long) t * batch + from) * g4, g4, whh, 0, h, 0f, w.dhNext, (long) from * h, h);
        }
      });
      return;
    }
    parallel.together(unitParts(), (part, parts, barrier) -> {
      int u0 = unitBoundary(part, parts);
      int u1 = unitBoundary(part + 1, parts);
      for (int b = 0; b < batch; b++) {
        Kernels.zero(dhNext, b * h + u0, b * h + u1);
        Kernels.zero(dcNext, b * h + u0, b * h + u1);
      }
      for (int t = w.steps - 1; t >= 0; t--) {
        cell.backward(t, 0, batch, u0, u1);
        barrier.await();
        Blas.gemm(false, false, batch, u1 - u0, g4, 1f, w.dgates, (long) t * batch * g4, g4,
            whh, u0, h, 0f, w.dhNext, u0, h);
      }
    });
  }

  /** How many threads share out the hidden units: one per thread, at most one per unit. */
  private int unitParts() {
    return Math.min(parallel.threads(), h);
  }

  /**
   * Where part {@code part} of {@code parts} of the hidden units starts: on a multiple of the SIMD
   * width when every part can have one, else anywhere.
   */
  private int unitBoundary(int part, int parts) {
    if (part == parts) {
      return h;
    }
    int lanes = Floats.LANES;
    return h >= lanes * parts ? (h / lanes) * part / parts * lanes : h * part / parts;
  }
}
