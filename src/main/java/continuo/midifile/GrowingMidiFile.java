package continuo.midifile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A Standard MIDI File of format 1 that grows while it is being recorded and can be written out
 * whole at any moment. Each event is encoded once, as it arrives, at the end of its track, so a
 * snapshot costs copying the file's bytes rather than sorting and encoding every event again; a
 * two-hour jam's snapshot is a few hundred kilobytes written from direct buffers, with nothing
 * allocated but the file handles. A snapshot ends every note still sounding at its time, so that a
 * reader never sees a hanging note, while the notes stay open in the file that goes on growing.
 * Filled and written by one thread.
 */
public final class GrowingMidiFile {
  private static final byte[] END_OF_TRACK = {(byte) 0xFF, 0x2F, 0};
  /** A key struck again while sounding is ended this many times at most in a snapshot. */
  private static final int MAX_OFFS_PER_KEY = 4;

  private final ByteBuffer header = ByteBuffer.allocateDirect(14);
  private final Track[] tracks;
  private final ByteBuffer[] gather;

  /** A file of {@code ppq} ticks per quarter, one track per name, in that order. */
  public GrowingMidiFile(int ppq, String... trackNames) {
    if (ppq <= 0 || ppq >= 0x8000 || trackNames.length == 0 || trackNames.length > 0xFFFF) {
      throw new IllegalArgumentException(ppq + " ticks per quarter, " + trackNames.length
          + " tracks");
    }
    header.put(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1})
        .putShort((short) trackNames.length).putShort((short) ppq).flip();
    tracks = new Track[trackNames.length];
    gather = new ByteBuffer[1 + 3 * tracks.length];
    for (int i = 0; i < tracks.length; i++) {
      tracks[i] = new Track(trackNames[i]);
    }
  }

  /**
   * A channel message (status 0x80..0xEF) at the end of {@code track}. A tick earlier than the
   * track's last event is moved up to it: each track is written in the order its events came.
   */
  public void add(int track, long tick, int message) {
    int status = message & 0xFF;
    if (status < 0x80 || status >= 0xF0) {
      throw new IllegalArgumentException("not a channel message: status 0x"
          + Integer.toHexString(status));
    }
    Track t = tracks[track];
    t.delta(tick);
    int kind = status & 0xF0;
    boolean twoBytes = kind != 0xC0 && kind != 0xD0;
    t.ensure(3);
    t.body.put((byte) status).put((byte) ((message >>> 8) & 0x7F));
    if (twoBytes) {
      t.body.put((byte) ((message >>> 16) & 0x7F));
    }
    int key = (status & 0x0F) << 7 | (message >>> 8) & 0x7F;
    int velocity = (message >>> 16) & 0x7F;
    if (kind == 0x90 && velocity > 0) {
      t.sounding[key]++;
    } else if ((kind == 0x80 || kind == 0x90) && t.sounding[key] > 0) {
      t.sounding[key]--;
    }
  }

  /** A tempo change to {@code microsPerQuarter} at the end of {@code track}. */
  public void tempo(int track, long tick, int microsPerQuarter) {
    if (microsPerQuarter <= 0 || microsPerQuarter > 0xFFFFFF) {
      throw new IllegalArgumentException("tempo must be 1..16777215 us per quarter, got "
          + microsPerQuarter);
    }
    Track t = tracks[track];
    t.delta(tick);
    t.ensure(6);
    t.body.put((byte) 0xFF).put((byte) 0x51).put((byte) 3).put((byte) (microsPerQuarter >> 16))
        .put((byte) (microsPerQuarter >> 8)).put((byte) microsPerQuarter);
  }

  /** The tick of the last event of any track. */
  public long lastTick() {
    long last = 0;
    for (Track t : tracks) {
      last = Math.max(last, t.lastTick);
    }
    return last;
  }

  /**
   * Writes the file as it stands into {@code out}, every sounding note ended at {@code tick} (or
   * at its track's last event, if later); returns the bytes written.
   */
  public long writeTo(GatheringByteChannel out, long tick) throws IOException {
    header.rewind();
    gather[0] = header;
    long total = header.remaining();
    for (int i = 0; i < tracks.length; i++) {
      Track t = tracks[i];
      t.closeSoundingNotes(tick);
      int length = t.body.position() + t.tail.limit();
      t.chunk.clear();
      t.chunk.put((byte) 'M').put((byte) 'T').put((byte) 'r').put((byte) 'k').putInt(length).flip();
      t.view.limit(t.body.position()).position(0);
      gather[1 + 3 * i] = t.chunk;
      gather[2 + 3 * i] = t.view;
      gather[3 + 3 * i] = t.tail;
      total += 8 + length;
    }
    long written = 0;
    while (written < total) {
      written += out.write(gather);
    }
    return total;
  }

  /**
   * Replaces {@code out} with the file as it stands, atomically: written into {@code temp} (in the
   * same directory), forced to the disk, renamed over {@code out}, and the directory forced. When
   * anything fails (a full disk, say) the temporary file is removed and {@code out} is as it was.
   */
  public long writeAtomically(Path out, Path temp, long tick) throws IOException {
    long bytes;
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      bytes = writeTo(ch, tick);
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    try {
      Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Path dir = out.toAbsolutePath().getParent();
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true); // the rename itself survives a power cut
    } catch (IOException e) {
      // Some file systems cannot open or force a directory; the file itself is complete.
    }
    return bytes;
  }

  /** The temporary file {@link #writeAtomically} uses beside {@code out}. */
  public static Path temporaryFor(Path out) {
    return out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".tmp");
  }

  /** One track: its encoded events so far, and the notes sounding at their end. */
  private static final class Track {
    private ByteBuffer body = ByteBuffer.allocateDirect(4096);
    private ByteBuffer view = body.duplicate();
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(8);
    /** A 4-byte delta, up to 16 x 128 x 4 note-offs of 4 bytes, the end of track. */
    private final ByteBuffer tail =
        ByteBuffer.allocateDirect(4 + 16 * 128 * MAX_OFFS_PER_KEY * 4 + 4);
    private final int[] sounding = new int[16 * 128];
    private long lastTick;

    Track(String name) {
      byte[] text = name.getBytes(StandardCharsets.US_ASCII);
      if (text.length > 127) {
        throw new IllegalArgumentException("track name longer than 127 bytes: " + name);
      }
      body.put((byte) 0).put((byte) 0xFF).put((byte) 0x03).put((byte) text.length).put(text);
    }

    /** Writes the delta time from the last event to {@code tick} (no earlier than it). */
    void delta(long tick) {
      long t = Math.max(tick, lastTick);
      long d = t - lastTick;
      if (d > 0x0FFFFFFF) {
        throw new IllegalArgumentException("delta time " + d + " does not fit a MIDI file");
      }
      ensure(4);
      writeVarLen(body, d);
      lastTick = t;
    }

    void ensure(int bytes) {
      if (body.remaining() >= bytes) {
        return;
      }
      ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(2 * body.capacity(),
          body.position() + bytes));
      body.flip();
      bigger.put(body);
      body = bigger;
      view = body.duplicate();
    }

    /** Fills the tail: a note-off at {@code tick} for each note sounding, then end of track. */
    void closeSoundingNotes(long tick) {
      tail.clear();
      writeVarLen(tail, Math.min(Math.max(0, tick - lastTick), 0x0FFFFFFF));
      boolean first = true;
      for (int key = 0; key < sounding.length; key++) {
        for (int n = Math.min(sounding[key], MAX_OFFS_PER_KEY); n > 0; n--) {
          if (!first) {
            tail.put((byte) 0);
          }
          tail.put((byte) (0x80 | key >> 7)).put((byte) (key & 0x7F)).put((byte) 0);
          first = false;
        }
      }
      if (!first) {
        tail.put((byte) 0);
      }
      tail.put(END_OF_TRACK).flip();
    }
  }

  private static void writeVarLen(ByteBuffer out, long value) {
    int shift = 21;
    while (shift > 0 && (value >>> shift) == 0) {
      shift -= 7;
    }
    for (; shift > 0; shift -= 7) {
      out.put((byte) (((value >>> shift) & 0x7F) | 0x80));
    }
    out.put((byte) (value & 0x7F));
  }
}
