package continuo.midifile;

/** A stable sort of indices by a primitive key, without boxing (files may hold a million events). */
final class StableOrder {
  private StableOrder() {}

  /** The indices 0..n-1 ordered by {@code key}, equal keys in index order. */
  static int[] byKey(long[] key, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    int[] tmp = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          tmp[k++] = key[a[j]] < key[a[i]] ? a[j++] : a[i++];
        }
        while (i < mid) {
          tmp[k++] = a[i++];
        }
        while (j < hi) {
          tmp[k++] = a[j++];
        }
      }
      int[] swap = a;
      a = tmp;
      tmp = swap;
    }
    return a;
  }
}
