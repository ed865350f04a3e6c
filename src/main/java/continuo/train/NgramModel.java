package continuo.train;

import org.agrona.collections.Long2LongHashMap;

/**
 * An interpolated Kneser-Ney n-gram model over event tokens: the baseline a neural model has to
 * beat. The highest order uses raw counts, every lower order uses continuation counts (in how many
 * distinct contexts a shorter n-gram was seen), each order is discounted by its own absolute
 * discount {@code D = n1 / (n1 + 2 n2)} (Ney's estimate from the counts of n-grams seen once and
 * twice, kept in [0.1, 1]), and the freed mass goes to the next lower order, down to the uniform
 * distribution over the vocabulary. A context never seen in training therefore falls back to the
 * lower orders unchanged, and every token has a probability above zero.
 *
 * <p>Each piece is modelled on its own: the context before the first token is padded with a
 * begin-of-piece symbol, and the first token of a piece is not predicted (as with the LSTM, which
 * also starts from nothing). Order 1 is a discounted unigram model. Immutable once trained; safe to
 * share between threads.
 */
public final class NgramModel {
  private final int order;
  private final int vocabSize;
  /** The begin-of-piece symbol, only ever in contexts. */
  private final int bos;
  /** Alphabet size for key encoding: the vocabulary plus the begin-of-piece symbol. */
  private final long base;
  /** Per order k (index k - 1): n-gram of length k -> count (raw at the top, continuation below). */
  private final Long2LongHashMap[] counts;
  /** Per order: context of length k - 1 -> sum of the counts of its n-grams. */
  private final Long2LongHashMap[] contextTotals;
  /** Per order: context -> number of distinct tokens seen after it. */
  private final Long2LongHashMap[] contextTypes;
  private final double[] discounts;

  private NgramModel(int order, int vocabSize) {
    this.order = order;
    this.vocabSize = vocabSize;
    this.bos = vocabSize;
    this.base = vocabSize + 1L;
    this.counts = new Long2LongHashMap[order];
    this.contextTotals = new Long2LongHashMap[order];
    this.contextTypes = new Long2LongHashMap[order];
    this.discounts = new double[order];
    for (int k = 0; k < order; k++) {
      counts[k] = new Long2LongHashMap(0);
      contextTotals[k] = new Long2LongHashMap(0);
      contextTypes[k] = new Long2LongHashMap(0);
    }
  }

  /**
   * Trains a model of the given order on {@code pieces}.
   *
   * @param order n, 1 (unigram) to 5
   * @param vocabSize V; every token must be in 0..V-1
   */
  public static NgramModel train(int order, int vocabSize, Iterable<int[]> pieces) {
    if (order < 1 || order > 5) {
      throw new IllegalArgumentException("n-gram order must be 1..5, got " + order);
    }
    if (vocabSize < 1 || vocabSize > 1 << 16) {
      throw new IllegalArgumentException("vocabulary size must be 1..65536, got " + vocabSize);
    }
    if (Math.pow(vocabSize + 1.0, order) >= 0x1p62) {
      throw new IllegalArgumentException(
          "order " + order + " over " + vocabSize + " tokens is too large to index n-grams");
    }
    NgramModel m = new NgramModel(order, vocabSize);
    Long2LongHashMap top = m.counts[order - 1];
    for (int[] piece : pieces) {
      for (int i = 1; i < piece.length; i++) {
        m.check(piece[i]);
        top.put(m.key(piece, i, order), top.get(m.key(piece, i, order)) + 1);
      }
      if (piece.length > 0) {
        m.check(piece[0]);
      }
    }
    // Continuation counts: a shorter n-gram counts once for every distinct token seen before it.
    for (int k = order - 1; k >= 1; k--) {
      Long2LongHashMap longer = m.counts[k];
      Long2LongHashMap shorter = m.counts[k - 1];
      long suffixMod = m.power(k);
      longer.longForEach((key, count) -> shorter.put(key % suffixMod, shorter.get(key % suffixMod) + 1));
    }
    for (int k = 0; k < order; k++) {
      Long2LongHashMap totals = m.contextTotals[k];
      Long2LongHashMap types = m.contextTypes[k];
      long[] ofOne = new long[1];
      long[] ofTwo = new long[1];
      m.counts[k].longForEach((key, count) -> {
        long context = key / m.base;
        totals.put(context, totals.get(context) + count);
        types.put(context, types.get(context) + 1);
        if (count == 1) {
          ofOne[0]++;
        } else if (count == 2) {
          ofTwo[0]++;
        }
      });
      double d = ofOne[0] + 2 * ofTwo[0] == 0 ? 0.5 : (double) ofOne[0] / (ofOne[0] + 2 * ofTwo[0]);
      m.discounts[k] = Math.max(0.1, Math.min(1.0, d));
    }
    return m;
  }

  public int order() {
    return order;
  }

  public int vocabSize() {
    return vocabSize;
  }

  /** The absolute discount used at order {@code k} (1..n). */
  public double discount(int k) {
    return discounts[k - 1];
  }

  /**
   * P(piece[i] | the tokens of the piece before i), with the context cut to n - 1 tokens and padded
   * with the begin-of-piece symbol. {@code piece[i]} itself is the token asked about.
   */
  public double probability(int[] piece, int i) {
    if (i < 0 || i >= piece.length) {
      throw new IllegalArgumentException("position " + i + " is outside a piece of " + piece.length);
    }
    int token = piece[i];
    check(token);
    double p = 1.0 / vocabSize;
    for (int k = 1; k <= order; k++) {
      long ngram = key(piece, i, k);
      long context = ngram / base;
      long total = contextTotals[k - 1].get(context);
      if (total == 0) {
        continue;
      }
      double d = discounts[k - 1];
      long c = counts[k - 1].get(ngram);
      long types = contextTypes[k - 1].get(context);
      p = Math.max(c - d, 0.0) / total + d * types / total * p;
    }
    return p;
  }

  /** -ln P of every token of the piece but the first, summed (nats). */
  public double negLogLikelihood(int[] piece) {
    double nll = 0;
    for (int i = 1; i < piece.length; i++) {
      nll -= Math.log(probability(piece, i));
    }
    return nll;
  }

  /** The n-gram of length k ending at position i, as a number in base V + 1 (padded with BOS). */
  private long key(int[] piece, int i, int k) {
    long key = 0;
    for (int j = i - k + 1; j <= i; j++) {
      key = key * base + (j < 0 ? bos : piece[j]);
    }
    return key;
  }

  private long power(int k) {
    long p = 1;
    for (int j = 0; j < k; j++) {
      p *= base;
    }
    return p;
  }

  private void check(int token) {
    if (token < 0 || token >= vocabSize) {
      throw new IllegalArgumentException("token " + token + " is outside the vocabulary 0.." + (vocabSize - 1));
    }
  }
}
