package continuo.tempo;

/**
 * Follows a MIDI clock (0xF8 at 24 pulses per quarter note) and its transport (Start 0xFA,
 * Continue 0xFB, Stop 0xFC, Song Position 0xF2): tempo, beat position, running or stopped, and
 * whether the clock is present at all.
 *
 * <p>Tick times go through an alpha-beta tracker (a second-order loop) whose gains start as those
 * of a least-squares line fit through every tick so far and settle at those of a fit over the last
 * {@link #MEMORY_TICKS} ticks, so one beat of clock already gives a tempo to a fraction of a bpm
 * under a millisecond of USB jitter, and the steady estimate does not wobble. A tick that lands far
 * from its prediction is skipped once; two in a row mean the tempo jumped, and the loop locks anew
 * from those ticks. No tick for {@link #LOST_PERIODS} expected periods means the clock is gone.
 *
 * <p>Single-threaded: the thread that decodes MIDI input calls {@link #onMessage} with each
 * message's timestamp and may query the state at any time; nothing here allocates.
 */
public final class MidiClockFollower implements TempoEstimate {
  /** MIDI clock pulses per quarter note. */
  public static final int PPQN = 24;
  /** Ticks over which the steady loop averages (four beats). */
  public static final int MEMORY_TICKS = 96;
  /** Ticks a new lock needs before its tempo is offered (a sixteenth note). */
  public static final int MIN_TICKS = 6;
  /** Expected tick periods without a tick after which the clock counts as lost. */
  public static final int LOST_PERIODS = 3;

  /** What {@link #onMessage} did with a message. */
  public static final int IGNORED = 0;
  public static final int TICK = 1;
  public static final int START = 2;
  public static final int CONTINUE = 3;
  public static final int STOP = 4;
  public static final int SONG_POSITION = 5;
  public static final int MALFORMED = 6;

  private static final double NANOS_PER_MINUTE = 60e9;
  /** Tick periods outside 20..400 bpm are not a clock. */
  private static final double MIN_PERIOD = NANOS_PER_MINUTE / (400.0 * PPQN);
  private static final double MAX_PERIOD = NANOS_PER_MINUTE / (20.0 * PPQN);
  /** A tick this far from its prediction (or 15 % of a period, if more) is an outlier. */
  private static final double OUTLIER_NANOS = 3e6;

  private final int memoryTicks;
  // The loop: the smoothed time of the last tick relative to origin, and the tick period.
  private long origin;
  private double lastTick;
  private double period;
  private int ticks;
  private long lastRawTick;
  private long previousRawTick;
  private int outliersInARow;

  // Transport: the song position (in ticks) of the next tick, and of the last one counted.
  private boolean running;
  private boolean tickedSinceStart;
  private long nextPosition;
  private long lastPosition;

  private long malformed;
  private long relocks;

  /** A follower with the default memory of {@link #MEMORY_TICKS} ticks. */
  public MidiClockFollower() {
    this(MEMORY_TICKS);
  }

  /** A follower whose steady loop averages over about {@code memoryTicks} ticks (2..10000). */
  public MidiClockFollower(int memoryTicks) {
    if (memoryTicks < 2 || memoryTicks > 10_000) {
      throw new IllegalArgumentException("memoryTicks must be 2..10000, got " + memoryTicks);
    }
    this.memoryTicks = memoryTicks;
  }

  /**
   * Takes one MIDI message received at {@code nanos}: a real-time byte as {@code status} (data
   * ignored), or Song Position with its two 7-bit data bytes. Returns what it was
   * ({@link #TICK}, {@link #START}, ..., {@link #IGNORED} for any other message, {@link #MALFORMED}
   * for a Song Position with a data byte over 127, which is counted and skipped).
   */
  public int onMessage(int status, int data1, int data2, long nanos) {
    switch (status & 0xFF) {
      case 0xF8:
        tick(nanos);
        return TICK;
      case 0xFA:
        running = true;
        tickedSinceStart = false;
        nextPosition = 0;
        return START;
      case 0xFB:
        running = true;
        tickedSinceStart = false;
        return CONTINUE;
      case 0xFC:
        if (running && tickedSinceStart) {
          nextPosition = lastPosition + 1;
        }
        running = false;
        return STOP;
      case 0xF2:
        if ((data1 & ~0x7F) != 0 || (data2 & ~0x7F) != 0) {
          malformed++;
          return MALFORMED;
        }
        // Song Position counts sixteenth notes: six clock ticks each.
        nextPosition = 6L * ((data2 << 7) | data1);
        tickedSinceStart = false;
        return SONG_POSITION;
      default:
        return IGNORED;
    }
  }

