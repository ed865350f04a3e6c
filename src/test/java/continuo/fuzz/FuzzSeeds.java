package continuo.fuzz;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes the small valid seed inputs of the fuzz targets into their regression directories (the
 * layout Jazzer reads: {@code <Test>Inputs/<method>/}). Run it from the repo root after a file
 * format changes (the command is in the README's "Reliability" section); {@link FuzzSeedsTest}
 * checks that the seeds still load.
 */
public final class FuzzSeeds {
  static final Path ROOT = Path.of("src/test/resources/continuo/fuzz");

  private FuzzSeeds() {}

  public static void main(String[] args) throws IOException {
    Path tmp = Files.createTempDirectory("continuo-seeds");

    Path midi = dir("MidiFilesFuzzTest", "anyBytesGiveNotesOrOneClearError");
    Files.write(midi.resolve("seed-written-two-channels.mid"), MidiFiles.toBytes(List.of(
        new Note(60, 100, 0, 500_000, 0), new Note(64, 80, 250_000, 750_000, 0),
        new Note(67, 90, 500_000, 1_000_000, 1))));
    Files.write(midi.resolve("seed-format0-running-status-pedal-tempo-sysex.mid"), format0());
    // Not a seed (fuzzing starts from valid files) but a regression input: it once took 1.1 GB.
    Files.write(midi.resolve("regression-delta-time-bomb.mid"), deltaTimeBomb(300));

    Path stream = dir("MidiStreamDecoderFuzzTest", "anyByteStreamDecodesIntoWholeMessagesOnly");
    Files.write(stream.resolve("seed-live-stream"), new byte[] {
        (byte) 0x90, 60, 100, 62, 90, (byte) 0xF8, 64, 80, (byte) 0xB0, 64, 127, (byte) 0xF0, 1, 2,
        3, (byte) 0xFE, (byte) 0xF7, (byte) 0x80, 60, 0, (byte) 0xC3, 5, (byte) 0xF2, 1, 2,
        (byte) 0xE0, 0, 64, (byte) 0xFA, 3});
    Path wellFormed = dir("MidiStreamDecoderFuzzTest", "everyWellFormedStreamDecodesExactly");
    byte[] random = new byte[2048];
    new Random(1).nextBytes(random);
    Files.write(wellFormed.resolve("seed-random"), random);

    Path model = tmp.resolve("tiny.cmodel");
    ModelFile.write(RandomModels.create(1, 1, 1, 7), model);
    Path raw = dir("ModelFileFuzzTest", "anyBytesLoadAsAModelOrGiveOneClearError");
    Files.copy(model, raw.resolve("seed-written.cmodel"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Map<String, byte[]> entries = entries(model);
    Files.write(raw.resolve("seed-written-stored.cmodel"), stored(entries));
    Path structured = dir("ModelFileFuzzTest", "anyEntriesLoadAsAModelOrGiveOneClearError");
    String[] names = entries.keySet().toArray(new String[0]);
    byte[][] data = entries.values().toArray(new byte[0][]);
    Files.write(structured.resolve("seed-written-stored"), ModelFileFuzzTest.inputOf(false, names, data));
    Files.write(structured.resolve("seed-written-deflated"), ModelFileFuzzTest.inputOf(true, names, data));
    Path twoLayers = tmp.resolve("two-layers.cmodel");
    ModelFile.write(RandomModels.create(0, 1, 2, 8), twoLayers);
    Map<String, byte[]> e2 = entries(twoLayers);
    Files.write(structured.resolve("seed-one-hot-two-layers"), ModelFileFuzzTest.inputOf(false,
        e2.keySet().toArray(new String[0]), e2.values().toArray(new byte[0][])));

    Path presets = dir("PresetsFuzzTest", "anyFileGivesAValidPresetOrOneClearError");
    for (String p : new String[] {"folk", "piano"}) {
      Files.copy(Path.of("presets", p + ".toml"), presets.resolve("seed-" + p + ".toml"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(presets.resolve("seed-minimal.toml"), "model = \"models/x.cmodel\"\n");
  }

  private static Path dir(String test, String method) throws IOException {
    return Files.createDirectories(ROOT.resolve(test + "Inputs").resolve(method));
  }

  /** Format 0, one track: tempo change, SysEx, running status, note-on velocity 0, sustain pedal. */
  static byte[] format0() {
    ByteArrayOutputStream t = new ByteArrayOutputStream();
    int[] events = {
        0, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20, // 120 bpm
        0, 0xF0, 3, 0x7E, 0x7F, 0xF7, // SysEx
        0, 0x90, 60, 100, // note on
        0, 64, 90, // running status
        96, 0xB0, 64, 127, // pedal down
        0, 0x90, 60, 0, // released under the pedal
        96, 0xFF, 0x51, 3, 0x0F, 0x42, 0x40, // 60 bpm
        96, 0xB0, 64, 0, // pedal up ends 60
        0, 0x80, 64, 0,
        0, 0x99, 36, 100, // drums, skipped
        96, 0xFF, 0x2F, 0};
    for (int b : events) {
      t.write(b);
    }
    byte[] track = t.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96});
    out.writeBytes(new byte[] {'M', 'T', 'r', 'k', 0, 0, 0, (byte) track.length});
    out.writeBytes(track);
    return out.toByteArray();
  }

  /**
   * A small file whose every event comes 2^28 - 1 ticks after the last, at one tick per quarter
   * and the slowest tempo (16.8 s per quarter): {@code events} note-ons and -offs in 7 bytes each,
   * spanning millions of years. Before the reader bounded a file's duration, tokens of one second
   * for that time made {@code encode} and {@code generate} run out of memory.
   */
  public static byte[] deltaTimeBomb(int events) {
    ByteArrayOutputStream t = new ByteArrayOutputStream();
    t.writeBytes(new byte[] {0, (byte) 0xFF, 0x51, 3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    for (int i = 0; i < events; i++) {
      t.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F,
          (byte) (i % 2 == 0 ? 0x90 : 0x80), (byte) (40 + i % 40), 100});
    }
    t.writeBytes(new byte[] {0, (byte) 0xFF, 0x2F, 0});
    byte[] track = t.toByteArray();
    int n = track.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 1});
    out.writeBytes(new byte[] {'M', 'T', 'r', 'k', (byte) (n >>> 24), (byte) (n >>> 16),
        (byte) (n >>> 8), (byte) n});
    out.writeBytes(track);
    return out.toByteArray();
  }

  static Map<String, byte[]> entries(Path zipFile) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zipFile.toFile())) {
      for (var it = z.entries(); it.hasMoreElements(); ) {
        ZipEntry e = it.nextElement();
        m.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    return m;
  }

  /** The same entries uncompressed, so that mutations of the file reach model.json and the arrays. */
  static byte[] stored(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> en : entries.entrySet()) {
        ZipEntry e = new ZipEntry(en.getKey());
        CRC32 crc = new CRC32();
        crc.update(en.getValue());
        e.setMethod(ZipEntry.STORED);
        e.setSize(en.getValue().length);
        e.setCompressedSize(en.getValue().length);
        e.setCrc(crc.getValue());
        e.setTime(0);
        zip.putNextEntry(e);
        zip.write(en.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Every seed file of one target's regression directory. */
  static List<Path> seeds(String test, String method) throws IOException {
    List<Path> out = new ArrayList<>();
    try (var s = Files.list(ROOT.resolve(test + "Inputs").resolve(method))) {
      s.filter(p -> p.getFileName().toString().startsWith("seed-")).sorted().forEach(out::add);
    }
    return out;
  }
}
