package continuo.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import continuo.encoding.PerformanceEncoding;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A corpus encoded once as token shards, for {@code continuo train --shards} and {@code
 * scripts/train_torch.py}: per split, {@code SPLIT-NNNN.npy} (tokens, {@code int16}) and {@code
 * SPLIT-NNNN.starts.npy} (each piece's start offset, {@code int64}), described by {@code
 * manifest.json} (encoding, split rule, files in shard order, counts and, when the files' tempo
 * maps give one, the corpus's median tempo as {@code reference_bpm} (or, with the pieces
 * normalised to a tempo, that tempo, and {@code "tempo_normalised": true}), and its median distinct
 * onsets per beat as {@code onsets_per_beat}, see {@link OnsetDensity}). The split is {@link
 * Corpus#split}'s, so a shard directory trains exactly what {@code --corpus} trains. Offline; any
 * thread.
 */
public final class Shards {
  public static final String MANIFEST = "manifest.json";
  public static final String FORMAT = "continuo-shards";
  /** Tokens per shard file at most (32 MB of int16). */
  static final int SHARD_TOKENS = 1 << 24;
  private static final int MAX_SHARDS = 4096;
  private static final long MAX_MANIFEST_BYTES = 256L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Shards() {}

  /** What a shard directory holds. */
  public record Loaded(Corpus train, Corpus valid, List<String> sources, double validFraction,
      Double referenceBpm, Double onsetsPerBeat, boolean tempoNormalised) {}

  /** Counts of what {@link #write} wrote. */
  public record Summary(int trainPieces, long trainEvents, int validPieces, long validEvents,
      int shardFiles, Double referenceBpm, Double onsetsPerBeat, boolean tempoNormalised) {}

  /**
   * Encodes {@code sources} like {@code train --corpus} and writes the shards and manifest into
   * {@code dir} (created if missing; an existing manifest there is replaced).
   */
  public static Summary write(List<Path> sources, double validFraction, Path dir,
      java.io.PrintStream warnings) throws IOException {
    return write(sources, validFraction, dir, warnings, Double.NaN, SHARD_TOKENS);
  }

  /**
   * {@link #write(List, double, Path, java.io.PrintStream)} with every piece normalised to {@code
   * normaliseBpm} through its tempo map ({@link Corpus#load(List, java.io.PrintStream, double)}),
   * which the manifest then states as its {@code reference_bpm} with {@code "tempo_normalised":
   * true} (and the corpus's own median tempo as {@code corpus_median_bpm}); NaN: as written.
   */
  public static Summary write(List<Path> sources, double validFraction, Path dir,
      java.io.PrintStream warnings, double normaliseBpm) throws IOException {
    return write(sources, validFraction, dir, warnings, normaliseBpm, SHARD_TOKENS);
  }

  static Summary write(List<Path> sources, double validFraction, Path dir,
      java.io.PrintStream warnings, int shardTokens) throws IOException {
    return write(sources, validFraction, dir, warnings, Double.NaN, shardTokens);
  }

  private static Summary write(List<Path> sources, double validFraction, Path dir,
      java.io.PrintStream warnings, double normaliseBpm, int shardTokens) throws IOException {
    boolean normalised = !Double.isNaN(normaliseBpm);
    Corpus all = Corpus.load(sources, warnings, normaliseBpm);
    if (all.pieces().isEmpty()) {
      throw new IOException("the corpus holds no readable music");
    }
    Double median = TempoMaps.medianBpm(sources);
    Double bpm = normalised ? Double.valueOf(normaliseBpm) : median;
    Double density = OnsetDensity.medianOnsetsPerBeat(sources);
    Files.createDirectories(dir);
    ObjectNode m = JSON.createObjectNode();
    m.put("format", FORMAT);
    m.put("version", 1);
    ObjectNode enc = m.putObject("encoding");
    enc.put("type", "performance");
    enc.put("time_shift_ms", PerformanceEncoding.TIME_SHIFT_MS);
    enc.put("time_shift_steps", PerformanceEncoding.TIME_SHIFT_STEPS);
    enc.put("velocity_bins", PerformanceEncoding.VELOCITY_BINS);
    enc.put("vocab_size", PerformanceEncoding.VOCAB_SIZE);
    ObjectNode split = m.putObject("split");
    split.put("rule", splitRule(validFraction));
    split.put("valid_fraction", validFraction);
    ArrayNode src = m.putArray("sources");
    for (Path p : sources) {
      src.add(p.toString());
    }
    if (bpm != null) {
      m.put("reference_bpm", bpm);
    }
    m.put("tempo_normalised", normalised);
    if (normalised && median != null) {
      m.put("corpus_median_bpm", median);
    }
    if (density != null) {
      m.put("onsets_per_beat", density);
    }
    ArrayNode shards = m.putArray("shards");
    ArrayNode files = m.putArray("files");
    ObjectNode counts = m.putObject("counts");
    Corpus train = all.split(false, validFraction);
    Corpus valid = all.split(true, validFraction);
    int shardFiles = writeSplit("train", train, dir, shards, files, counts, shardTokens)
        + writeSplit("valid", valid, dir, shards, files, counts, shardTokens);
    Path tmp = dir.resolve("." + MANIFEST + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), m);
    Files.move(tmp, dir.resolve(MANIFEST), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new Summary(train.pieces().size(), train.events(), valid.pieces().size(),
        valid.events(), shardFiles, bpm, density, normalised);
  }

  /** The split rule, as model.json and the manifest state it. */
  static String splitRule(double validFraction) {
    return "validation = files whose CRC32(file name) % 10000 < "
        + Math.round(validFraction * 10_000) + " (chorales: the data set's split)";
  }

  private static int writeSplit(String split, Corpus part, Path dir, ArrayNode shards,
      ArrayNode files, ObjectNode counts, int shardTokens) throws IOException {
    counts.putObject(split).put("pieces", part.pieces().size()).put("events", part.events());
    List<Piece> pieces = part.pieces();
    int written = 0;
    int next = 0;
    while (next < pieces.size()) {
      int first = next;
      long events = 0;
      while (next < pieces.size()
          && (next == first || events + pieces.get(next).tokens().length <= shardTokens)) {
        events += pieces.get(next).tokens().length;
        next++;
      }
      String stem = String.format(Locale.ROOT, "%s-%04d", split, written);
      int[] tokens = new int[(int) events];
      long[] starts = new long[next - first];
      int at = 0;
      for (int i = first; i < next; i++) {
        int[] t = pieces.get(i).tokens();
        starts[i - first] = at;
        System.arraycopy(t, 0, tokens, at, t.length);
        at += t.length;
        files.addObject().put("name", pieces.get(i).name()).put("split", split)
            .put("shard", stem).put("events", t.length);
      }
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(dir.resolve(stem + ".npy")), 1 << 16)) {
        TokenNpy.writeShorts(out, tokens, 0, tokens.length);
      }
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(dir.resolve(stem + ".starts.npy")), 1 << 16)) {
        TokenNpy.writeLongs(out, starts);
      }
      shards.addObject().put("split", split).put("tokens", stem + ".npy")
          .put("starts", stem + ".starts.npy").put("pieces", starts.length).put("events", events);
      written++;
    }
    return written;
  }

  /** Reads a shard directory written by {@link #write}; a bad one is one clear IOException. */
  public static Loaded read(Path dir) throws IOException {
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      throw new IOException(dir + " has no " + MANIFEST + " (write one with continuo encode --shards)");
    }
    if (Files.size(manifest) > MAX_MANIFEST_BYTES) {
      throw new IOException(manifest + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
    }
    JsonNode m = JSON.readTree(manifest.toFile());
    if (!FORMAT.equals(m.path("format").asText()) || m.path("version").asInt() != 1) {
      throw new IOException(manifest + ": expected format \"" + FORMAT + "\" version 1");
    }
    if (!"performance".equals(m.path("encoding").path("type").asText())
        || m.path("encoding").path("vocab_size").asInt() != PerformanceEncoding.VOCAB_SIZE) {
      throw new IOException(manifest + ": encoding must be \"performance\" with vocab_size "
          + PerformanceEncoding.VOCAB_SIZE);
    }
    JsonNode shards = m.path("shards");
    if (!shards.isArray() || shards.size() > MAX_SHARDS) {
      throw new IOException(manifest + ": \"shards\" must be an array of at most " + MAX_SHARDS);
    }
    Iterator<JsonNode> names = m.path("files").elements();
    List<Piece> train = new ArrayList<>();
    List<Piece> valid = new ArrayList<>();
    for (JsonNode s : shards) {
      String split = s.path("split").asText();
      if (!split.equals("train") && !split.equals("valid")) {
        throw new IOException(manifest + ": shard split must be \"train\" or \"valid\", got \""
            + split + "\"");
      }
      int[] tokens = (int[]) readArray(dir, s.path("tokens").asText(), SHARD_TOKENS, false);
      long[] starts = (long[]) readArray(dir, s.path("starts").asText(), SHARD_TOKENS, true);
      for (int i = 0; i < starts.length; i++) {
        long from = starts[i];
        long to = i + 1 < starts.length ? starts[i + 1] : tokens.length;
        if (from < 0 || to > tokens.length || to - from < 2) {
          throw new IOException(s.path("starts").asText() + ": piece " + i + " spans " + from
              + ".." + to + " of " + tokens.length + " tokens");
        }
        int[] piece = java.util.Arrays.copyOfRange(tokens, (int) from, (int) to);
        for (int t : piece) {
          if (t < 0 || t >= PerformanceEncoding.VOCAB_SIZE) {
            throw new IOException(s.path("tokens").asText() + " holds token " + t
                + ", outside 0.." + (PerformanceEncoding.VOCAB_SIZE - 1));
          }
        }
        String name = names.hasNext() ? names.next().path("name").asText() : split + "/" + i;
        (split.equals("train") ? train : valid).add(new Piece(name, piece));
      }
    }
    List<String> sources = new ArrayList<>();
    m.path("sources").forEach(n -> sources.add(n.asText()));
    JsonNode bpm = m.path("reference_bpm");
    JsonNode density = m.path("onsets_per_beat");
    return new Loaded(Corpus.of(train), Corpus.of(valid), sources,
        m.path("split").path("valid_fraction").asDouble(), bpm.isNumber() ? bpm.asDouble() : null,
        density.isNumber() ? density.asDouble() : null,
        m.path("tempo_normalised").asBoolean(false));
  }

  private static Object readArray(Path dir, String file, long max, boolean longs)
      throws IOException {
    if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
      throw new IOException(dir.resolve(MANIFEST) + " names a shard file \"" + file
          + "\" outside its directory");
    }
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(dir.resolve(file)),
        1 << 16)) {
      Object a = TokenNpy.read(in, max, dir.resolve(file).toString());
      if (longs != (a instanceof long[])) {
        throw new IOException(dir.resolve(file) + ": expected " + (longs ? "<i8" : "<i2") + " values");
      }
      return a;
    }
  }
}
