package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.model.LstmStepper;
import continuo.model.Models;
import continuo.model.RandomModels;
import continuo.preset.Preset;
import continuo.tempo.TempoSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The time warp follows the beat tracker only at a metrical level chosen from the onset rate. */
class TimekeeperTest {
  private static final long MS = 1_000_000L;

  /**
   * A model at 120 bpm with 2 onsets per beat; the player plays eighths at 180 bpm (6 onsets a
   * second, bass on the beat). The tracker has a beat after 6 onsets and a beat, before the onset
   * rate is measured over 8 gaps; folded to 120's octave its tempo would be 90 (0.75 of the
   * model's), a level the model would hear the opening at for a beat or two. The warp keeps the
   * preset's tempo until the level is chosen, then takes 180 (1.5 of the model's), never 90.
   */
  @Test
  void theWarpWaitsForTheLevelRatherThanTakeAFoldedGuess() {
    Timekeeper tk = new Timekeeper();
    Preset preset = Preset.forModel(Path.of("scripted.cmodel"));
    tk.use(preset, 0);
    tk.useModel(null, 120, 2, 0);
    double before = preset.bpm() / 120;
    boolean trackerBeforeLevel = false;
    int onsets = 0;
    double gapMs = 1000.0 / 6;
    for (long ms = 0; ms < 6_000; ms++) {
      long now = ms * MS;
      if (now >= Math.round(onsets * gapMs * MS)) {
        tk.playerNoteOn(now, 0, onsets % 2 == 0 ? 45 : 69, onsets % 2 == 0 ? 100 : 70);
        onsets++;
      }
      tk.update(now);
      double scale = tk.warpScale();
      assertTrue(Math.abs(scale - before) < 1e-9 || Math.abs(scale / 1.5 - 1) < 0.02,
          "onset " + onsets + ": the model hears the player at " + scale + " of its tempo");
      trackerBeforeLevel |= tk.source() == TempoSource.TRACKER && onsets <= 8;
    }
    assertTrue(trackerBeforeLevel, "the tracker had a beat before 8 gaps were heard");
    assertEquals(TempoSource.TRACKER, tk.source());
    assertEquals(1.5, tk.warpScale(), 0.03);
  }

  /**
   * With a judge, the warp waits for the model's first verdict (asked after
   * {@link Timekeeper#FIRST_ASK} onsets, again every {@link Timekeeper#ASK_EVERY}), then hears the
   * level it gave; and the engine's side of asking (the ring of recent events, filling the judge's
   * window, taking its answer) allocates nothing. The judge answers inline here, on the test's
   * thread, so it is asked of a random model whose verdict is whatever that model finds likeliest:
   * a level of the tracker's tempo.
   */
  @Test
  void theWarpWaitsForTheModelsVerdictAndAskingAllocatesNothing() {
    Timekeeper tk = new Timekeeper();
    Preset preset = Preset.forModel(Path.of("scripted.cmodel"));
    tk.use(preset, 0);
    LstmStepper model = Models.candidate("plain", RandomModels.create(16, 32, 1, 3));
    LevelJudge judge = LevelJudge.inline(Timekeeper.WINDOW_EVENTS);
    tk.useModel(model, 120, 2, 0);
    tk.judgeWith(judge);
    double before = preset.bpm() / 120;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    int onsets = 0;
    double gapMs = 1000.0 / 6; // eighths at 180 bpm
    long[] windows = new long[12];
    for (int w = 0; w < windows.length; w++) {
      long allocated = threads.getThreadAllocatedBytes(thread);
      for (long ms = w * 10_000L; ms < (w + 1) * 10_000L; ms++) {
        long now = ms * MS;
        if (now >= Math.round(onsets * gapMs * MS)) {
          int pitch = onsets % 2 == 0 ? 45 : 69;
          tk.playerNoteOn(now, 0, pitch, onsets % 2 == 0 ? 100 : 70);
          tk.playerNoteOff(now + 80 * MS, 0, pitch);
          onsets++;
        }
        tk.update(now);
        if (onsets < Timekeeper.FIRST_ASK) {
          assertEquals(before, tk.warpScale(), 1e-9, "no verdict yet: the warp waits");
        }
      }
      windows[w] = threads.getThreadAllocatedBytes(thread) - allocated;
    }
    assertTrue(judge.judgments() > 5, "asked again and again: " + judge.judgments());
    double level = tk.warpScale() * 120 / 180;
    double octaves = Math.log(level) / Math.log(2);
    double thirds = Math.log(level * 1.5) / Math.log(2);
    double thirdsDown = Math.log(level / 1.5) / Math.log(2);
    assertTrue(Math.abs(octaves - Math.rint(octaves)) < 0.03
        || Math.abs(thirds - Math.rint(thirds)) < 0.03
        || Math.abs(thirdsDown - Math.rint(thirdsDown)) < 0.03,
        "the warp hears a level of the tracker's 180 bpm: " + tk.warpScale() * 120);
    long quiet = java.util.Arrays.stream(windows, 2, windows.length).filter(a -> a == 0).count();
    assertTrue(quiet > 0, "every window allocated: " + java.util.Arrays.toString(windows));
  }
}
