package continuo.cli;

import continuo.encoding.Note;
import continuo.tempo.BeatTracker;
import continuo.tempo.TempoSelector;
import continuo.tempo.TempoSource;
import continuo.tempo.TimeWarp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code generate}'s tempo: the primer's, found from its onsets by the beat tracker the live engine
 * uses, chosen by the same {@link TempoSelector} ({@code --bpm} fixes it; the file's tempo map is
 * only the fallback when the tracker never settles, since a recording made without a click has a
 * meaningless one), and the time warp between the primer's time and the model's, as live: the
 * primer's times are warped to the model's reference tempo before they are encoded, and the
 * continuation's back to the primer's tempo. The timeline bends at each onset where the tempo
 * moved; before the tracker first settles it runs at the tempo the tracker settles on (offline,
 * the whole primer is known). Immutable after {@link #follow}.
 */
final class PrimerTempo {
  private static final long NANOS_PER_MICRO = 1_000L;

  private final TimeWarp warp;
  /** Where the timeline bends: player and model time (nanoseconds) and the scale after it. */
  private final long[] player;
  private final double[] model;
  private final double[] scale;
  private final TempoSource source;
  private final double bpm;

  private PrimerTempo(TimeWarp warp, long[] player, double[] model, double[] scale,
      TempoSource source, double bpm) {
    this.warp = warp;
    this.player = player;
    this.model = model;
    this.scale = scale;
    this.source = source;
    this.bpm = bpm;
  }

  /**
   * Follows {@code primer}'s tempo.
   *
   * @param fixedBpm {@code --bpm}, or 0 to follow the onsets
   * @param hintBpm the primer file's tempo map's tempo at its first note (20..400)
   * @param referenceBpm the model's reference tempo, or 0 for a model without one (no warp)
   * @param level the tracker's tempo times this is the primer's (0.5: it counted in double time,
   *     2: in half time), or 0 to fold it to the octave nearest the reference as the live engine
   *     does
   */
  static PrimerTempo follow(List<Note> primer, double fixedBpm, double hintBpm,
      double referenceBpm, double level) {
    List<Note> byStart = new ArrayList<>(primer);
    byStart.sort(Comparator.comparingLong(Note::startMicros));
    BeatTracker tracker = new BeatTracker();
    TempoSelector selector = new TempoSelector(fixedBpm, clamp(hintBpm), null, null, null,
        tracker);
    int n = byStart.size();
    long[] at = new long[n + 1];
    double[] tempo = new double[n + 1];
    TempoSource[] from = new TempoSource[n + 1];
    for (int i = 0; i < n; i++) {
      Note note = byStart.get(i);
      long t = note.startMicros() * NANOS_PER_MICRO;
      tracker.noteOn(t, note.pitch(), note.velocity());
      selector.update(t);
      at[i] = t;
      tempo[i] = selector.bpm();
      from[i] = selector.source();
    }
    long end = (n == 0 ? 0 : at[n - 1]) + 1_000_000_000L; // closes the last chord
    tracker.update(end);
    selector.update(end);
    at[n] = end;
    tempo[n] = selector.bpm();
    from[n] = selector.source();
    backFill(tempo, from);
    for (int i = 0; i <= n && level > 0; i++) {
      if (from[i] == TempoSource.TRACKER) {
        tempo[i] = Math.max(20, Math.min(400, tempo[i] * level));
      }
    }
    if (referenceBpm <= 0) {
      return new PrimerTempo(null, new long[0], new double[0], new double[0], from[n], tempo[n]);
    }
    TimeWarp warp = new TimeWarp(referenceBpm);
    warp.startAt(0, 0);
    List<double[]> bends = new ArrayList<>();
    double last = Double.NaN;
    for (int i = 0; i <= n; i++) {
      double b = level > 0 ? tempo[i] : warp.tempoOf(from[i], tempo[i]);
      if (b != last) {
        warp.setBpm(b, i == 0 ? 0 : at[i]);
        long p = i == 0 ? 0 : at[i];
        bends.add(new double[] {p, warp.modelTime(p), warp.scale()});
        last = b;
      }
    }
    long[] player = new long[bends.size()];
    double[] model = new double[bends.size()];
    double[] scale = new double[bends.size()];
    for (int i = 0; i < bends.size(); i++) {
      player[i] = (long) bends.get(i)[0];
      model[i] = bends.get(i)[1];
      scale[i] = bends.get(i)[2];
    }
    return new PrimerTempo(warp, player, model, scale, from[n], tempo[n]);
  }

  /** Before the tracker first settles, the tempo it settles on (when it does) rather than the hint. */
  private static void backFill(double[] tempo, TempoSource[] from) {
    int first = -1;
    for (int i = 0; i < from.length; i++) {
      if (from[i] == TempoSource.TRACKER) {
        first = i;
        break;
      }
    }
    for (int i = 0; i < first; i++) {
      if (from[i] == TempoSource.PRESET) {
        tempo[i] = tempo[first];
        from[i] = TempoSource.TRACKER;
      }
    }
  }

  private static double clamp(double bpm) {
    return Double.isFinite(bpm) ? Math.max(20, Math.min(400, bpm)) : 120;
  }

  /** The primer's notes on the model's timeline. */
  List<Note> toModel(List<Note> notes) {
    List<Note> out = new ArrayList<>(notes.size());
    for (Note n : notes) {
      long start = modelMicros(n.startMicros());
      long end = Math.max(start, modelMicros(n.endMicros()));
      out.add(new Note(n.pitch(), n.velocity(), start, end, n.channel()));
    }
    return out;
  }

  /** Notes on the model's timeline (after the primer) in the primer's time. */
  List<Note> toPlayer(List<Note> notes) {
    List<Note> out = new ArrayList<>(notes.size());
    for (Note n : notes) {
      long start = playerMicros(n.startMicros());
      long end = Math.max(start, playerMicros(n.endMicros()));
      out.add(new Note(n.pitch(), n.velocity(), start, end, n.channel()));
    }
    return out;
  }

  /** A length of the continuation in the primer's time, in the model's (at the final tempo). */
  long modelMillis(long playerMillis) {
    return warp == null ? playerMillis : warp.toModel(playerMillis);
  }

  private long modelMicros(long micros) {
    if (warp == null) {
      return micros;
    }
    long t = micros * NANOS_PER_MICRO;
    int i = player.length - 1;
    while (i > 0 && player[i] > t) {
      i--;
    }
    return Math.max(0, Math.round((model[i] + (t - player[i]) * scale[i]) / NANOS_PER_MICRO));
  }

  private long playerMicros(long micros) {
    if (warp == null) {
      return micros;
    }
    long t = micros * NANOS_PER_MICRO;
    int i = model.length - 1;
    while (i > 0 && model[i] > t) {
      i--;
    }
    return Math.max(0, Math.round((player[i] + (t - model[i]) / scale[i]) / NANOS_PER_MICRO));
  }

  /** Where the tempo came from at the primer's end. */
  TempoSource source() {
    return source;
  }

  /** The primer's tempo at its end. */
  double bpm() {
    return bpm;
  }

  /** Whether the model has a reference tempo to warp to. */
  boolean warps() {
    return warp != null;
  }
}
