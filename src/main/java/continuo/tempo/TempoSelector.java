package continuo.tempo;

/**
 * Picks the tempo from the best source available: a fixed {@code --bpm} overrides all; otherwise
 * the MIDI clock, the host's transport, tap tempo, the beat tracker once settled, and last the
 * preset's bpm. A source that is not wired in is {@code null}.
 *
 * <p>{@link #update} re-evaluates at a given time and returns whether the source changed (for the
 * log: {@link #source()} and {@link #previous()} say from what to what, as enum constants; nothing is
 * allocated). The fixed and preset tempos count beats from the time they were first selected.
 *
 * <p>Single-threaded: the thread that owns the sources (the one that feeds them MIDI) calls
 * {@link #update} and the queries. {@link #appendStatus} is for the status line, off the hot path.
 */
public final class TempoSelector {
  private final double fixedBpm;
  private final double presetBpm;
  private final MidiClockFollower clock;
  private final HostTime host;
  private final TapTempo tap;
  private final BeatTracker tracker;

  private TempoSource source;
  private TempoSource previous;
  private TempoEstimate current;
  private double bpm;
  private long constantOrigin;
  private long changes;

  /**
   * @param fixedBpm {@code --bpm}, or 0 when not given
   * @param presetBpm the preset's tempo (20..400)
   */
  public TempoSelector(double fixedBpm, double presetBpm, MidiClockFollower clock, HostTime host,
      TapTempo tap, BeatTracker tracker) {
    if (fixedBpm != 0 && !(fixedBpm >= 20 && fixedBpm <= 400)) {
      throw new IllegalArgumentException("--bpm must be 20..400, got " + fixedBpm);
    }
    if (!(presetBpm >= 20 && presetBpm <= 400)) {
      throw new IllegalArgumentException("preset bpm must be 20..400, got " + presetBpm);
    }
    this.fixedBpm = fixedBpm;
    this.presetBpm = presetBpm;
    this.clock = clock;
    this.host = host;
    this.tap = tap;
    this.tracker = tracker;
  }

  /** Chooses the source at {@code nowNanos}; true if it differs from the one chosen before. */
  public boolean update(long nowNanos) {
    TempoSource next;
    TempoEstimate estimate = null;
    if (fixedBpm != 0) {
      next = TempoSource.FIXED;
    } else if (clock != null && clock.available(nowNanos)) {
      next = TempoSource.CLOCK;
      estimate = clock;
    } else if (host != null && host.available(nowNanos)) {
      next = TempoSource.HOST;
      estimate = host;
    } else if (tap != null && tap.available(nowNanos)) {
      next = TempoSource.TAP;
      estimate = tap;
    } else if (tracker != null && tracker.available(nowNanos)) {
      next = TempoSource.TRACKER;
      estimate = tracker;
    } else {
      next = TempoSource.PRESET;
    }
    current = estimate;
    bpm = estimate != null ? estimate.bpm() : next == TempoSource.FIXED ? fixedBpm : presetBpm;
    if (next == source) {
      return false;
    }
    if (estimate == null) {
      constantOrigin = nowNanos;
    }
    previous = source;
    source = next;
    changes++;
    return previous != null;
  }

  /** The source chosen by the last {@link #update}; null before the first. */
  public TempoSource source() {
    return source;
  }

  /** The source before the last change; null if there was none. */
  public TempoSource previous() {
    return previous;
  }

  /** The tempo from the chosen source as of the last {@link #update}. */
  public double bpm() {
    return bpm;
  }

  /** The beat position at {@code nowNanos} from the chosen source. */
  public double beatAt(long nowNanos) {
    if (current != null) {
      return current.beatAt(nowNanos);
    }
    return (nowNanos - constantOrigin) * bpm / 60e9;
  }

  /** Times the source changed, the first choice included. */
  public long changes() {
    return changes;
  }

  /** Appends the status line's tempo, as {@code 96.0 bpm clock}. */
  public StringBuilder appendStatus(StringBuilder out) {
    if (source == null) {
      return out.append("-- bpm");
    }
    long tenths = Math.round(bpm * 10);
    return out.append(tenths / 10).append('.').append(tenths % 10).append(" bpm ")
        .append(source.label());
  }
}