  private void tick(long nanos) {
    if (running) {
      lastPosition = tickedSinceStart ? lastPosition + 1 : nextPosition;
      tickedSinceStart = true;
    }
    if (ticks > 0 && nanos - lastRawTick > LOST_PERIODS * period && ticks >= 2) {
      ticks = 0;
    }
    previousRawTick = lastRawTick;
    lastRawTick = nanos;
    if (ticks == 0) {
      lock(nanos);
      return;
    }
    double x = nanos - origin;
    if (ticks == 1) {
      double p = x - lastTick;
      if (p < MIN_PERIOD || p > MAX_PERIOD) {
        lock(nanos);
        return;
      }
      period = p;
      lastTick = x;
      ticks = 2;
      return;
    }
    double predicted = lastTick + period;
    double error = x - predicted;
    if (Math.abs(error) > Math.max(OUTLIER_NANOS, 0.15 * period)) {
      if (++outliersInARow >= 2) {
        relock(nanos);
      } else {
        lastTick = predicted;
      }
      return;
    }
    outliersInARow = 0;
    // Alpha-beta gains of a least-squares line through k points; k stops growing at the memory.
    double k = Math.min(ticks + 1, memoryTicks);
    double alpha = 2.0 * (2.0 * k - 1.0) / (k * (k + 1.0));
    double beta = 6.0 / (k * (k + 1.0));
    lastTick = predicted + alpha * error;
    period = Math.min(MAX_PERIOD, Math.max(MIN_PERIOD, period + beta * error));
    ticks++;
    if (lastTick > 1e12) {
      long whole = (long) lastTick;
      origin += whole;
      lastTick -= whole;
    }
  }

  private void lock(long nanos) {
    origin = nanos;
    lastTick = 0;
    ticks = 1;
    outliersInARow = 0;
  }

  /** The tempo jumped: start a new lock on the last two ticks. */
  private void relock(long nanos) {
    relocks++;
    double p = nanos - previousRawTick;
    lock(previousRawTick);
    if (p >= MIN_PERIOD && p <= MAX_PERIOD) {
      period = p;
      lastTick = p;
      ticks = 2;
    } else {
      lock(nanos);
    }
  }

  /** Whether the clock is present (enough recent ticks, none missing) at {@code nowNanos}. */
  @Override
  public boolean available(long nowNanos) {
    return ticks >= MIN_TICKS && nowNanos - lastRawTick <= LOST_PERIODS * period;
  }

  /** The smoothed tempo; 0 before the second tick. */
  @Override
  public double bpm() {
    return ticks >= 2 ? NANOS_PER_MINUTE / (PPQN * period) : 0;
  }

  /**
   * The song position in beats at {@code nowNanos}: from the last counted tick, moved on by the
   * smoothed period while running (never past the next tick's position before it arrives), and
   * counted back along the clock for a time before the last tick (a backend that stamps each
   * message with the time of its frame hands over a tick before that time comes); frozen where
   * the transport stopped, or at the position Start or Song Position set.
   */
  @Override
  public double beatAt(long nowNanos) {
    if (!running || !tickedSinceStart || ticks < 2) {
      return (running && tickedSinceStart ? lastPosition : nextPosition) / (double) PPQN;
    }
    double since = (nowNanos - origin - lastTick) / period;
    return (lastPosition + Math.min(1.0, since)) / PPQN;
  }

  /** Whether the transport is running (after Start or Continue, until Stop). */
  public boolean running() {
    return running;
  }

  /** The smoothed tick period in nanoseconds; 0 before the second tick. */
  public double tickPeriodNanos() {
    return ticks >= 2 ? period : 0;
  }

  /** Song Position messages with a data byte over 127, skipped. */
  public long malformed() {
    return malformed;
  }

  /** Times the loop locked anew because the tempo jumped. */
  public long relocks() {
    return relocks;
  }
}
