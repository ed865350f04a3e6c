package continuo.model;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The read sweep of {@link Bandwidth} with explicit SIMD loads; only loaded when the module is present. */
final class VectorSweep {
  private VectorSweep() {}

  private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;

  static long sweep(int[] a, int repeats) {
    int n = S.length();
    long total = 0;
    for (int r = 0; r < repeats; r++) {
      IntVector s0 = IntVector.zero(S);
      IntVector s1 = IntVector.zero(S);
      IntVector s2 = IntVector.zero(S);
      IntVector s3 = IntVector.zero(S);
      int i = 0;
      for (; i + 4 * n <= a.length; i += 4 * n) {
        s0 = s0.add(IntVector.fromArray(S, a, i));
        s1 = s1.add(IntVector.fromArray(S, a, i + n));
        s2 = s2.add(IntVector.fromArray(S, a, i + 2 * n));
        s3 = s3.add(IntVector.fromArray(S, a, i + 3 * n));
      }
      int s = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
      for (; i < a.length; i++) {
        s += a[i];
      }
      total += s;
    }
    return total;
  }
}
