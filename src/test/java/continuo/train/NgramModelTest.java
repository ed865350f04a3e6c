package continuo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NgramModelTest {
  static final int V = 388;

  /** A few pieces of a repeated phrase plus random noise, so every order has something to count. */
  static List<int[]> corpus() {
    SplittableRandom rnd = new SplittableRandom(5);
    List<int[]> pieces = new ArrayList<>();
    int[] phrase = {360, 60, 260, 188, 62, 270, 190, 64, 265, 192};
    for (int p = 0; p < 4; p++) {
      int[] piece = new int[phrase.length * 20 + 50];
      for (int i = 0; i < piece.length; i++) {
        piece[i] = i < phrase.length * 20 ? phrase[i % phrase.length] : rnd.nextInt(V);
      }
      pieces.add(piece);
    }
    return pieces;
  }

  @Test
  void probabilitiesSumToOneOverTheVocabularyInSeenAndUnseenContexts() {
    for (int order = 1; order <= 4; order++) {
      NgramModel m = NgramModel.train(order, V, corpus());
      int[][] histories = {
        {360, 60, 260, 0}, // seen context
        {7, 300, 5, 0}, // unseen context
        {60, 0}, // a piece's second token: padded context
        {1, 2, 3, 4, 5, 6, 0},
      };
      for (int[] h : histories) {
        double sum = 0;
        int last = h.length - 1;
        for (int t = 0; t < V; t++) {
          h[last] = t;
          double p = m.probability(h, last);
          assertTrue(p > 0, "order " + order + ": token " + t + " has probability " + p);
          sum += p;
        }
        assertEquals(1.0, sum, 1e-9, "order " + order + ", history " + java.util.Arrays.toString(h));
      }
    }
  }

  @Test
  void aRepeatedSequenceGetsALowNegativeLogLikelihood() {
    NgramModel trigram = NgramModel.train(3, V, corpus());
    NgramModel unigram = NgramModel.train(1, V, corpus());
    int[] phrase = {360, 60, 260, 188, 62, 270, 190, 64, 265, 192};
    int[] test = new int[phrase.length * 10];
    for (int i = 0; i < test.length; i++) {
      test[i] = phrase[i % phrase.length];
    }
    double perEventTrigram = trigram.negLogLikelihood(test) / (test.length - 1);
    double perEventUnigram = unigram.negLogLikelihood(test) / (test.length - 1);
    assertTrue(perEventTrigram < 0.3,
        "the trigram model should predict a phrase it saw 80 times almost surely: " + perEventTrigram);
    assertTrue(perEventUnigram > 1.5, "a unigram model cannot know the order: " + perEventUnigram);
    assertTrue(perEventUnigram < Math.log(V), "but it knows which tokens are common: " + perEventUnigram);
  }

  @Test
  void anUnseenContextBacksOffToTheShorterContext() {
    // 60 is always followed by 260, after many different tokens (100..199), never after 7.
    SplittableRandom rnd = new SplittableRandom(9);
    List<int[]> pieces = new ArrayList<>();
    for (int p = 0; p < 20; p++) {
      int[] piece = new int[60];
      for (int i = 0; i < piece.length; i += 3) {
        piece[i] = 100 + rnd.nextInt(100);
        piece[i + 1] = 60;
        piece[i + 2] = 260;
      }
      pieces.add(piece);
    }
    NgramModel trigram = NgramModel.train(3, V, pieces);
    double seenNext = trigram.probability(new int[] {7, 60, 260}, 2);
    double neverNext = trigram.probability(new int[] {7, 60, 100}, 2);
    assertTrue(seenNext > 0.5, "P(260 | 7, 60) should come from P(260 | 60): " + seenNext);
    assertTrue(neverNext < 0.01, "P(100 | 7, 60) = " + neverNext);
    // With no context known at all, what is left is the unigram level: 60, seen after a hundred
    // different tokens, against a token never seen.
    double afterUnknown = trigram.probability(new int[] {7, 383, 60}, 2);
    double neverSeen = trigram.probability(new int[] {7, 383, 5}, 2);
    assertTrue(afterUnknown > neverSeen,
        "a token seen in training beats one never seen: " + afterUnknown + " vs " + neverSeen);
    assertTrue(neverSeen > 0, "an unseen token still has a probability");
  }

  @Test
  void theFirstTokenOfAPieceIsNotPredicted() {
    NgramModel m = NgramModel.train(3, V, corpus());
    assertEquals(0.0, m.negLogLikelihood(new int[] {42}));
    int[] two = {42, 43};
    assertEquals(-Math.log(m.probability(two, 1)), m.negLogLikelihood(two), 1e-12);
  }

  @Test
  void tokensOutsideTheVocabularyAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> NgramModel.train(3, V, List.of(new int[] {1, 2, V})));
    NgramModel m = NgramModel.train(2, V, corpus());
    assertThrows(IllegalArgumentException.class, () -> m.probability(new int[] {1, -1}, 1));
  }
}
