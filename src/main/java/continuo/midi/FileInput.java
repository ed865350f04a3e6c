package continuo.midi;

import continuo.schedule.PreciseWait;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.agrona.concurrent.NanoClock;

/**
 * {@code --in file:phrase.mid}: plays a Standard MIDI File into the engine in real time, as if a
 * player played it (for demos and tests). The file is read and converted to timed messages at
 * set-up; playback runs on this input's own thread, which is the only producer of its ring.
 */
public final class FileInput implements AutoCloseable {
  /** The prefix of {@code --in} that selects a file. */
  public static final String PREFIX = "file:";

  private final long[] micros;
  private final int[] messages;
  private final MidiEventRing ring;
  private final NanoClock clock;
  private final Path file;
  private Thread thread;
  private volatile boolean running = true;
  private volatile boolean finished;

  public FileInput(Path file, MidiEventRing ring, NanoClock clock) throws IOException {
    this.file = file;
    this.ring = ring;
    this.clock = clock;
    List<long[]> events = read(file);
    micros = new long[events.size()];
    messages = new int[events.size()];
    for (int i = 0; i < events.size(); i++) {
      micros[i] = events.get(i)[0];
      messages[i] = (int) events.get(i)[1];
    }
  }

  /** Number of channel messages the file will play. */
  public int size() {
    return messages.length;
  }

  /** Length of the file's music in microseconds. */
  public long lengthMicros() {
    return micros.length == 0 ? 0 : micros[micros.length - 1];
  }

  /** Starts playing after {@code delayNanos}. */
  public void start(long delayNanos) {
    thread = new Thread(() -> play(delayNanos), "continuo-file-input");
    thread.setDaemon(true);
    thread.start();
  }

  public boolean isFinished() {
    return finished;
  }

  private void play(long delayNanos) {
    long start = clock.nanoTime() + delayNanos;
    for (int i = 0; i < messages.length && running; i++) {
      long due = start + micros[i] * 1_000;
      while (running && !PreciseWait.until(clock, due, 10_000_000L)) {
        // re-check running at least every 10 ms, so close() is prompt
      }
      ring.offer(due, messages[i]);
    }
    finished = true;
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      try {
        thread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "file " + file + " (" + messages.length + " messages, "
        + lengthMicros() / 1_000_000.0 + " s)";
  }

  /** Channel messages of every track in time order, as {micros, packed message}; honours tempo. */
  static List<long[]> read(Path file) throws IOException {
    Sequence seq;
    try {
      seq = MidiSystem.getSequence(file.toFile());
    } catch (InvalidMidiDataException e) {
      throw new IOException(file + ": not a Standard MIDI File (" + e.getMessage() + ")", e);
    } catch (java.io.FileNotFoundException e) {
      throw new IOException(file + ": no such MIDI file", e);
    }
    List<MidiEvent> all = new ArrayList<>();
    for (Track t : seq.getTracks()) {
      for (int i = 0; i < t.size(); i++) {
        all.add(t.get(i));
      }
    }
    all.sort((a, b) -> Long.compare(a.getTick(), b.getTick())); // stable: track order kept
    List<long[]> out = new ArrayList<>();
    boolean ppq = seq.getDivisionType() == Sequence.PPQ;
    double microsPerTick = ppq ? 500_000.0 / seq.getResolution()
        : 1e6 / (seq.getDivisionType() * seq.getResolution());
    long lastTick = 0;
    double now = 0;
    for (MidiEvent e : all) {
      now += (e.getTick() - lastTick) * microsPerTick;
      lastTick = e.getTick();
      if (e.getMessage() instanceof MetaMessage m && m.getType() == 0x51 && ppq
          && m.getData().length == 3) {
        byte[] d = m.getData();
        int tempo = (d[0] & 0xFF) << 16 | (d[1] & 0xFF) << 8 | (d[2] & 0xFF);
        if (tempo > 0) {
          microsPerTick = (double) tempo / seq.getResolution();
        }
      } else if (e.getMessage() instanceof ShortMessage s && s.getStatus() >= 0x80
          && s.getStatus() < 0xF0) {
        out.add(new long[] {Math.round(now), MidiMessage.pack(s.getStatus(), s.getData1(),
            s.getData2())});
      }
    }
    return out;
  }
}
