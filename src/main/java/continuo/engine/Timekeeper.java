package continuo.engine;

import continuo.model.LstmStepper;
import continuo.preset.Preset;
import continuo.tempo.BeatTracker;
import continuo.tempo.MetricalLevel;
import continuo.tempo.MidiClockFollower;
import continuo.tempo.TapTempo;
import continuo.tempo.TempoSelector;
import continuo.tempo.TempoSource;
import continuo.tempo.TimeWarp;

/**
 * Keeps time for the live engine: owns the tempo sources (the DAW's MIDI clock and transport, tap
 * tempo, the beat tracker on the player's note-ons, the preset's {@code bpm}, a fixed
 * {@code --bpm}), the {@link TempoSelector} that picks the best of them, and the time warp
 * between the player's time and the model's. {@link LiveEngine#onInput} feeds it every clock and
 * transport message, the player's note-ons and the tap controller's presses; {@link #update} runs
 * once per duty cycle. Engine thread only, except the status reads ({@link #statusBpm},
 * {@link #statusSource}, {@link #sourceChanges}); allocation free.
 *
 * <h2>Reading the time (engine thread)</h2>
 *
 * <ul>
 *   <li>{@link #bpm()}: the tempo in quarter notes per minute, from {@link #source()}, as of the
 *       last {@link #update}.
 *   <li>{@link #beatAt(long)}: the beat position at a time (nanoseconds on the engine's clock,
 *       the player's time): whole numbers are beats. With a MIDI clock it is the song position
 *       (Start sets 0, Song Position moves it, Stop freezes it); from the tracker or tap tempo,
 *       beats counted from the first one found; from a fixed or preset tempo, beats counted from
 *       when that source was chosen.
 *   <li>{@link #nanosAtBeat(double, long)}: when a beat position falls, extrapolated from
 *       {@code now} at the current tempo (for a grid line or a clock tick ahead of time).
 *   <li>{@link #beatNanos()}: the length of one beat at the current tempo.
 *   <li>{@link #transportRunning()}: false between a MIDI Stop and the next Start or Continue.
 * </ul>
 *
 * <h2>The time warp</h2>
 *
 * The model speaks at its reference tempo R (0: a model without one, no warp). At a current tempo
 * B (the beat tracker's at the metrical level {@link MetricalLevel} chooses from the player's onset
 * rate and the model's onsets per beat, or folded to the octave nearest R for a model that does
 * not give them, so a tracker counting in half time still maps to the model's metrical level; a
 * clock, taps or a number are taken as they are), player
 * time runs {@code B / R} times as fast in model time: {@link #toModel}
 * and {@link #toPlayer} map times (not gaps) through a piecewise-linear timeline anchored anew
 * whenever the tempo changes, so the mapping is continuous and monotonic and a tempo change never
 * moves what was already told to the model. The tracker's tempo reaches the warp only once its
 * level is chosen: the tracker can have a beat after 6 onsets and one beat, before the onset rate
 * is measured (8 gaps), and a folded guess at the wrong level would have the model hear the
 * opening at twice or half its density; until then the warp keeps the tempo it had.
 *
 * <h2>Asking the model</h2>
 *
 * With a {@link LevelJudge} ({@link #judgeWith}), the model itself is asked which level it hears
 * the player at ({@link LevelChoice}: it tells a jig's dotted-quarter beat from a reel's quarter,
 * which the onset rate cannot): once the tracker has a beat and the player has played
 * {@link #FIRST_ASK} onsets, and again after every {@link #ASK_EVERY} more, the player's last
 * {@link #WINDOW_EVENTS} note events go to the judge's thread; its verdict decides the level
 * ({@link MetricalLevel#judged}), and until the first one the warp waits as it waits for the
 * density. A model whose stepper cannot be shared with the judge's thread is left to the density.
 */
final class Timekeeper implements TempoStatus {
  private final MidiClockFollower clock = new MidiClockFollower();
  private final TapTempo tap = new TapTempo();
  private final BeatTracker tracker = new BeatTracker();
  private TempoSelector selector;
  private double fixedBpm;
  private double presetBpm = Double.NaN;
  private int tapCc = -1;
  private boolean transportRunning = true;

  private TimeWarp warp;
  private final MetricalLevel level = new MetricalLevel();
  private double warpBpm;

  /** Onsets before the first question to the judge. */
  static final int FIRST_ASK = 12;
  /** Onsets between two questions. */
  static final int ASK_EVERY = 32;
  /** The player's note events a question is about, at most. */
  static final int WINDOW_EVENTS = LevelJudge.WINDOW_EVENTS;
  private LevelJudge judge;
  private LstmStepper model;
  private double referenceBpm;
  private double onsetsPerBeat;
  /** The player's recent note events, a ring of {@link #WINDOW_EVENTS}. */
  private final long[] recentNanos = new long[WINDOW_EVENTS];
  private final int[] recentEvents = new int[WINDOW_EVENTS];
  private long recentCount;
  private long onsets;
  private long lastOnset = Long.MIN_VALUE;
  private long askedAtOnsets = Long.MIN_VALUE;
  private double askedTrackerBpm;

