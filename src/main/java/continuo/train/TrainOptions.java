package continuo.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code continuo train} was asked to do. The architecture fields are ignored when
 * resuming: a checkpoint carries its own.
 *
 * @param corpusNames the corpus sources as given, for the model's provenance
 * @param out the model file the best weights are written to
 * @param schedule warm-up and decay of the learning rate {@code lr}
 * @param stretch largest random time stretch of a piece, e.g. 0.1 for +-10% (0: none)
 * @param threads threads for the matrix products and the element-wise kernels
 * @param resume checkpoint to resume from, or null
 * @param referenceBpm the corpus's median tempo, written as the model's {@code reference_bpm}
 *     (NaN: not known, not written)
 * @param onsetsPerBeat the corpus's median distinct onsets per beat, written as the model's {@code
 *     onsets_per_beat} (NaN: not known, not written)
 * @param tempoNormalised whether every piece was placed at {@code referenceBpm} through its own
 *     tempo map before it was encoded (stated in the model's training section)
 */
public record TrainOptions(
    List<String> corpusNames,
    Path out,
    String name,
    String description,
    int embedding,
    int hidden,
    int layers,
    int seqLen,
    int batch,
    int epochs,
    double lr,
    double dropout,
    double clip,
    int transpose,
    long seed,
    double validFraction,
    LearningRate schedule,
    double stretch,
    int threads,
    Path resume,
    double referenceBpm,
    double onsetsPerBeat,
    boolean tempoNormalised) {

  /** Options for a model whose reference tempo is not known (none is written). */
  public TrainOptions(List<String> corpusNames, Path out, String name, String description,
      int embedding, int hidden, int layers, int seqLen, int batch, int epochs, double lr,
      double dropout, double clip, int transpose, long seed, double validFraction,
      LearningRate schedule, double stretch, int threads, Path resume) {
    this(corpusNames, out, name, description, embedding, hidden, layers, seqLen, batch, epochs, lr,
        dropout, clip, transpose, seed, validFraction, schedule, stretch, threads, resume,
        Double.NaN, Double.NaN, false);
  }

  /** Options for a model whose reference tempo may be known but not its onsets per beat. */
  public TrainOptions(List<String> corpusNames, Path out, String name, String description,
      int embedding, int hidden, int layers, int seqLen, int batch, int epochs, double lr,
      double dropout, double clip, int transpose, long seed, double validFraction,
      LearningRate schedule, double stretch, int threads, Path resume, double referenceBpm) {
    this(corpusNames, out, name, description, embedding, hidden, layers, seqLen, batch, epochs, lr,
        dropout, clip, transpose, seed, validFraction, schedule, stretch, threads, resume,
        referenceBpm, Double.NaN, false);
  }

  /** Options for pieces encoded as written (not normalised to the reference tempo). */
  public TrainOptions(List<String> corpusNames, Path out, String name, String description,
      int embedding, int hidden, int layers, int seqLen, int batch, int epochs, double lr,
      double dropout, double clip, int transpose, long seed, double validFraction,
      LearningRate schedule, double stretch, int threads, Path resume, double referenceBpm,
      double onsetsPerBeat) {
    this(corpusNames, out, name, description, embedding, hidden, layers, seqLen, batch, epochs, lr,
        dropout, clip, transpose, seed, validFraction, schedule, stretch, threads, resume,
        referenceBpm, onsetsPerBeat, false);
  }

  /** {@code NAME.ckpt} beside {@code NAME.cmodel}. */
  public Path checkpointPath() {
    return sibling(".ckpt");
  }

  /** {@code NAME.loss.png} beside {@code NAME.cmodel}. */
  public Path plotPath() {
    return sibling(".loss.png");
  }

  private Path sibling(String suffix) {
    String file = out.getFileName().toString();
    String stem = file.endsWith(".cmodel") ? file.substring(0, file.length() - 7) : file;
    return out.resolveSibling(stem + suffix);
  }
}
