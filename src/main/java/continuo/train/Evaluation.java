package continuo.train;

import continuo.encoding.PerformanceEncoding;
import continuo.model.LstmState;
import continuo.model.LstmStepper;
import continuo.sample.Generator;
import continuo.sample.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures a model on a set of pieces, the way {@code continuo eval} reports it.
 *
 * <p><b>Likelihood.</b> Every piece starts from the zero state. The model is fed tokens
 * t<sub>0</sub>..t<sub>n-2</sub> and after each one its softmax (temperature 1) scores the next
 * token, so t<sub>1</sub>..t<sub>n-1</sub> are predicted and t<sub>0</sub> is not: the vocabulary
 * has no start token, and the zero state has not seen any input yet. The result is the total
 * negative log-likelihood (nats) over all predicted events of all pieces divided by their number,
 * the same events the n-gram baselines are scored on.
 *
 * <p><b>Generated material.</b> For piece i, its first {@code primerSeconds} of events prime the
 * model (from the zero state) and the model continues for {@code generateSeconds} of musical time
 * with seed {@code seed + i}; notes still sounding at the end are closed. The pitch-class
 * histogram of all generated NOTE_ONs is compared with the average histogram of the pieces
 * ({@link PitchStatistics}) as KL(generated || corpus); every generated note is scored under the
 * pieces' note-bigram model given the note before it (the primer's last note for the first one),
 * and the mean log-probability per note is reported.
 *
 * <p>Offline; single-threaded; the stepper is used by this thread only.
 */
public final class Evaluation {
  private Evaluation() {}

  /** How much to generate per piece, and how. */
  public record Settings(
      long seed, double primerSeconds, double generateSeconds, float temperature, float topP) {
    public Settings {
      if (!(primerSeconds > 0) || !(generateSeconds > 0)) {
        throw new IllegalArgumentException("primer and generated lengths must be positive, got "
            + primerSeconds + " and " + generateSeconds);
      }
    }
  }

  /**
   * What {@code eval} reports about the model.
   *
   * @param files pieces evaluated
   * @param events predicted events (each piece's tokens but its first)
   * @param nllPerEvent mean negative log-likelihood per predicted event, nats
   * @param pitchKl KL(generated || corpus average) over 12 pitch classes, nats
   * @param bigramLogprob mean ln P(generated note | previous note) under the pieces' note-bigram
   *     model, or NaN if the model generated no notes
   * @param generatedNotes NOTE_ONs generated over all pieces
   */
  public record Result(
      int files, long events, double nllPerEvent, double pitchKl, double bigramLogprob,
      long generatedNotes) {
    public double perplexity() {
      return Math.exp(nllPerEvent);
    }
  }

  public static Result evaluate(LstmStepper stepper, List<Piece> pieces, Settings settings) {
    if (pieces.isEmpty()) {
      throw new IllegalArgumentException("no pieces to evaluate");
    }
    int vocab = stepper.config().vocabSize();
    LstmState state = stepper.newState();
    float[] logits = new float[vocab];
    double nll = 0;
    long events = 0;
    for (Piece piece : pieces) {
      nll += negLogLikelihood(stepper, state, logits, piece.tokens());
      events += Math.max(0, piece.tokens().length - 1);
    }

    List<int[]> corpus = new ArrayList<>();
    for (Piece piece : pieces) {
      corpus.add(piece.tokens());
    }
    PitchStatistics.NoteBigrams bigrams = new PitchStatistics.NoteBigrams(corpus);
    long[] generatedClasses = new long[PitchStatistics.PITCH_CLASSES];
    double bigramSum = 0;
    long transitions = 0;
    long generatedNotes = 0;
    long primerMillis = Math.round(settings.primerSeconds() * 1000);
    long generateMillis = Math.round(settings.generateSeconds() * 1000);
    for (int i = 0; i < pieces.size(); i++) {
      int[] primer = primer(pieces.get(i).tokens(), primerMillis);
      Generator generator = new Generator(stepper, settings.seed() + i);
      generator.prime(primer);
      int[] continuation = generator.continueFor(generateMillis, settings.temperature(),
          settings.topP(), Generator.maxTokensFor(generateMillis));
      PitchStatistics.countPitchClasses(continuation, generatedClasses);
      int previous = lastPitch(primer);
      for (int token : continuation) {
        if (PerformanceEncoding.isNoteOn(token)) {
          int pitch = PerformanceEncoding.pitch(token);
          if (previous >= 0) {
            bigramSum += bigrams.logProbability(previous, pitch);
            transitions++;
          }
          generatedNotes++;
          previous = pitch;
        }
      }
    }
    double pitchKl = PitchStatistics.klDivergence(
        PitchStatistics.smoothed(generatedClasses), PitchStatistics.averageHistogram(corpus));
    double bigramLogprob = transitions == 0 ? Double.NaN : bigramSum / transitions;
    return new Result(pieces.size(), events, events == 0 ? Double.NaN : nll / events, pitchKl,
        bigramLogprob, generatedNotes);
  }

  /** Mean negative log-likelihood per predicted event of an n-gram model on the same pieces. */
  public static double nllPerEvent(NgramModel model, List<Piece> pieces) {
    double nll = 0;
    long events = 0;
    for (Piece piece : pieces) {
      nll += model.negLogLikelihood(piece.tokens());
      events += Math.max(0, piece.tokens().length - 1);
    }
    return events == 0 ? Double.NaN : nll / events;
  }

  /**
   * Feeds t0..t(n-2) from the zero state and returns the summed -ln P(t(i+1) | t0..ti) in nats.
   */
  public static double negLogLikelihood(
      LstmStepper stepper, LstmState state, float[] logits, int[] tokens) {
    state.reset();
    double nll = 0;
    for (int i = 0; i + 1 < tokens.length; i++) {
      stepper.step(state, tokens[i], logits);
      nll += Sampler.logSumExp(logits) - logits[tokens[i + 1]];
    }
    return nll;
  }

  /**
   * The tokens of the first {@code millis} of a piece: everything up to and including the time
   * shift that reaches it (the whole piece if it is shorter).
   */
  public static int[] primer(int[] tokens, long millis) {
    long clock = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (PerformanceEncoding.isTimeShift(tokens[i])) {
        clock += PerformanceEncoding.shiftMillis(tokens[i]);
        if (clock >= millis) {
          return Arrays.copyOf(tokens, i + 1);
        }
      }
    }
    return tokens.clone();
  }

  private static int lastPitch(int[] tokens) {
    for (int i = tokens.length - 1; i >= 0; i--) {
      if (PerformanceEncoding.isNoteOn(tokens[i])) {
        return PerformanceEncoding.pitch(tokens[i]);
      }
    }
    return -1;
  }
}
