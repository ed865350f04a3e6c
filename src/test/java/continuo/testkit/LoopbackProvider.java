package continuo.testkit;

import continuo.metrics.Counters;
import continuo.midi.MidiBackendException;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiPortInfo;
import continuo.midi.MidiProvider;
import continuo.midi.MidiSettings;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.NanoClock;

/**
 * A backend for tests of a whole session: the test plays into the input ring the session opened it
 * with and reads continuo's output from the output ring itself. It can be unplugged ({@link
 * #unplug}, its connection is then lost and opening fails) and plugged back in.
 */
public final class LoopbackProvider implements MidiProvider {
  private final String name;
  private final int autoOrder;
  private volatile String unavailable;
  private volatile boolean plugged = true;
  private volatile Connection current;
  private final AtomicInteger opens = new AtomicInteger();

  public LoopbackProvider(String name, int autoOrder, String unavailableReason) {
    this.name = name;
    this.autoOrder = autoOrder;
    this.unavailable = unavailableReason;
  }

  public LoopbackProvider() {
    this("loopback", 50, null);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int autoOrder() {
    return autoOrder;
  }

  @Override
  public String unavailableReason() {
    return unavailable;
  }

  @Override
  public List<MidiPortInfo> ports() {
    return List.of(new MidiPortInfo(name, "loop", true, "a test's loopback"));
  }

  @Override
  public MidiConnection open(MidiSettings settings, MidiEventRing input, MidiEventRing output,
      NanoClock clock, Counters counters) throws MidiBackendException {
    if (!plugged) {
      throw new MidiBackendException(name + " is unplugged");
    }
    opens.incrementAndGet();
    Connection c = new Connection(input, output);
    current = c;
    return c;
  }

  /** The connection opened last. */
  public Connection connection() {
    return current;
  }

  /** How many times the backend was opened. */
  public int opens() {
    return opens.get();
  }

  /** The device goes away: its connection is lost and it cannot be opened until plugged in. */
  public void unplug() {
    plugged = false;
    Connection c = current;
    if (c != null) {
      c.alive = false;
    }
  }

  public void plugIn() {
    plugged = true;
  }

  /** One open loopback: its rings, and whether it still lives. */
  public static final class Connection implements MidiConnection {
    public final MidiEventRing input;
    public final MidiEventRing output;
    volatile boolean alive = true;
    public volatile boolean closed;

    Connection(MidiEventRing input, MidiEventRing output) {
      this.input = input;
      this.output = output;
    }

    @Override
    public String describe() {
      return "loopback";
    }

    @Override
    public MidiEventRing output() {
      return output;
    }

    @Override
    public long outputLeadNanos() {
      return 0;
    }

    @Override
    public boolean isAlive() {
      return alive && !closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