  private volatile double statusBpm;
  private volatile TempoSource statusSource;
  private volatile long sourceChanges;
  private volatile int lastTransport;
  private volatile double transportBpm;
  private volatile TempoSource transportSource;
  private volatile long transportEvents;

  Timekeeper() {}

  /** Set-up, before the engine runs: {@code --bpm} fixes the tempo (0: follow the sources). */
  void fixTempo(double bpm, long now) {
    fixedBpm = bpm;
    selector = null;
    select(now);
  }

  /** Takes the preset's {@code bpm} and tap controller; the sources keep what they learned. */
  void use(Preset p, long now) {
    tapCc = p.tapCc();
    if (p.bpm() != presetBpm) {
      presetBpm = p.bpm();
      selector = null;
      select(now);
    }
  }

  /**
   * Set-up, before the engine runs: the model is asked which level it hears the player at, through
   * {@code judge} (null: the onset density alone decides).
   */
  void judgeWith(LevelJudge judge) {
    this.judge = judge;
    level.awaitVerdicts(judge != null && warp != null);
  }

  /**
   * Takes the model: {@code stepper}, its reference tempo ({@code referenceBpm}, or 0 for none: no
   * warp) and its onsets per beat there ({@code onsetsPerBeat}, or 0 for none: the tracker's tempo
   * is folded to the octave nearest the reference unless the model is asked). The timeline is
   * anchored at {@code now}, so times told before keep their model times; the player's onsets
   * heard so far still count, and the new model is asked anew.
   */
  void useModel(LstmStepper stepper, double referenceBpm, double onsetsPerBeat, long now) {
    long modelNow = toModel(now);
    model = stepper;
    this.referenceBpm = referenceBpm;
    this.onsetsPerBeat = onsetsPerBeat;
    warp = referenceBpm > 0 ? new TimeWarp(referenceBpm) : null;
    if (warp != null) {
      level.use(referenceBpm, onsetsPerBeat);
      level.awaitVerdicts(judge != null);
      warp.startAt(now, modelNow);
    }
    askedAtOnsets = Long.MIN_VALUE;
    warpBpm = 0;
    retime(now);
  }

  private void select(long now) {
    if (selector == null && !Double.isNaN(presetBpm)) {
      selector = new TempoSelector(fixedBpm, presetBpm, clock, null, tap, tracker);
    }
    update(now);
  }

  // ---------------------------------------------------------------- input

  /**
   * A system message (status 0xF0 and above) at {@code t}: clock and transport go to the clock
   * follower. Returns what it was, as {@link MidiClockFollower#onMessage} says ({@code START},
   * {@code STOP}, ...), so the engine can act on the transport.
   */
  int onSystem(long t, int status, int data1, int data2) {
    int kind = clock.onMessage(status, data1, data2, t);
    if (kind == MidiClockFollower.STOP) {
      transportRunning = false;
    } else if (kind == MidiClockFollower.START || kind == MidiClockFollower.CONTINUE) {
      transportRunning = true;
    }
    if (kind == MidiClockFollower.START || kind == MidiClockFollower.CONTINUE
        || kind == MidiClockFollower.STOP) {
      update(t); // the tempo as of this message, for the log
      transportBpm = statusBpm;
      transportSource = statusSource;
      lastTransport = kind;
      transportEvents++;
    }
    return kind;
  }

  /** A note-on the player played on {@code channel}: an onset for the beat tracker. */
  void playerNoteOn(long t, int channel, int pitch, int velocity) {
    tracker.noteOn(t, pitch, velocity);
    level.noteOn(t);
    remember(t, channel, pitch, velocity);
    if (lastOnset == Long.MIN_VALUE || t - lastOnset > LevelChoice.CHORD_NANOS) {
      onsets++;
      lastOnset = t;
    }
  }

  /** A note-off the player played, for the judge's window. */
  void playerNoteOff(long t, int channel, int pitch) {
    remember(t, channel, pitch, 0);
  }

  private void remember(long t, int channel, int pitch, int velocity) {
    int i = (int) (recentCount++ % WINDOW_EVENTS);
    recentNanos[i] = t;
    recentEvents[i] = channel << 16 | pitch << 8 | velocity;
  }

  /** A controller the player moved; true when it was the tap controller (its presses tap). */
  boolean controlChange(long t, int cc, int value) {
    if (cc != tapCc) {
      return false;
    }
    if (value > 0) {
      tap.tap(t);
    }
    return true;
  }

  /**
   * Once per duty cycle: closes a pending chord, re-chooses the source and, when the tempo moved,
   * anchors the time warp anew at {@code now}. Returns 1 when the source changed.
   */
  int update(long now) {
    if (selector == null) {
      return 0;
    }
    tracker.update(now);
    boolean changed = selector.update(now);
    consultJudge();
    retime(now);
    // The status says the tempo the model hears: the tracker's at the level chosen for it.
    statusBpm = warp != null && selector.source() == TempoSource.TRACKER ? warpBpm
        : selector.bpm();
    if (statusSource != selector.source()) {
      statusSource = selector.source();
      sourceChanges++;
    }
    return changed ? 1 : 0;
  }

