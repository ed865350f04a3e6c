package continuo.midi;

import continuo.midifile.MidiFileReader;
import continuo.midifile.TimedMessages;
import continuo.schedule.PreciseWait;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * {@code --in file:phrase.mid}: plays a Standard MIDI File into the engine in real time, as if a
 * player played it (for demos and tests). The file is read with {@link MidiFileReader} at set-up
 * (bounded as the reader bounds every file); playback is a {@link Player} agent on its own
 * {@link AgentRunner}, which is the only producer of the ring. Set up, started and closed by the
 * control thread.
 */
public final class FileInput implements AutoCloseable {
  /** The prefix of {@code --in} that selects a file. */
  public static final String PREFIX = "file:";

  private final long[] micros;
  private final int[] messages;
  private final MidiEventRing ring;
  private final NanoClock clock;
  private final Path file;
  private Player player;
  private AgentRunner runner;

  public FileInput(Path file, MidiEventRing ring, NanoClock clock) throws IOException {
    this.file = file;
    this.ring = ring;
    this.clock = clock;
    TimedMessages events = MidiFileReader.read(file);
    micros = new long[events.size()];
    messages = new int[events.size()];
    for (int i = 0; i < events.size(); i++) {
      micros[i] = events.micros(i);
      messages[i] = events.message(i);
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

  /** Starts playing after {@code delayNanos}, on a daemon thread of its own. */
  public void start(long delayNanos) {
    player = player(delayNanos);
    runner = new AgentRunner(new UntilDue(player, clock), Throwable::printStackTrace, null,
        player);
    AgentRunner.startOnThread(runner, r -> {
      Thread t = new Thread(r, "continuo-file-input");
      t.setDaemon(true);
      return t;
    });
  }

  /** The playing agent, starting {@code delayNanos} from now, for a caller's own runner or test. */
  Player player(long delayNanos) {
    return new Player(micros, messages, ring, clock, clock.nanoTime() + delayNanos);
  }

  public boolean isFinished() {
    return player != null && player.isFinished();
  }

  @Override
  public void close() {
    if (runner != null) {
      runner.close();
    }
  }

  @Override
  public String toString() {
    return "file " + file + " (" + messages.length + " messages, "
        + lengthMicros() / 1_000_000.0 + " s)";
  }

  /** Channel messages of every track in time order, as {micros, packed message}; honours tempo. */
  static List<long[]> read(Path file) throws IOException {
    TimedMessages events = MidiFileReader.read(file);
    List<long[]> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      out.add(new long[] {events.micros(i), events.message(i)});
    }
    return out;
  }

  /**
   * Offers each message to the ring once its time has come, stamped with that time (not the time it
   * was noticed), so that a late wake-up does not shift the rhythm. Called by one thread.
   */
  static final class Player implements Agent {
    private final long[] micros;
    private final int[] messages;
    private final MidiEventRing ring;
    private final NanoClock clock;
    private final long startNanos;
    private int next;
    private volatile boolean finished;

    Player(long[] micros, int[] messages, MidiEventRing ring, NanoClock clock, long startNanos) {
      this.micros = micros;
      this.messages = messages;
      this.ring = ring;
      this.clock = clock;
      this.startNanos = startNanos;
      finished = messages.length == 0;
    }

    @Override
    public int doWork() {
      long now = clock.nanoTime();
      int work = 0;
      while (next < messages.length && dueNanos() <= now) {
        ring.offer(dueNanos(), messages[next++]);
        work++;
      }
      if (next == messages.length) {
        finished = true;
      }
      return work;
    }

    /** When the next message is due; {@code Long.MAX_VALUE} once all are played. */
    long dueNanos() {
      return next < messages.length ? startNanos + micros[next] * 1_000 : Long.MAX_VALUE;
    }

    boolean isFinished() {
      return finished;
    }

    @Override
    public String roleName() {
      return "continuo-file-input";
    }
  }

  /**
   * Idles until the player's next message is due: parks while it is far, spins the last 200 us,
   * but never longer than 10 ms at a time, so that closing the runner is prompt.
   */
  static final class UntilDue implements IdleStrategy {
    private static final long MAX_WAIT_NANOS = 10_000_000L;
    private final Player player;
    private final NanoClock clock;

    UntilDue(Player player, NanoClock clock) {
      this.player = player;
      this.clock = clock;
    }

    @Override
    public void idle(int workCount) {
      if (workCount == 0) {
        idle();
      }
    }

    @Override
    public void idle() {
      long due = player.dueNanos();
      PreciseWait.until(clock, due == Long.MAX_VALUE ? clock.nanoTime() + MAX_WAIT_NANOS : due,
          MAX_WAIT_NANOS);
    }

    @Override
    public void reset() {}
  }
}
