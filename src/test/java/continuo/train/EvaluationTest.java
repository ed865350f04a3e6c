package continuo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.Models;
import continuo.model.RandomModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
  static final int SHIFT_500 = PerformanceEncoding.timeShift(50);
  static final int SHIFT_1000 = PerformanceEncoding.timeShift(100);

  static int[] tune(int root, int bars) {
    int[] t = new int[bars * 9];
    for (int b = 0; b < bars; b++) {
      int p = root + (b % 4) * 2;
      int i = b * 9;
      t[i] = PerformanceEncoding.velocity(20);
      t[i + 1] = PerformanceEncoding.noteOn(p);
      t[i + 2] = SHIFT_500;
      t[i + 3] = PerformanceEncoding.noteOff(p);
      t[i + 4] = PerformanceEncoding.noteOn(p + 4);
      t[i + 5] = SHIFT_500;
      t[i + 6] = PerformanceEncoding.noteOff(p + 4);
      t[i + 7] = PerformanceEncoding.noteOn(p + 7);
      t[i + 8] = PerformanceEncoding.noteOff(p + 7);
    }
    return t;
  }

  @Test
  void thePrimerEndsWithTheTimeShiftThatReachesItsLength() {
    int[] t = {PerformanceEncoding.noteOn(60), SHIFT_500, PerformanceEncoding.noteOff(60),
      SHIFT_1000, PerformanceEncoding.noteOn(62), SHIFT_500};
    assertArrayEquals(new int[] {t[0], t[1]}, Evaluation.primer(t, 500));
    assertArrayEquals(new int[] {t[0], t[1], t[2], t[3]}, Evaluation.primer(t, 501));
    assertArrayEquals(t, Evaluation.primer(t, 60_000), "a short piece primes whole");
  }

  @Test
  void theLikelihoodScoresEveryTokenButTheFirstFromTheZeroState() {
    LstmWeights w = RandomModels.create(8, 16, 2, 3);
    List<Piece> pieces = List.of(new Piece("a", tune(60, 12)), new Piece("b", tune(55, 7)));
    double expected = 0;
    long events = 0;
    try (LstmStepper stepper = Models.candidate("plain", w)) {
      float[] logits = new float[388];
      for (Piece p : pieces) {
        LstmState s = stepper.newState();
        int[] t = p.tokens();
        for (int i = 1; i < t.length; i++) {
          stepper.step(s, t[i - 1], logits);
          double z = 0;
          for (float l : logits) {
            z += Math.exp(l);
          }
          expected -= logits[t[i]] - Math.log(z);
          events++;
        }
      }
    }
    Evaluation.Result r;
    try (LstmStepper stepper = Models.stepper(w)) {
      r = Evaluation.evaluate(stepper, pieces, new Evaluation.Settings(1, 2, 3, 1f, 1f));
    }
    assertEquals(2, r.files());
    assertEquals(events, r.events());
    assertEquals(expected / events, r.nllPerEvent(), 1e-4);
    assertEquals(Math.exp(r.nllPerEvent()), r.perplexity(), 1e-12);
    assertTrue(r.generatedNotes() > 0, "the model generated nothing");
    assertTrue(r.pitchKl() >= 0);
    assertTrue(r.bigramLogprob() < 0);
  }

  @Test
  void theGeneratedMaterialDependsOnlyOnTheSeed() {
    LstmWeights w = RandomModels.create(8, 16, 1, 4);
    List<Piece> pieces = List.of(new Piece("a", tune(60, 12)), new Piece("b", tune(50, 12)));
    Evaluation.Result first;
    Evaluation.Result again;
    Evaluation.Result other;
    try (LstmStepper stepper = Models.stepper(w)) {
      first = Evaluation.evaluate(stepper, pieces, new Evaluation.Settings(7, 2, 5, 1f, 1f));
      again = Evaluation.evaluate(stepper, pieces, new Evaluation.Settings(7, 2, 5, 1f, 1f));
      other = Evaluation.evaluate(stepper, pieces, new Evaluation.Settings(8, 2, 5, 1f, 1f));
    }
    assertEquals(first, again);
    assertEquals(first.nllPerEvent(), other.nllPerEvent());
    assertTrue(first.bigramLogprob() != other.bigramLogprob()
        || first.pitchKl() != other.pitchKl(), "another seed, other music");
  }

  @Test
  void theBaselinesScoreTheSameEventsAsTheModel() {
    List<Piece> training = List.of(new Piece("t1", tune(60, 40)), new Piece("t2", tune(62, 40)));
    List<Piece> test = List.of(new Piece("v", tune(60, 10)));
    NgramModel trigram = NgramModel.train(3, 388, training.stream().map(Piece::tokens).toList());
    double perEvent = Evaluation.nllPerEvent(trigram, test);
    assertEquals(trigram.negLogLikelihood(test.get(0).tokens()) / (test.get(0).tokens().length - 1),
        perEvent, 1e-12);
    assertTrue(perEvent < 0.5, "a tune it has seen is predictable: " + perEvent);
  }
}
