package continuo.tempo;

import continuo.tempo.TempoFixtures.Performance;

/** Plays performances into a {@link BeatTracker} and measures how it followed. */
final class TrackerRuns {
  /** What one run gave. */
  record Result(double settleBeats, int level, double maxErrorAfterSettle, double medianError,
      double maxPhaseError, boolean levelChanged, double shareWithin) {}

  private TrackerRuns() {}

  /**
   * Plays {@code p} into a new tracker. The settle point is the first onset from which the tracker
   * is settled and within {@code tolerance} of the true tempo (at its own octave) at every later
   * onset; {@code settleBeats} is that onset's written beat (infinite if never). Errors after it
   * are measured at each onset from {@code fromBeat} on.
   */
  static Result run(Performance p, double tolerance, double fromBeat) {
    BeatTracker tracker = new BeatTracker();
    int n = p.size();
    double[] err = new double[n];
    int[] levels = new int[n];
    boolean[] ok = new boolean[n];
    double[] phase = new double[n];
    for (int i = 0; i < n; i++) {
      tracker.noteOn(p.nanos()[i], p.pitches()[i], p.velocities()[i]);
      // As the engine and generate do: the tracker is updated when the next note-on comes (at
      // most a chord window later), so the notes of a chord are one onset, as a player's are.
      long now = p.nanos()[i] + BeatTracker.CHORD_NANOS + 1;
      if (i + 1 < n) {
        now = Math.min(now, p.nanos()[i + 1]);
      }
      tracker.update(now);
      if (tracker.settled()) {
        err[i] = TempoFixtures.octaveError(tracker.bpm(), p.trueBpm()[i]);
        levels[i] = TempoFixtures.level(tracker.bpm(), p.trueBpm()[i]);
        ok[i] = err[i] <= tolerance;
        // Phase: how far the tracker's nearest beat is from an onset on a written beat, in
        // written beats (at half tempo its beats fall on every other written beat).
        double pos = tracker.beatAt(p.nanos()[i]);
        double d = levels[i] < 0
            ? pos * Math.pow(2, -levels[i]) - Math.rint(pos * Math.pow(2, -levels[i]))
            : (pos - Math.rint(pos)) * Math.pow(2, -levels[i]);
        double written = p.beats()[i];
        boolean onBeat = Math.abs(written - Math.rint(written)) < 0.02;
        phase[i] = onBeat ? Math.abs(d) : Double.NaN;
      } else {
        err[i] = Double.NaN;
        phase[i] = Double.NaN;
      }
    }
    int settle = n;
    for (int i = n - 1; i >= 0 && ok[i]; i--) {
      settle = i;
    }
    double settleBeats = settle < n ? p.beats()[settle] : Double.POSITIVE_INFINITY;
    double max = 0;
    double maxPhase = 0;
    double[] tail = new double[n];
    int m = 0;
    boolean changed = false;
    for (int i = 0; i < n; i++) {
      if (p.beats()[i] >= fromBeat && i >= settle) {
        max = Math.max(max, err[i]);
        tail[m++] = err[i];
        changed |= levels[i] != levels[settle];
        if (!Double.isNaN(phase[i])) {
          maxPhase = Math.max(maxPhase, phase[i]);
        }
      }
    }
    int counted = 0;
    int within = 0;
    for (int i = 0; i < n; i++) {
      if (p.beats()[i] >= fromBeat + 8) {
        counted++;
        within += ok[i] ? 1 : 0;
      }
    }
    java.util.Arrays.sort(tail, 0, m);
    double median = m > 0 ? tail[m / 2] : Double.NaN;
    if (settle == n) {
      max = Double.POSITIVE_INFINITY;
    }
    return new Result(settleBeats, settle < n ? levels[settle] : 99, max, median, maxPhase,
        changed, counted > 0 ? within / (double) counted : 0);
  }
}
