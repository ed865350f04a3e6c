package continuo.midi;

import continuo.metrics.Counters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.agrona.concurrent.NanoClock;

/**
 * {@code --in file:phrase.mid}: the input-only source that plays a Standard MIDI File into the
 * engine as if a player played it ({@link FileInput}), next to the backend that plays continuo's
 * output. Opened by the control thread; the file plays on the input's own thread.
 */
public final class FileInputProvider implements MidiProvider {
  /** From opening to the file's first event: the engine is running by then. */
  static final long START_DELAY_NANOS = 200_000_000L;

  @Override
  public String name() {
    return "file";
  }

  @Override
  public boolean playsOutput() {
    return false;
  }

  @Override
  public String unavailableReason() {
    return null; // a file can always be tried; open says what is wrong with it
  }

  @Override
  public List<MidiPortInfo> ports() {
    return List.of(new MidiPortInfo(name(), FileInput.PREFIX + "FILE.mid", true,
        "a Standard MIDI File, played in as if a player played it"));
  }

  /** Reads {@code settings.in()} ({@code file:PATH}) and starts playing it into {@code input}. */
  @Override
  public MidiConnection open(MidiSettings settings, MidiEventRing input, MidiEventRing output,
      NanoClock clock, Counters counters) throws MidiBackendException {
    String spec = settings.in();
    if (spec == null || !spec.startsWith(FileInput.PREFIX)) {
      throw new MidiBackendException("the file input needs --in " + FileInput.PREFIX
          + "FILE.mid, not '" + spec + "'");
    }
    Path path = Path.of(spec.substring(FileInput.PREFIX.length()));
    FileInput file;
    try {
      file = new FileInput(path, input, clock);
    } catch (IOException | RuntimeException e) {
      // Some of Java Sound's read errors come without a message (an empty file: EOFException).
      throw new MidiBackendException(e.getMessage() != null && e.getMessage().contains(
          path.toString()) ? e.getMessage() : path + ": not a readable Standard MIDI File ("
          + e + ")", e);
    }
    file.start(START_DELAY_NANOS);
    return new Playing(file);
  }

  /** A file being played in; it plays no output. */
  private record Playing(FileInput file) implements MidiConnection {
    @Override
    public String describe() {
      return file.toString();
    }

    @Override
    public MidiEventRing output() {
      return null;
    }

    @Override
    public long outputLeadNanos() {
      return 0;
    }

    @Override
    public boolean isAlive() {
      return true; // a file that has played to its end is not a lost device
    }

    @Override
    public void close() {
      file.close();
    }
  }
}
