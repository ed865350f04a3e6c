package continuo.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cuts a list of pieces into windows for truncated back-propagation through time: the pieces are
 * laid end to end into B parallel streams (each piece whole, streams balanced by length), and
 * window w holds steps w*T .. w*T+T-1 of every stream, so the recurrent state carries from one
 * window to the next. Where a piece starts, its stream's state is reset ({@code keep} = 0) and
 * the token that crosses from the previous piece is not counted ({@code weight} = 0), exactly as
 * if each piece were scored from the zero state.
 */
final class Windows {
  final int[][] inputs;
  final int[][] targets;
  final float[][] keep;
  final float[][] weight;
  private final int[][] streams;
  private final boolean[][] starts;
  private final int steps;
  private final int count;

  /**
   * @param shuffle seeded order of the pieces (null keeps their order)
   * @param transpose largest transposition in semitones applied to each piece at random (0: none)
   * @param stretch largest relative time stretch applied to each piece at random (0: none)
   * @param pad whether the last windows are padded to cover every token (validation) or the
   *     streams are cut to whole windows (training)
   */
  Windows(List<Piece> pieces, int batch, int steps, SplittableRandom shuffle, int transpose,
      double stretch, boolean pad) {
    this.steps = steps;
    List<Piece> order = new ArrayList<>(pieces);
    if (shuffle != null) {
      for (int i = order.size() - 1; i > 0; i--) {
        int j = shuffle.nextInt(i + 1);
        Piece tmp = order.get(i);
        order.set(i, order.get(j));
        order.set(j, tmp);
      }
    }
    int streamCount = Math.max(1, Math.min(batch, order.size()));
    List<List<int[]>> parts = new ArrayList<>();
    long[] lengths = new long[batch];
    for (int b = 0; b < batch; b++) {
      parts.add(new ArrayList<>());
    }
    for (Piece p : order) {
      int best = 0;
      for (int b = 1; b < streamCount; b++) {
        if (lengths[b] < lengths[best]) {
          best = b;
        }
      }
      int[] tokens = p.tokens();
      if (shuffle != null && transpose > 0) {
        tokens = Augment.transposed(tokens, Augment.shift(tokens, transpose, shuffle));
      }
      if (shuffle != null && stretch > 0) {
        tokens = Augment.stretched(tokens, 1 + (shuffle.nextDouble() * 2 - 1) * stretch);
      }
      parts.get(best).add(tokens);
      lengths[best] += tokens.length;
    }
    streams = new int[batch][];
    starts = new boolean[batch][];
    long shortest = Long.MAX_VALUE;
    long longest = 0;
    for (int b = 0; b < streamCount; b++) {
      shortest = Math.min(shortest, lengths[b]);
      longest = Math.max(longest, lengths[b]);
    }
    for (int b = 0; b < batch; b++) {
      int[] s = new int[(int) lengths[b]];
      boolean[] st = new boolean[s.length];
      int at = 0;
      for (int[] piece : parts.get(b)) {
        System.arraycopy(piece, 0, s, at, piece.length);
        st[at] = true;
        at += piece.length;
      }
      streams[b] = s;
      starts[b] = st;
    }
    long usable = pad ? longest : shortest;
    count = order.isEmpty() ? 0 : (int) (pad ? (usable - 1 + steps - 1) / steps : (usable - 1) / steps);
    inputs = new int[steps][batch];
    targets = new int[steps][batch];
    keep = new float[steps][batch];
    weight = new float[steps][batch];
  }

  /** Number of windows. */
  int count() {
    return count;
  }

  /** Number of counted targets over all windows. */
  long countedTargets() {
    long n = 0;
    for (int w = 0; w < count; w++) {
      fill(w);
      for (float[] row : weight) {
        for (float x : row) {
          n += (long) x;
        }
      }
    }
    return n;
  }

  /** Fills {@link #inputs}, {@link #targets}, {@link #keep} and {@link #weight} for window w. */
  void fill(int w) {
    for (int b = 0; b < streams.length; b++) {
      int[] s = streams[b];
      boolean[] st = starts[b];
      for (int t = 0; t < steps; t++) {
        int pos = w * steps + t;
        boolean hasInput = pos < s.length;
        boolean hasTarget = pos + 1 < s.length;
        inputs[t][b] = hasInput ? s[pos] : 0;
        keep[t][b] = hasInput && st[pos] ? 0f : 1f;
        targets[t][b] = hasTarget ? s[pos + 1] : 0;
        weight[t][b] = hasTarget && !st[pos + 1] ? 1f : 0f;
      }
    }
  }
}
