package continuo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models bounded by what fits in the heap, checked before any array is allocated. */
class HeapRoomTest {
  private static final long MB = 1024 * 1024;

  @TempDir static Path dir;

  /** hidden_size 4096, two layers, one-hot input: 209 M parameters of zeros in under 1 MB. */
  private static Path zeros;
  private static final ModelConfig HUGE = ModelConfig.performance("zeros", "", 0, 4096, 2, Map.of());

  @BeforeAll
  static void writeAnAllZeroModel() throws IOException {
    zeros = dir.resolve("zeros.cmodel");
    byte[] chunk = new byte[1 << 20];
    try (OutputStream os = Files.newOutputStream(zeros); ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry(ModelFile.CONFIG_ENTRY));
      zip.write(ModelJson.write(HUGE));
      zip.closeEntry();
      for (Map.Entry<String, int[]> e : ModelFile.expectedShapes(HUGE).entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        Npy.write(zip, e.getValue(), new float[0]); // the header alone; the zeros follow
        long bytes = 4L * e.getValue()[0] * (e.getValue().length > 1 ? e.getValue()[1] : 1);
        for (long left = bytes; left > 0; left -= chunk.length) {
          zip.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        zip.closeEntry();
      }
    }
  }

  /** A heap with a fixed room that counts the times it is asked to reclaim. */
  private static final class FixedRoom implements HeapRoom {
    long room;
    long freedOnReclaim;
    int reclaims;

    FixedRoom(long room) {
      this.room = room;
    }

    @Override
    public long available() {
      return room;
    }

    @Override
    public void reclaim() {
      reclaims++;
      room += freedOnReclaim;
    }
  }

  @Test
  void anAllZeroModelOfTwoHundredMillionParametersIsRefusedBeforeAnyArrayIsAllocated() throws Exception {
    assertTrue(Files.size(zeros) < 1024 * 1024, Files.size(zeros) + " bytes");
    long params = ModelFile.parameters(HUGE);
    assertEquals(209_338_756L, params);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    FixedRoom gigabyte = new FixedRoom(1024 * MB);
    long before = threads.getCurrentThreadAllocatedBytes();
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> ModelFile.read(zeros, gigabyte));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    String msg = e.getMessage();
    assertTrue(msg.startsWith(zeros + " has 209338756 parameters (embedding_size 0, hidden_size "
        + "4096, layers 2), which need 2109 MB of heap to load, but 992 MB are available; give "
        + "Java more, e.g. CONTINUO_JAVA_OPTS=-Xmx"), msg);
    assertTrue(!msg.contains("\n"), msg);
    assertEquals(1, gigabyte.reclaims);
    // Reading the arrays would allocate 837 MB and inflate as much; refusing costs the config.
    assertTrue(allocated < 8 * MB, allocated + " bytes allocated");
  }

  @Test
  void aModelThatFitsLoadsAndIsRefusedWhenTheHeapIsShort() throws Exception {
    Path small = dir.resolve("small.cmodel");
    LstmWeights w = RandomModels.create(4, 8, 2, 3);
    ModelFile.write(w, small);
    assertEquals(w.parameterCount(), ModelFile.read(small, new FixedRoom(64 * MB)).parameterCount());
    FixedRoom tight = new FixedRoom(HeapRoom.MARGIN + HeapRoom.bytesNeeded(w.config()) - 1);
    String msg = assertThrows(ModelFormatException.class, () -> ModelFile.read(small, tight))
        .getMessage();
    assertTrue(msg.contains("has " + w.parameterCount() + " parameters"), msg);
    assertTrue(msg.contains("0 MB are available"), msg);
  }

  @Test
  void aCollectionIsAskedForOnlyWhenItCouldSaveTheLoad() throws Exception {
    Path small = dir.resolve("reclaim.cmodel");
    LstmWeights w = RandomModels.create(0, 16, 1, 5);
    ModelFile.write(w, small);
    FixedRoom plenty = new FixedRoom(256 * MB);
    ModelFile.read(small, plenty);
    assertEquals(0, plenty.reclaims);
    FixedRoom garbage = new FixedRoom(MB);
    garbage.freedOnReclaim = 64 * MB;
    ModelFile.read(small, garbage);
    assertEquals(1, garbage.reclaims);
  }

  @Test
  void theNeedCountsTheLoadedArraysTheSteppersCopyAndOneLayerBeingBuilt() {
    long h = 4096;
    assertEquals(4 * (2 * 209_338_756L + 8 * h * h), HeapRoom.bytesNeeded(HUGE));
    ModelConfig oneLayer = ModelConfig.performance("x", "", 0, 4096, 1, Map.of());
    assertEquals(4 * 2 * ModelFile.parameters(oneLayer), HeapRoom.bytesNeeded(oneLayer));
  }

  @Test
  void scoreUnderAOneGigabyteHeapRefusesTheZeroModelInOneLine() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xmx1g", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "continuo.cli.Main",
        "score", "--model", zeros.toString(), "--tokens", "1,2,3")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    List<String> lines = new String(err, StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("WARNING") && !l.contains("Sharing is only supported")).toList();
    assertEquals(2, p.exitValue(), String.join("\n", lines));
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).contains(zeros + " has 209338756 parameters")
        && lines.get(0).contains("CONTINUO_JAVA_OPTS=-Xmx3g"), lines.get(0));
  }
}
