package continuo.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  /** One finished epoch, as progress.json stores it. */
  record Epoch(
      @JsonProperty("epoch") int epoch,
      @JsonProperty("train_nll") double trainNll,
      @JsonProperty("valid_nll") double validNll,
      @JsonProperty("lr") double lr,
      @JsonProperty("events_per_second") double eventsPerSecond) {}

  /**
   * Where training stands: the next epoch and window to run, and what happened so far; also the
   * schema of progress.json ({@code best_valid_nll} is absent until an epoch has validated).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record State(
      @JsonProperty(value = "epoch", required = true) int epoch,
      @JsonProperty(value = "window", required = true) int window,
      @JsonProperty(value = "lr", required = true) double lr,
      @JsonProperty("best_valid_nll") Double bestValidNll,
      @JsonProperty("stale_epochs") int staleEpochs,
      @JsonProperty("events_per_second") double eventsPerSecond,
      @JsonProperty("seconds") long seconds,
      @JsonProperty("adam_steps") long adamSteps,
      @JsonProperty("history") List<Epoch> history,
      @JsonProperty("curve") List<double[]> curve) {
    State {
      if (bestValidNll != null && bestValidNll.isInfinite()) {
        bestValidNll = null;
      }
      history = history == null ? List.of() : List.copyOf(history);
      curve = curve == null ? List.of() : List.copyOf(curve);
    }

    static State start(double lr) {
      return new State(0, 0, lr, null, 0, 0, 0, 0, List.of(), List.of());
    }

    /** The best validation NLL so far, infinite before the first. */
    double bestValid() {
      return bestValidNll == null ? Double.POSITIVE_INFINITY : bestValidNll;
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
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
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
      State progress;
      try (InputStream in = entry(zip, file, PROGRESS)) {
        progress = JSON.readValue(in, State.class);
      } catch (JsonProcessingException e) {
        throw new IOException(PROGRESS + ": " + e.getOriginalMessage(), e);
      }
      return new Loaded(weights, progress, first, second);
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
}
