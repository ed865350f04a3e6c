package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.model.LstmStepper;
import continuo.model.ModelFile;
import continuo.model.Models;
import continuo.tempo.BeatTracker;
import continuo.testkit.Corpora;
import continuo.testkit.ScriptedStepper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.Test;

/**
 * The model is asked which metrical level it hears a player at: real tunes performed from 0.67x to
 * 1.5x of their written tempo, whatever level the beat tracker counts, are heard at their written
 * tempo by the shipped models; a jig's dotted-quarter beat is heard as its written quarter, which
 * the onset rate alone cannot tell.
 */
class LevelChoiceTest {
  static final double[] SPEEDS = {0.67, 1.0, 1.5};

  /** A performance's first {@code beats} written beats at {@code speed}: notes and the events. */
  record Performance(LevelChoice.Window window, double trackerBpm) {}

  static Performance perform(Path file, double writtenBpm, double beats, double speed)
      throws Exception {
    List<Note> notes = new ArrayList<>(MidiFiles.read(file));
    notes.sort(Comparator.comparingLong(Note::startMicros));
    long first = notes.get(0).startMicros();
    double end = first + beats * 60e6 / writtenBpm;
    List<long[]> events = new ArrayList<>();
    BeatTracker tracker = new BeatTracker();
    long last = 0;
    for (Note n : notes) {
      if (n.startMicros() >= end) {
        break;
      }
      long on = Math.round((n.startMicros() - first) * 1000 / speed);
      long off = Math.max(on + 1, Math.round((n.endMicros() - first) * 1000 / speed));
      events.add(new long[] {on, n.pitch(), n.velocity()});
      events.add(new long[] {off, n.pitch(), 0});
      tracker.noteOn(on, n.pitch(), n.velocity());
      tracker.update(on);
      last = on;
    }
    tracker.update(last + 1_000_000_000L);
    events.sort(Comparator.comparingLong(e -> e[0]));
    LevelChoice.Window w = new LevelChoice.Window(Timekeeper.WINDOW_EVENTS);
    for (long[] e : events.subList(Math.max(0, events.size() - w.capacity()), events.size())) {
      w.add(e[0], 0, (int) e[1], (int) e[2]);
    }
    return new Performance(w, tracker.bpm());
  }

  static void assertHeardAsWritten(String model, Path file, double writtenBpm, double beats)
      throws Exception {
    try (LstmStepper stepper = Models.stepper(ModelFile.read(Path.of("models", model + ".cmodel")))) {
      LevelChoice choice = new LevelChoice(stepper);
      double reference = ReferenceTempo.of(stepper.config());
      double density = ReferenceTempo.onsetsPerBeat(stepper.config());
      for (double speed : SPEEDS) {
        Performance p = perform(file, writtenBpm, beats, speed);
        double level = choice.choose(p.window(), p.trackerBpm(), reference, density, Double.NaN);
        String what = String.format(Locale.ROOT, "%s %s x%.2f: the tracker counts %.1f bpm, the "
            + "model hears %.1f, written %.1f", model, file.getFileName(), speed, p.trackerBpm(),
            level, writtenBpm * speed);
        System.out.println(what);
        assertEquals(1, level / (writtenBpm * speed), 0.03, what);
      }
    }
  }

  @Test
  void folkHearsAJigAtItsWrittenQuarterNotItsDottedQuarterBeat() throws Exception {
    assertHeardAsWritten("folk", Corpora.fixture("nottingham/midi/jigs107.mid"), 120, 32);
  }

  @Test
  void folkHearsADenseHornpipeAndAReelAtTheirWrittenTempo() throws Exception {
    assertHeardAsWritten("folk", Corpora.fixture("nottingham/midi/ashover13.mid"), 120, 32);
    assertHeardAsWritten("folk", Corpora.fixture("nottingham/midi/reelsa-c5.mid"), 120, 32);
  }

  @Test
  void pianoHearsAPopSongAtItsWrittenTempo() throws Exception {
    assertHeardAsWritten("piano", Corpora.fixture("pop909/001.mid"), 90, 32);
  }

  @Test
  void theJudgeAnswersOnItsOwnThreadAsItWouldInline() throws Exception {
    try (LstmStepper stepper = Models.stepper(ModelFile.read(Path.of("models", "folk.cmodel")))) {
      Performance p = perform(Corpora.fixture("nottingham/midi/jigs107.mid"), 120, 32, 1.0);
      LevelJudge inline = LevelJudge.inline(Timekeeper.WINDOW_EVENTS);
      inline.window().copyFrom(p.window());
      inline.ask(stepper, p.trackerBpm(), 120, 1.53, Double.NaN);
      assertTrue(inline.answered());
      double expected = inline.take();

      LevelJudge judge = LevelJudge.threaded(Timekeeper.WINDOW_EVENTS);
      AgentRunner runner = judge.start(Throwable::printStackTrace);
      try {
        assertTrue(judge.idle());
        judge.window().copyFrom(p.window());
        judge.ask(stepper, p.trackerBpm(), 120, 1.53, Double.NaN);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!judge.answered() && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        assertTrue(judge.answered(), "answered within 30 s");
        assertEquals(expected, judge.take(), 0.0, "the sibling stepper answers as the model does");
        assertTrue(judge.answeredFor() == stepper);
        assertTrue(judge.idle(), "ready for the next question");
        System.out.printf(Locale.ROOT, "a judgment of %d events took %.1f ms%n",
            p.window().size(), judge.lastNanos() / 1e6);
      } finally {
        runner.close();
      }
    }
  }

  @Test
  void aModelWhoseStepperCannotBeSharedIsNotAsked() throws Exception {
    Performance p = perform(Corpora.fixture("nottingham/midi/jigs107.mid"), 120, 32, 1.0);
    LevelJudge judge = LevelJudge.inline(Timekeeper.WINDOW_EVENTS);
    judge.window().copyFrom(p.window());
    judge.ask(new ScriptedStepper(), p.trackerBpm(), 120, 1.53, Double.NaN);
    assertTrue(Double.isNaN(judge.take()));
  }
}
