package continuo.bench;

import continuo.encoding.PerformanceEncoding;
import continuo.engine.LevelJudge;
import continuo.engine.LiveEngine;
import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.model.LstmStepper;
import continuo.model.LstmWeights;
import continuo.model.Models;
import continuo.preset.Preset;
import continuo.sample.Sampler;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The live engine as {@code continuo run} runs it (its own thread, the same idle strategy, the real
 * clock, a real model and sampler, the level judge on its own thread), with the benchmark standing in for the MIDI backend: it offers
 * the player's messages to the input ring and drains the output (and record) rings itself.
 */
final class EngineHarness implements AutoCloseable {
  /** What the Java Sound backend asks for: events handed over this far ahead of their time. */
  static final long OUTPUT_LEAD_NANOS = 2_000_000;

  final Counters counters = new Counters();
  final MidiEventRing input = new MidiEventRing(8192, counters.newCounter("input.dropped"));
  final HandOverRing output = new HandOverRing(8192, counters.newCounter("output.dropped"));
  final MidiEventRing record = new MidiEventRing(1 << 16, counters.newCounter("record.dropped"));
  final LiveEngine engine;
  private final AgentRunner runner;
  private final AgentRunner levelRunner;

  EngineHarness(LstmWeights weights, int gapMs, long seed) {
    LstmStepper stepper = Models.stepper(weights);
    Models.warmUp(stepper, 20_000, 20_000);
    Preset preset = Preset.forModel(Path.of(weights.config().name() + ".cmodel"))
        .withTiming(gapMs, 0, false);
    Sampler sampler = new Sampler(seed, PerformanceEncoding.VOCAB_SIZE);
    engine = new LiveEngine(SystemNanoClock.INSTANCE, new MidiEventRing[] {input}, output, record,
        OUTPUT_LEAD_NANOS, preset, stepper, sampler::sample, null, List.of(), counters);
    LevelJudge judge = LevelJudge.threaded(LevelJudge.WINDOW_EVENTS);
    engine.judgeLevelsWith(judge);
    levelRunner = judge.start(Throwable::printStackTrace);
    runner = new AgentRunner(new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
        TimeUnit.MICROSECONDS.toNanos(200)), Throwable::printStackTrace,
        counters.newCounter("engine.runner.errors"), engine);
    AgentRunner.startOnThread(runner);
  }

  /** The engine thread's id, for its allocation counter. */
  long engineThreadId() {
    Thread t;
    while ((t = runner.thread()) == null) {
      Thread.onSpinWait();
    }
    return t.getId();
  }

  /**
   * The engine's output ring, which notes when the engine hands over its first note-on after
   * {@link #expectNoteOn}: the moment itself, not when the benchmark's thread next looks.
   */
  static final class HandOverRing extends MidiEventRing {
    private volatile long firstNoteOnNanos;

    HandOverRing(int events, AtomicCounter dropped) {
      super(events, dropped);
    }

    @Override
    public boolean offer(long timeNanos, int msg) {
      if (firstNoteOnNanos == 0 && MidiMessage.isNoteOn(msg)) {
        firstNoteOnNanos = System.nanoTime(); // before the record is published, so seen with it
      }
      return super.offer(timeNanos, msg);
    }

    /** Call before causing the note-on whose hand-over is to be timed. */
    void expectNoteOn() {
      firstNoteOnNanos = 0;
    }

    /** When the first note-on since {@link #expectNoteOn} was handed over, or 0. */
    long firstNoteOnNanos() {
      return firstNoteOnNanos;
    }
  }

  @Override
  public void close() {
    engine.requestShutdown();
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (!engine.isSilent() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    runner.close();
    levelRunner.close();
  }
}
