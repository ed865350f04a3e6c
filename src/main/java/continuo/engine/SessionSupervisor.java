package continuo.engine;

import continuo.metrics.Counters;
import continuo.midi.MidiBackendException;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiProvider;
import continuo.midi.MidiSettings;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * The session's housekeeping agent: when the device or JACK server went away, it reopens the
 * backend with backoff (0.5 s doubling to 5 s, on the injected clock) while the engine keeps
 * running. Runs on its own thread; the backend's connection is handed over to
 * whoever reads {@link #connection} (any thread).
 */
final class SessionSupervisor implements Agent {
  static final long FIRST_RETRY_NANOS = 500_000_000L;
  static final long MAX_RETRY_NANOS = 5_000_000_000L;

  private final NanoClock clock;
  private final MidiProvider provider;
  private final MidiSettings settings;
  private final MidiEventRing input;
  private final MidiEventRing output;
  private final Counters counters;
  private final LongConsumer outputLead;
  private final Runnable reconnected;
  private final Consumer<String> log;
  private volatile MidiConnection connection;
  private volatile boolean alive = true;
  private long retryAtNanos;
  private long retryDelayNanos;

  /**
   * @param connection the backend as opened by the session
   * @param outputLead told the output lead of every reopened connection (the engine's)
   * @param reconnected run on this thread after each reopening (the engine's
   *     {@link LiveEngine#backendReconnected}: keys held across the outage lost their note-offs)
   */
  SessionSupervisor(NanoClock clock, MidiProvider provider, MidiSettings settings,
      MidiEventRing input, MidiEventRing output, Counters counters, MidiConnection connection,
      LongConsumer outputLead, Runnable reconnected, Consumer<String> log) {
    this.clock = clock;
    this.provider = provider;
    this.settings = settings;
    this.input = input;
    this.output = output;
    this.counters = counters;
    this.connection = connection;
    this.outputLead = outputLead;
    this.reconnected = reconnected;
    this.log = log;
  }

  @Override
  public String roleName() {
    return "continuo-supervisor";
  }

  /** Any thread: the backend's connection now (after a reconnect, the new one). */
  MidiConnection connection() {
    return connection;
  }

  /** Any thread: whether the backend was there when last looked at. */
  boolean isAlive() {
    return alive;
  }

  @Override
  public int doWork() {
    int work = 0;
    if (retryDelayNanos == 0) {
      if (connection.isAlive()) {
        return work;
      }
      alive = false;
      log.accept("event=midi_lost backend=" + provider.name() + " action=reconnecting");
      closeQuietly(connection);
      retryDelayNanos = FIRST_RETRY_NANOS;
      retryAtNanos = clock.nanoTime() + retryDelayNanos;
      return work + 1;
    }
    if (clock.nanoTime() - retryAtNanos < 0) {
      return work;
    }
    try {
      MidiConnection c = provider.open(settings, input, output, clock, counters);
      outputLead.accept(c.outputLeadNanos());
      reconnected.run();
      connection = c;
      retryDelayNanos = 0;
      alive = true;
      log.accept("event=midi_reconnected " + c.describe());
    } catch (MidiBackendException | RuntimeException e) {
      retryDelayNanos = Math.min(MAX_RETRY_NANOS, retryDelayNanos * 2);
      retryAtNanos = clock.nanoTime() + retryDelayNanos;
    }
    return work + 1;
  }

  static void closeQuietly(MidiConnection c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      // The device is gone already; nothing left to release.
    }
  }
}
