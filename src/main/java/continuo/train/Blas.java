package continuo.train;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Single-precision matrix products on the OpenBLAS that ND4J loads, called directly: a block of
 * rows of a whole C-order array, by offset and leading dimension, without ND4J's per-call op
 * machinery. The trainer shares the rows of each product out between its own threads, so OpenBLAS
 * runs single-threaded in the caller ({@link #singleThreaded}). Any thread; calls on disjoint
 * output blocks may run at once.
 */
final class Blas {
  private Blas() {}

  /** Makes every OpenBLAS call run on its calling thread only (process-wide). */
  static void singleThreaded() {
    Nd4j.factory().blas().setMaxThreads(1);
  }

  /**
   * C[m x n] = alpha * op(A) * op(B) + beta * C, row-major, where op transposes when asked; each
   * matrix is given as a whole array, the offset of its first element and its row stride.
   */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      INDArray a, long aOffset, int lda, INDArray b, long bOffset, int ldb, float beta,
      INDArray c, long cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
        transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        m, n, k, alpha, at(a, aOffset), lda, at(b, bOffset), ldb, beta, at(c, cOffset), ldc);
  }

  private static FloatPointer at(INDArray a, long offset) {
    if (a.isView() || a.ordering() != 'c') {
      throw new IllegalArgumentException("BLAS products need whole C-order arrays");
    }
    return new FloatPointer(a.data().pointer()).position(offset);
  }
}
