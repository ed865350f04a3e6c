package continuo.midifile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a Standard MIDI File of format 1: tracks of channel messages (packed as in
 * {@link TimedMessages}), track names and tempo changes, each track in time order with equal ticks
 * kept in the order they were added. No running status, so the same events always give the same
 * bytes. Filled and written by one thread.
 */
public final class MidiFileWriter {
  private final int ppq;
  private final List<Track> tracks = new ArrayList<>();

  /** A file of {@code ppq} ticks per quarter note. */
  public MidiFileWriter(int ppq) {
    if (ppq <= 0 || ppq >= 0x8000) {
      throw new IllegalArgumentException("ticks per quarter must be 1..32767, got " + ppq);
    }
    this.ppq = ppq;
  }

  /** Adds a track; tracks are written in the order they were added. */
  public Track track() {
    Track t = new Track();
    tracks.add(t);
    return t;
  }

  /** The file's bytes. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1});
    out.write(tracks.size() >> 8);
    out.write(tracks.size());
    out.write(ppq >> 8);
    out.write(ppq & 0xFF);
    for (Track t : tracks) {
      byte[] body = t.body();
      out.writeBytes(new byte[] {'M', 'T', 'r', 'k'});
      int n = body.length;
      out.write(n >>> 24);
      out.write(n >>> 16);
      out.write(n >>> 8);
      out.write(n);
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /**
   * Writes the file atomically: into a temporary file beside {@code out}, then moved over it, so
   * that a reader (or a crash) never sees half a file. Creates missing directories.
   */
  public void write(Path out) throws IOException {
    writeAtomically(toBytes(), out);
  }

  /** Writes {@code bytes} to {@code out} through a temporary file and an atomic move. */
  public static void writeAtomically(byte[] bytes, Path out) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + out.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** One track: events sorted by tick when written, equal ticks in the order added. */
  public static final class Track {
    private long[] ticks = new long[64];
    private int[] events = new int[64];
    private final List<byte[]> metas = new ArrayList<>();
    private int size;

    private Track() {}

    /** A channel message (status 0x80..0xEF) at {@code tick}. */
    public Track add(long tick, int message) {
      int status = message & 0xFF;
      if (status < 0x80 || status >= 0xF0 || tick < 0) {
        throw new IllegalArgumentException("not a channel message at a tick >= 0: status 0x"
            + Integer.toHexString(status) + " at tick " + tick);
      }
      return append(tick, message);
    }

    /** The track's name (meta event 3) at tick 0. */
    public Track name(String name) {
      byte[] text = name.getBytes(StandardCharsets.US_ASCII);
      if (text.length > 127) {
        throw new IllegalArgumentException("track name longer than 127 bytes: " + name);
      }
      byte[] meta = new byte[3 + text.length];
      meta[0] = (byte) 0xFF;
      meta[1] = 0x03;
      meta[2] = (byte) text.length;
      System.arraycopy(text, 0, meta, 3, text.length);
      return meta(0, meta);
    }

    /** A tempo change to {@code microsPerQuarter} at {@code tick}. */
    public Track tempo(long tick, int microsPerQuarter) {
      if (microsPerQuarter <= 0 || microsPerQuarter > 0xFFFFFF) {
        throw new IllegalArgumentException("tempo must be 1..16777215 us per quarter, got "
            + microsPerQuarter);
      }
      int q = microsPerQuarter;
      return meta(tick, new byte[] {(byte) 0xFF, 0x51, 3, (byte) (q >> 16), (byte) (q >> 8),
          (byte) q});
    }

    /** Every segment of {@code map} as tempo changes (not for SMPTE maps). */
    public Track tempoMap(TempoMap map) {
      for (int i = 0; i < map.segments(); i++) {
        tempo(map.segmentTick(i), map.segmentTempo(i));
      }
      return this;
    }

    private Track meta(long tick, byte[] meta) {
      metas.add(meta);
      return append(tick, -metas.size());
    }

    private Track append(long tick, int event) {
      if (size == events.length) {
        ticks = Arrays.copyOf(ticks, 2 * size);
        events = Arrays.copyOf(events, 2 * size);
      }
      ticks[size] = tick;
      events[size++] = event;
      return this;
    }

    private byte[] body() {
      int[] order = StableOrder.byKey(ticks, size);
      ByteArrayOutputStream t = new ByteArrayOutputStream();
      long now = 0;
      for (int i : order) {
        writeVarLen(t, ticks[i] - now);
        now = ticks[i];
        int e = events[i];
        if (e < 0) {
          t.writeBytes(metas.get(-e - 1));
        } else {
          int status = e & 0xFF;
          t.write(status);
          t.write((e >>> 8) & 0x7F);
          int kind = status & 0xF0;
          if (kind != 0xC0 && kind != 0xD0) {
            t.write((e >>> 16) & 0x7F);
          }
        }
      }
      t.writeBytes(new byte[] {0, (byte) 0xFF, 0x2F, 0});
      return t.toByteArray();
    }

    private static void writeVarLen(ByteArrayOutputStream out, long value) {
      if (value < 0 || value > 0x0FFFFFFF) {
        throw new IllegalArgumentException("delta time " + value + " does not fit a MIDI file");
      }
      int shift = 21;
      while (shift > 0 && (value >>> shift) == 0) {
        shift -= 7;
      }
      for (; shift > 0; shift -= 7) {
        out.write((int) (((value >>> shift) & 0x7F) | 0x80));
      }
      out.write((int) (value & 0x7F));
    }
  }
}