  /** Takes the judge's verdict when it came, and asks again when it is time. */
  private void consultJudge() {
    if (judge == null || warp == null) {
      return;
    }
    if (judge.answered()) {
      double verdict = judge.take();
      if (judge.answeredFor() == model) {
        level.judged(verdict, askedTrackerBpm);
      }
    }
    boolean due = askedAtOnsets == Long.MIN_VALUE ? onsets >= FIRST_ASK
        : onsets - askedAtOnsets >= ASK_EVERY;
    if (!due || model == null || !judge.idle() || selector.source() != TempoSource.TRACKER) {
      return;
    }
    LevelChoice.Window w = judge.window();
    w.clear();
    long n = Math.min(recentCount, WINDOW_EVENTS);
    for (long k = recentCount - n; k < recentCount; k++) {
      int i = (int) (k % WINDOW_EVENTS);
      int e = recentEvents[i];
      w.add(recentNanos[i], e >>> 16, e >>> 8 & 0x7F, e & 0xFF);
    }
    askedAtOnsets = onsets;
    askedTrackerBpm = selector.bpm();
    judge.ask(model, askedTrackerBpm, referenceBpm, onsetsPerBeat,
        warpBpm > 0 ? warpBpm : Double.NaN);
  }

  private void retime(long now) {
    if (warp == null || selector == null) {
      return;
    }
    boolean tracked = selector.source() == TempoSource.TRACKER;
    double b = tracked ? level.levelOf(selector.bpm()) : selector.bpm();
    if (tracked && !level.decided()) {
      // The tracker has a beat but the level is not chosen yet (too few onsets for a rate): the
      // warp keeps the tempo it had rather than re-anchor at a folded guess for a beat or two.
      return;
    }
    if (b == warpBpm) {
      return;
    }
    warp.setBpm(b, now);
    warpBpm = b;
  }

  // ---------------------------------------------------------------- reading the time

  /** The tempo in beats (quarter notes) per minute, from {@link #source()}. */
  double bpm() {
    return selector == null ? presetBpm : selector.bpm();
  }

  /** Where the tempo comes from; null before the first {@link #update}. */
  TempoSource source() {
    return selector == null ? null : selector.source();
  }

  /** The beat position at {@code nanos} (player time): whole numbers are beats. */
  double beatAt(long nanos) {
    return selector == null ? 0 : selector.beatAt(nanos);
  }

  /** One beat at the current tempo, in nanoseconds. */
  double beatNanos() {
    return 60e9 / bpm();
  }

  /** When beat position {@code beat} falls, extrapolated from {@code now} at the current tempo. */
  long nanosAtBeat(double beat, long now) {
    return now + Math.round((beat - beatAt(now)) * beatNanos());
  }

  /** False between a MIDI Stop and the next Start or Continue (true when no clock was seen). */
  boolean transportRunning() {
    return transportRunning;
  }

  /** The MIDI clock follower, for the transport's song position; engine thread only. */
  MidiClockFollower clock() {
    return clock;
  }

  /** The beat tracker on the player's note-ons; engine thread only. */
  BeatTracker tracker() {
    return tracker;
  }

  // ---------------------------------------------------------------- the time warp

  /** Player time to model time. */
  long toModel(long playerNanos) {
    return warp == null ? playerNanos : warp.modelTime(playerNanos);
  }

  /** Model time to player time. */
  long toPlayer(long modelNanos) {
    return warp == null ? modelNanos : warp.playerTime(modelNanos);
  }

  /** The current tempo over the model's reference tempo (1 without a warp). */
  double warpScale() {
    return warp == null ? 1 : warp.scale();
  }

  // ---------------------------------------------------------------- status (any thread)

  /** Any thread: the tempo as of the last update, for the status line. */
  @Override
  public double statusBpm() {
    return statusBpm;
  }

  /** Any thread: the source as of the last update, or null before the first. */
  @Override
  public TempoSource statusSource() {
    return statusSource;
  }

  /** Any thread: Start, Continue and Stop messages followed so far. */
  @Override
  public long transportEvents() {
    return transportEvents;
  }

  /** Any thread: the last of them, for the log: "started", "continued" or "stopped". */
  @Override
  public String lastTransport() {
    int kind = lastTransport;
    return kind == MidiClockFollower.START ? "started"
        : kind == MidiClockFollower.CONTINUE ? "continued" : "stopped";
  }

  /** Any thread: the tempo when the last of them came. */
  @Override
  public double transportBpm() {
    return transportBpm;
  }

  /** Any thread: the tempo's source when the last of them came. */
  @Override
  public TempoSource transportSource() {
    return transportSource;
  }

  /** Any thread: how many times the source was chosen, the first choice included. */
  @Override
  public long sourceChanges() {
    return sourceChanges;
  }
}
