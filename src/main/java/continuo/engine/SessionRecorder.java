package continuo.engine;

import continuo.midi.MidiEventRing;
import continuo.midi.MidiHandler;
import continuo.midi.MidiMessage;
import continuo.midifile.GrowingMidiFile;
import continuo.midifile.TempoMap;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * {@code --record jam.mid}: the recording agent ({@code continuo-recorder}). It drains the
 * engine's record ring into a type 1 MIDI file (the player's notes on one track, continuo's on
 * another, 480 ticks per quarter, the session's tempo changes in the player's track, 120 bpm until
 * the first) and about every second replaces the file at the {@code --record} path with the jam so
 * far, atomically (a temporary file beside it, forced to disk, renamed over it). A kill -9 or a
 * crash therefore loses at most the last second or two, and leaves a complete, readable file.
 * When a write fails (a full disk), the previous file stays as it was, one line is logged, and the
 * next tick tries again. Runs on its own thread, never the engine's; after its runner has closed,
 * the control thread calls {@link #finish} for the last write.
 */
public final class SessionRecorder implements Agent {
  /** How often the file is rewritten. */
  public static final long REWRITE_NANOS = 1_000_000_000L;

  static final int PPQ = 480;
  private static final int PLAYER = 0;
  private static final int CONTINUO = 1;

  private final MidiEventRing ring;
  private final NanoClock clock;
  private final Path file;
  private final Path temp;
  private final Consumer<String> log;
  private final GrowingMidiFile midi = emptyJam();
  private final MidiHandler add = this::add;
  private final long startNanos;
  /** The tempo segment in force: from {@code segmentMicros} (at {@code segmentTick}) on. */
  private long segmentMicros;
  private long segmentTick;
  private int microsPerQuarter = TempoMap.DEFAULT_TEMPO;
  private long nextWriteNanos;
  private boolean failing;
  /** Whether anything but the file's initial tempo has been recorded. */
  private boolean notesOrTempo;
  private volatile int notes;
  private volatile long lastWriteNanos = -1;

  /** Records what {@code ring} carries from {@code clock}'s now on into {@code file}. */
  public SessionRecorder(MidiEventRing ring, NanoClock clock, Path file, Consumer<String> log) {
    this.ring = ring;
    this.clock = clock;
    this.file = file;
    this.temp = GrowingMidiFile.temporaryFor(file);
    this.log = log;
    this.startNanos = clock.nanoTime();
    this.nextWriteNanos = startNanos;
  }

  /**
   * Writes the file of a jam with no notes yet into {@code file}, which must be new: claims the
   * name before the jam starts, so that the path holds a readable MIDI file from the first moment.
   */
  public static void writeEmpty(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      emptyJam().writeTo(ch, 0);
      ch.force(true);
    }
  }

  /** The player's and continuo's tracks, at 120 bpm until the session's tempo says otherwise. */
  private static GrowingMidiFile emptyJam() {
    GrowingMidiFile f = new GrowingMidiFile(PPQ, "player", "continuo");
    f.tempo(PLAYER, 0, TempoMap.DEFAULT_TEMPO);
    return f;
  }

  @Override
  public String roleName() {
    return "continuo-recorder";
  }

  @Override
  public int doWork() {
    int work = ring.drain(add);
    long now = clock.nanoTime();
    if (now - nextWriteNanos >= 0) {
      nextWriteNanos = now + REWRITE_NANOS;
      tryWrite(now);
      work++;
    }
    return work;
  }

  /** Drains what is left and writes the file a last time; for the control thread, at the end. */
  public void finish() throws IOException {
    ring.drain(add);
    write(clock.nanoTime());
  }

  public Path file() {
    return file;
  }

  /** Any thread: the player's and continuo's note-ons recorded so far. */
  public int notes() {
    return notes;
  }

  /** Any thread: how long the last write of the file took, in nanoseconds (-1 before the first). */
  public long lastWriteNanos() {
    return lastWriteNanos;
  }

  private void tryWrite(long now) {
    try {
      write(now);
      if (failing) {
        failing = false;
        log.accept("event=record_resumed file=" + file);
      }
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        failing = true;
        log.accept("event=record_write_failed file=" + file + " error=\"" + reason(e)
            + "\" action=kept_previous_file_retrying_every_second");
      }
    }
  }

  private static String reason(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private void write(long now) throws IOException {
    long t0 = System.nanoTime();
    midi.writeAtomically(file, temp, tick(now));
    lastWriteNanos = System.nanoTime() - t0;
  }

  private void add(long t, int tagged) {
    if ((tagged & LiveEngine.RECORD_TEMPO) != 0) {
      // The session's first tempo, before any note, is the file's tempo from its start.
      long tick = notesOrTempo ? tick(t) : 0;
      segmentMicros = notesOrTempo ? micros(t) : 0;
      segmentTick = tick;
      notesOrTempo = true;
      microsPerQuarter = Math.max(1, tagged & 0xFFFFFF);
      midi.tempo(PLAYER, tick, microsPerQuarter);
      return;
    }
    int msg = tagged & 0xFFFFFF;
    int status = MidiMessage.status(msg);
    if (status < 0x80 || status >= 0xF0) {
      return; // only channel voice messages are recorded
    }
    midi.add((tagged & LiveEngine.RECORD_CONTINUO) != 0 ? CONTINUO : PLAYER, tick(t), msg);
    notesOrTempo = true;
    if (MidiMessage.isNoteOn(msg)) {
      notes++;
    }
  }

  private long micros(long t) {
    return Math.max(0, (t - startNanos) / 1_000);
  }

  /** The tick of clock time {@code t} under the tempo in force. */
  private long tick(long t) {
    long micros = Math.max(micros(t), segmentMicros);
    return segmentTick + Math.round((micros - segmentMicros) * (double) PPQ / microsPerQuarter);
  }
}
