package continuo.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import continuo.model.LstmWeights;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint: a zip holding the current weights as a {@code .cmodel}, Adam's moment
 * estimates ({@code adam.bin}: big-endian floats) and where training stands ({@code
 * progress.json}). Written atomically, so an interrupted write never destroys the previous one.
 */
final class Checkpoint {
  private static final String MODEL = "model.cmodel";
  private static final String ADAM = "adam.bin";
  private static final String PROGRESS = "progress.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoint() {}

  /** One finished epoch. */
  record Epoch(int epoch, double trainNll, double validNll, double lr, double eventsPerSecond) {}

  /** Where training stands: the next epoch and window to run, and what happened so far. */
  record State(int epoch, int window, double lr, double bestValid, int staleEpochs,
      double eventsPerSecond, long seconds, long adamSteps, List<Epoch> history,
      List<double[]> curve) {
    static State start(double lr) {
      return new State(0, 0, lr, Double.POSITIVE_INFINITY, 0, 0, 0, 0, List.of(), List.of());
    }
  }

  record Loaded(LstmWeights weights, State state, float[][] first, float[][] second) {}

  static void write(Path file, Network net, Adam adam, State state) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path model = dir.resolve("." + file.getFileName() + ".model.tmp");
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    try {
      ModelFile.write(net.weights(net.config()), model);
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        zip.putNextEntry(new ZipEntry(MODEL));
        Files.copy(model, zip);
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(ADAM));
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
        float[][] m = adam.firstMoments();
        float[][] s = adam.secondMoments();
        data.writeInt(m.length);
        for (int i = 0; i < m.length; i++) {
          data.writeInt(m[i].length);
          for (float x : m[i]) {
            data.writeFloat(x);
          }
          for (float x : s[i]) {
            data.writeFloat(x);
          }
        }
        data.flush();
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(PROGRESS));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(state)));
        zip.closeEntry();
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(model);
      Files.deleteIfExists(tmp);
    }
  }

  static Loaded read(Path file) throws IOException {
    Path model = Files.createTempFile("continuo-checkpoint", ".cmodel");
    try (ZipFile zip = new ZipFile(file.toFile())) {
      try (InputStream in = entry(zip, file, MODEL)) {
        Files.copy(in, model, StandardCopyOption.REPLACE_EXISTING);
      }
      LstmWeights weights = ModelFile.read(model);
      float[][] first;
      float[][] second;
      try (DataInputStream data = new DataInputStream(
          new BufferedInputStream(entry(zip, file, ADAM), 1 << 16))) {
        int arrays = data.readInt();
        if (arrays < 1 || arrays > 64) {
          throw new IOException(file + ": " + ADAM + " declares " + arrays + " arrays");
        }
        first = new float[arrays][];
        second = new float[arrays][];
        for (int i = 0; i < arrays; i++) {
          int n = data.readInt();
          if (n < 0 || n > ModelFile.MAX_PARAMETERS) {
            throw new IOException(file + ": " + ADAM + " array " + i + " has size " + n);
          }
          first[i] = new float[n];
          second[i] = new float[n];
          for (int j = 0; j < n; j++) {
            first[i][j] = data.readFloat();
          }
          for (int j = 0; j < n; j++) {
            second[i][j] = data.readFloat();
          }
        }
      }
      JsonNode progress;
      try (InputStream in = entry(zip, file, PROGRESS)) {
        progress = JSON.readTree(in);
      }
      return new Loaded(weights, fromJson(progress), first, second);
    } catch (ModelFormatException e) {
      throw new IOException(file + ": its model " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a readable continuo checkpoint: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(model);
    }
  }

  private static InputStream entry(ZipFile zip, Path file, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new IOException(file + " has no " + name);
    }
    return zip.getInputStream(e);
  }

  private static ObjectNode toJson(State s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("epoch", s.epoch());
    o.put("window", s.window());
    o.put("lr", s.lr());
    if (Double.isFinite(s.bestValid())) {
      o.put("best_valid_nll", s.bestValid());
    }
    o.put("stale_epochs", s.staleEpochs());
    o.put("events_per_second", s.eventsPerSecond());
    o.put("seconds", s.seconds());
    o.put("adam_steps", s.adamSteps());
    ArrayNode h = o.putArray("history");
    for (Epoch e : s.history()) {
      h.addObject().put("epoch", e.epoch()).put("train_nll", e.trainNll())
          .put("valid_nll", e.validNll()).put("lr", e.lr())
          .put("events_per_second", e.eventsPerSecond());
    }
    ArrayNode c = o.putArray("curve");
    for (double[] p : s.curve()) {
      c.addArray().add(p[0]).add(p[1]);
    }
    return o;
  }

  private static State fromJson(JsonNode o) throws IOException {
    List<Epoch> history = new ArrayList<>();
    for (JsonNode e : o.path("history")) {
      history.add(new Epoch(e.path("epoch").asInt(), e.path("train_nll").asDouble(),
          e.path("valid_nll").asDouble(), e.path("lr").asDouble(),
          e.path("events_per_second").asDouble()));
    }
    List<double[]> curve = new ArrayList<>();
    for (JsonNode p : o.path("curve")) {
      curve.add(new double[] {p.path(0).asDouble(), p.path(1).asDouble()});
    }
    if (!o.path("epoch").isInt() || !o.path("window").isInt() || !o.path("lr").isNumber()) {
      throw new IOException(PROGRESS + " lacks epoch, window or lr");
    }
    return new State(o.path("epoch").asInt(), o.path("window").asInt(), o.path("lr").asDouble(),
        o.has("best_valid_nll") ? o.path("best_valid_nll").asDouble() : Double.POSITIVE_INFINITY,
        o.path("stale_epochs").asInt(), o.path("events_per_second").asDouble(),
        o.path("seconds").asLong(), o.path("adam_steps").asLong(), history, curve);
  }
}
