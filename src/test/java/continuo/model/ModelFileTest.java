package continuo.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
  @TempDir Path dir;

  @Test
  void aWrittenModelReadsBackWithIdenticalWeightsAndConfig() throws Exception {
    for (int e : new int[] {0, 12}) {
      LstmWeights w = RandomModels.create(e, 20, 2, 42);
      Path file = dir.resolve("m" + e + ".cmodel");
      ModelFile.write(w, file);
      LstmWeights r = ModelFile.read(file);
      // JSON gives back ints where the writer had longs; compare as text.
      assertEquals(w.config().toString(), r.config().toString());
      if (e == 0) {
        assertNull(r.embedding());
      } else {
        assertArrayEquals(w.embedding(), r.embedding());
      }
      for (int k = 0; k < 2; k++) {
        assertArrayEquals(w.weightIh()[k], r.weightIh()[k]);
        assertArrayEquals(w.weightHh()[k], r.weightHh()[k]);
        assertArrayEquals(w.biasIh()[k], r.biasIh()[k]);
        assertArrayEquals(w.biasHh()[k], r.biasHh()[k]);
      }
      assertArrayEquals(w.outputWeight(), r.outputWeight());
      assertArrayEquals(w.outputBias(), r.outputBias());
      assertEquals(w.config().toString(), ModelFile.readConfig(file).toString());
    }
  }

  @Test
  void identicalWeightsGiveByteIdenticalFiles() throws Exception {
    Path a = dir.resolve("a.cmodel");
    Path b = dir.resolve("b.cmodel");
    ModelFile.write(RandomModels.create(8, 16, 1, 7), a);
    ModelFile.write(RandomModels.create(8, 16, 1, 7), b);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void everyEntryStoresTheSameFixedTimeAndNoClockReading() throws Exception {
    // Zip times have a resolution of 2 s, so two files written a moment apart would not show a
    // clock reading; the stored times themselves do.
    Path file = dir.resolve("t.cmodel");
    ModelFile.write(RandomModels.create(8, 16, 1, 7), file);
    int entries = 0;
    try (ZipFile z = new ZipFile(file.toFile())) {
      for (var it = z.entries(); it.hasMoreElements(); entries++) {
        ZipEntry e = it.nextElement();
        assertEquals(LocalDateTime.of(2020, 1, 1, 0, 0), e.getTimeLocal(), e.getName());
        assertNull(e.getCreationTime(), e.getName());
        assertNull(e.getLastAccessTime(), e.getName());
        assertNull(e.getExtra(), e.getName() + " has no extended timestamp");
      }
    }
    assertTrue(entries > 3, entries + " entries");
  }

  @Test
  void theArraysAreNumpyFormatVersionOne() throws Exception {
    Path file = dir.resolve("m.cmodel");
    ModelFile.write(RandomModels.create(0, 4, 1, 1), file);
    try (ZipFile z = new ZipFile(file.toFile());
        InputStream in = z.getInputStream(z.getEntry("output.bias.npy"))) {
      byte[] bytes = in.readAllBytes();
      int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
      String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
      assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (388,), }", header.strip());
      assertEquals(0, (10 + headerLen) % 64);
      assertEquals(10 + headerLen + 388 * 4, bytes.length);
    }
  }

  // ---- validation: every broken file names the file and the problem ----

  private Path good() throws IOException {
    Path file = dir.resolve("good.cmodel");
    ModelFile.write(RandomModels.create(4, 8, 2, 3), file);
    return file;
  }

  /** Copies good() with entries replaced (value null = removed) and extra ones added. */
  private Path variant(String name, Map<String, byte[]> changes) throws IOException {
    Path out = dir.resolve(name + ".cmodel");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(good().toFile())) {
      for (var it = z.entries(); it.hasMoreElements(); ) {
        ZipEntry e = it.nextElement();
        entries.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    for (Map.Entry<String, byte[]> c : changes.entrySet()) {
      if (c.getValue() == null) {
        entries.remove(c.getKey());
      } else {
        entries.put(c.getKey(), c.getValue());
      }
    }
    try (OutputStream os = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out;
  }

  private static Map<String, byte[]> removed(String name) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put(name, null);
    return m;
  }

  private String problem(Path file) {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file));
    assertTrue(e.getMessage().startsWith(file.toString() + " "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String config(String format, int version, String encoding, int v, int e, int h, int l) {
    return "{\"format\":\"" + format + "\",\"version\":" + version + ",\"name\":\"x\",\"description\":\"d\","
        + "\"encoding\":" + encoding + ","
        + "\"architecture\":{\"type\":\"lstm\",\"vocab_size\":" + v + ",\"embedding_size\":" + e
        + ",\"hidden_size\":" + h + ",\"layers\":" + l + "},\"training\":{}}";
  }

  private static final String PERF =
      "{\"type\":\"performance\",\"time_shift_ms\":10,\"time_shift_steps\":100,\"velocity_bins\":32}";

  private static byte[] npy(String header, int floats) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    b.write(0x93);
    b.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    b.write(1);
    b.write(0);
    b.write(h.length & 0xff);
    b.write(h.length >> 8);
    b.writeBytes(h);
    b.writeBytes(new byte[floats * 4]);
    return b.toByteArray();
  }

  @Test
  void aMissingFileOrANonZipIsReportedPlainly() throws Exception {
    assertTrue(problem(dir.resolve("nope.cmodel")).endsWith("does not exist."));
    Path junk = dir.resolve("junk.cmodel");
    Files.writeString(junk, "hello");
    assertTrue(problem(junk).contains("not a zip archive"));
  }

  @Test
  void theFormatVersionAndEncodingAreChecked() throws Exception {
    assertTrue(problem(variant("fmt", Map.of("model.json", json(config("other", 1, PERF, 388, 4, 8, 2)))))
        .contains("format 'other'"));
    assertTrue(problem(variant("ver", Map.of("model.json", json(config("continuo-model", 2, PERF, 388, 4, 8, 2)))))
        .contains("version 2"));
    String enc = "{\"type\":\"performance\",\"time_shift_ms\":8,\"time_shift_steps\":100,\"velocity_bins\":32}";
    assertTrue(problem(variant("enc", Map.of("model.json", json(config("continuo-model", 1, enc, 388, 4, 8, 2)))))
        .contains("time_shift_ms=8"));
    assertTrue(problem(variant("vocab", Map.of("model.json", json(config("continuo-model", 1, PERF, 300, 4, 8, 2)))))
        .contains("vocab_size 300"));
    assertTrue(problem(variant("hid", Map.of("model.json", json(config("continuo-model", 1, PERF, 388, 4, 0, 2)))))
        .contains("hidden_size 0"));
    assertTrue(problem(variant("big", Map.of("model.json", json(config("continuo-model", 1, PERF, 388, 4, 100000, 2)))))
        .contains("hidden_size 100000"));
    assertTrue(problem(variant("json", Map.of("model.json", json("{\"format\":")))).contains("not valid JSON"));
    assertTrue(problem(variant("nojson", removed("model.json"))).contains("no model.json"));
  }

  @Test
  void shapesAreCheckedAgainstTheArchitecture() throws Exception {
    // The file has H=8; a config claiming H=9 makes every LSTM array the wrong shape.
    String msg = problem(variant("shape", Map.of("model.json", json(config("continuo-model", 1, PERF, 388, 4, 9, 2)))));
    assertTrue(msg.contains("with shape [32, 4], expected [36, 4]"), msg);
    msg = problem(variant("missing", removed("lstm.bias_hh_l1.npy")));
    assertTrue(msg.contains("no entry 'lstm.bias_hh_l1.npy'"), msg);
    msg = problem(variant("extra", Map.of("lstm.weight_ih_l2.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (32, 8), }\n", 256))));
    assertTrue(msg.contains("unexpected entry 'lstm.weight_ih_l2.npy'"), msg);
  }

  @Test
  void npyHeadersAreCheckedStrictly() throws Exception {
    String msg = problem(variant("f8", Map.of("output.bias.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (388,), }\n", 776))));
    assertTrue(msg.contains("output.bias.npy") && msg.contains("dtype '<f8'"), msg);
    msg = problem(variant("fortran", Map.of("output.weight.npy", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (388, 8), }\n", 388 * 8))));
    assertTrue(msg.contains("Fortran order"), msg);
    msg = problem(variant("short", Map.of("output.bias.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (388,), }\n", 100))));
    assertTrue(msg.contains("ends after 100 of the 388 values"), msg);
    msg = problem(variant("long", Map.of("output.bias.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (388,), }\n", 389))));
    assertTrue(msg.contains("more data than its shape"), msg);
    msg = problem(variant("magic", Map.of("output.bias.npy", json("PK not numpy at all"))));
    assertTrue(msg.contains("bad magic"), msg);
    byte[] v9 = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (388,), }\n", 388);
    v9[6] = 9;
    msg = problem(variant("v9", Map.of("output.bias.npy", v9)));
    assertTrue(msg.contains("version 9.0"), msg);
    msg = problem(variant("garbled", Map.of("output.bias.npy", npy("{'descr': '<f4', 'shape': (388,), 'fortran_order': maybe}\n", 388))));
    assertTrue(msg.contains("True or False"), msg);
  }

  @Test
  void textFromTheFileIsEchoedOnOneShortLine() throws Exception {
    String msg = problem(variant("key", Map.of("output.bias.npy",
        npy("{'descr': '<f4', 'fortran_order': False, 'a\nb\u0007': 1}\n", 388))));
    assertTrue(msg.contains("unknown key 'a?b?' in its .npy header"), msg);
    String format = "line1\\nline2" + "x".repeat(10_000);
    msg = problem(variant("fmtlines", Map.of("model.json", json(config(format, 1, PERF, 388, 4, 8, 2)))));
    assertTrue(msg.contains("format 'line1?line2xxx") && msg.contains("xxx...' in model.json"), msg);
    assertTrue(msg.length() < 400, msg);
    // C1 control characters (U+0080-U+009F) too: JSON's parser echoes the bad token.
    msg = problem(variant("c1", Map.of("model.json",
        "fortr\u009f\u0091".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    assertTrue(msg.contains("not valid JSON") && msg.chars().noneMatch(Character::isISOControl),
        msg);
  }

  @Test
  void aFewBytesDeclaringALargeArrayAreRefusedBeforeItIsAllocated() throws Exception {
    // hidden_size 4096 with one-hot input: lstm.weight_ih_l0 is [16384, 388], 25 MB of floats.
    Path file = dir.resolve("tiny-but-large.cmodel");
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
      z.putNextEntry(new ZipEntry("model.json"));
      z.write(json(config("continuo-model", 1, PERF, 388, 0, 4096, 1)));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("lstm.weight_ih_l0.npy"));
      z.write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (16384, 388), }\n", 3));
      z.closeEntry();
    }
    assertTrue(Files.size(file) < 2048);
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    String msg = problem(file);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(msg.contains("lstm.weight_ih_l0.npy that ends after 3 of the 6356992 values"), msg);
    assertTrue(allocated < 8 * 1024 * 1024, allocated + " bytes allocated");
  }

  @Test
  void nonFiniteValuesAreRefused() throws Exception {
    LstmWeights w = RandomModels.create(0, 4, 1, 1);
    w.outputBias()[17] = Float.NaN;
    Path file = dir.resolve("nan.cmodel");
    ModelFile.write(w, file);
    String msg = problem(file);
    assertTrue(msg.contains("non-finite value (NaN) in output.bias.npy at flat index 17"), msg);
  }

  @Test
  void finiteButHugeWeightsAreRefusedBeforeTheyOverflowAScore() throws Exception {
    LstmWeights w = RandomModels.create(0, 4, 1, 1);
    w.outputBias()[17] = 3e38f;
    Path file = dir.resolve("huge.cmodel");
    ModelFile.write(w, file);
    String msg = problem(file);
    assertTrue(msg.endsWith(" has the value 3.0E38 in output.bias.npy at flat index 17; weights must "
        + "lie within -10000 to 10000 (a trained model's are a few units)."), msg);
    w.outputBias()[17] = -1e4f;
    w.weightHh()[0][3] = 1e4f;
    ModelFile.write(w, file);
    assertEquals(-1e4f, ModelFile.read(file).outputBias()[17]);
  }

  @Test
  void aDirectoryIsNamedAsADirectoryNotAMissingFile() throws Exception {
    Path models = Files.createDirectory(dir.resolve("models"));
    String msg = problem(models);
    assertTrue(msg.endsWith(" is a directory; expected a .cmodel file."), msg);
  }

  @Test
  void aModelJsonWithFieldsFromALaterVersionLoads() throws Exception {
    String later = "{\"format\":\"continuo-model\",\"version\":1,\"name\":\"x\",\"description\":\"d\","
        + "\"encoding\":{\"type\":\"performance\",\"time_shift_ms\":10,\"time_shift_steps\":100,"
        + "\"velocity_bins\":32,\"reference_bpm\":120},"
        + "\"architecture\":{\"type\":\"lstm\",\"vocab_size\":388,\"embedding_size\":4,"
        + "\"hidden_size\":8,\"layers\":2},"
        + "\"training\":{\"corpus\":\"reels\",\"curriculum\":{\"stages\":[1,2]}},\"steering\":{}}";
    LstmWeights w = ModelFile.read(variant("later", Map.of("model.json", json(later))));
    assertEquals(8, w.config().hiddenSize());
    assertEquals("reels", w.config().training().get("corpus"));
  }

  @Test
  void entryNamesWithPathsAreRefused() throws Exception {
    String msg = problem(variant("slip", Map.of("../../etc/evil.npy", json("x"))));
    assertTrue(msg.contains("path or unusual name '../../etc/evil.npy'"), msg);
    msg = problem(variant("dir", Map.of("sub/output.bias.npy", json("x"))));
    assertTrue(msg.contains("path or unusual name"), msg);
    for (String name : new String[] {"/etc/evil.npy", "..\\evil.npy", "C:evil.npy", ".hidden"}) {
      msg = problem(variant("abs", Map.of(name, json("x"))));
      assertTrue(msg.contains("path or unusual name"), msg);
    }
  }

  @Test
  void duplicateEntriesAreRefused() throws Exception {
    Path file = dir.resolve("dup.cmodel");
    Path src = good();
    Process p = new ProcessBuilder("/usr/bin/python3", "-c",
        "import sys, zipfile, warnings\n"
            + "warnings.simplefilter('ignore')\n"
            + "src = zipfile.ZipFile(sys.argv[1])\n"
            + "with zipfile.ZipFile(sys.argv[2], 'w') as out:\n"
            + "    for n in src.namelist(): out.writestr(n, src.read(n))\n"
            + "    out.writestr('output.bias.npy', src.read('output.bias.npy'))\n",
        src.toString(), file.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
    assertTrue(problem(file).contains("'output.bias.npy' more than once"));
  }

  @Test
  void anEntryInflatingBeyondItsShapeIsStoppedWhileReading() throws Exception {
    // 64 MB of zeros deflate to ~64 KB; the declared shape allows 388 floats.
    byte[] bomb = new byte[64 * 1024 * 1024];
    byte[] header = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (388,), }\n", 0);
    System.arraycopy(header, 0, bomb, 0, header.length);
    Path file = variant("bomb", Map.of("output.bias.npy", bomb));
    assertTrue(Files.size(file) < 1024 * 1024);
    String msg = problem(file);
    assertTrue(msg.contains("output.bias.npy that has more data than its shape [388] declares"), msg);
    byte[] jsonBomb = new byte[64 * 1024 * 1024];
    java.util.Arrays.fill(jsonBomb, (byte) ' ');
    jsonBomb[0] = '[';
    file = variant("jsonbomb", Map.of("model.json", jsonBomb));
    assertTrue(Files.size(file) < 1024 * 1024);
    msg = problem(file);
    assertTrue(msg.contains("model.json larger than the 1048576 bytes allowed for it"), msg);
  }

  @Test
  void tooManyEntriesAreRefused() throws Exception {
    Map<String, byte[]> many = new LinkedHashMap<>();
    for (int i = 0; i < 70; i++) {
      many.put("x" + i + ".npy", json("x"));
    }
    assertTrue(problem(variant("many", many)).contains("more than 64 entries"));
  }

  @Test
  void writtenFilesAreReadableByOthersLikeAnyFileTheUserCreates() throws Exception {
    Path file = good();
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertTrue(Files.getPosixFilePermissions(file)
          .contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ));
      Path plain = Files.createFile(dir.resolve("plain.txt"));
      assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }
  }

  @Test
  void rewritingAModelLeavesNoTemporaryFilesBehind() throws Exception {
    Path file = good();
    byte[] before = Files.readAllBytes(file);
    LstmWeights w = RandomModels.create(4, 8, 2, 3);
    ModelFile.write(w, file);
    assertArrayEquals(before, Files.readAllBytes(file));
    try (var listing = Files.list(dir)) {
      assertTrue(listing.noneMatch(p -> p.toString().endsWith(".tmp")));
    }
  }
}
