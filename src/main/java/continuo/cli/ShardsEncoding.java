package continuo.cli;

import continuo.train.Shards;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code continuo encode --shards}: checks the options and writes a corpus as token shards. */
final class ShardsEncoding {
  private ShardsEncoding() {}

  static int run(Path out, List<Path> corpus, Path file, Path model, double validFraction,
      TempoNormalisation tempo, PrintWriter stdout) throws IOException {
    if (out == null || corpus == null) {
      throw new UserError("--shards OUT and --corpus DIR... go together");
    }
    if (file != null || model != null) {
      throw new UserError("--shards encodes --corpus; give no FILE.mid or --model with it");
    }
    if (!(validFraction >= 0 && validFraction < 1)) {
      throw new UserError("--valid-fraction must be in [0, 1), got " + validFraction);
    }
    for (Path p : corpus) {
      if (!Files.exists(p)) {
        throw new UserError("--corpus " + p + " does not exist");
      }
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UserError("--shards " + out + " is a file, not a directory");
    }
    double bpm = tempo.bpm(corpus);
    Shards.Summary s;
    try {
      s = Shards.write(corpus, validFraction, out, System.err, bpm);
    } catch (IOException e) {
      throw new UserError("--corpus: " + e.getMessage(), e);
    }
    stdout.printf(Locale.ROOT, "wrote %s: %d training pieces (%,d events), %d validation pieces"
            + " (%,d events) in %d shard files%s%s%n", out.resolve(Shards.MANIFEST),
        s.trainPieces(), s.trainEvents(), s.validPieces(), s.validEvents(), s.shardFiles(),
        s.referenceBpm() == null ? "" : String.format(Locale.ROOT, s.tempoNormalised()
            ? ", every piece normalised to %.1f bpm" : ", median tempo %.1f bpm", s.referenceBpm()),
        s.onsetsPerBeat() == null ? "" : String.format(Locale.ROOT, ", %.2f onsets per beat",
            s.onsetsPerBeat()));
    stdout.flush();
    return 0;
  }
}
