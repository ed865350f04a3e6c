package continuo.engine;

import continuo.encoding.PerformanceEncoding;
import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.preset.Preset;
import continuo.testkit.FakeClock;
import continuo.testkit.RecordingOutput;
import continuo.testkit.ScriptedStepper;
import java.nio.file.Path;
import java.util.List;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The engine's parts wired as {@link LiveEngine} wires them, on a fake clock, for tests of one
 * part at a time: the test calls the part's methods and advances the clock itself.
 */
final class Parts {
  static final long MS = 1_000_000L;

  final FakeClock clock = new FakeClock();
  final Counters counters = new Counters();
  final RecordingOutput out = new RecordingOutput();
  final MidiEventRing record = new MidiEventRing(4096, counters.newCounter("record.dropped"));
  final ScriptedStepper model;
  final Listener listener;
  final OutputGate gate;
  final LookAhead lookAhead;
  final TurnTaking turns;
  final Controls controls;
  final Steering steering;

  Parts(ScriptedStepper model, TokenSampler sampler, long outputLead, Preset preset,
      PresetSwitcher switcher, List<Preset> presets) {
    this.model = model;
    listener = new Listener(clock.nanoTime(), counter("engine.notes.in"));
    gate = new OutputGate(out.ring, record, outputLead, counter("engine.notes.out"),
        counter("engine.dropped.late"), counter("engine.dropped.polyphony"),
        counter("engine.forced.note_off"));
    steering = new Steering(out.ring, gate);
    lookAhead = new LookAhead(clock, sampler, listener, gate, steering,
        counter("engine.forced.note_off"), counter("engine.nonfinite_logits"));
    turns = new TurnTaking(listener, lookAhead, gate, counter("engine.barge_ins"));
    controls = new Controls(turns, lookAhead, listener, steering, switcher, presets);
    listener.install(model, model.newState(), new float[PerformanceEncoding.VOCAB_SIZE]);
    lookAhead.install(model);
    use(preset);
  }

  void use(Preset p) {
    gate.use(p, clock.nanoTime());
    lookAhead.use(p);
    turns.use(p);
    steering.use(p);
    controls.use(p);
  }

  static Preset preset() {
    return Preset.forModel(Path.of("scripted.cmodel"));
  }

  AtomicCounter counter(String label) {
    return counters.newCounter(label);
  }

  long count(String label) {
    return counter(label).get();
  }

  /** One engine duty cycle without the input and the preset switch. */
  void cycle() {
    long now = clock.nanoTime();
    listener.advance(now);
    turns.decide(now);
    if (turns.playing()) {
      lookAhead.generate(now);
    }
    gate.release(now);
    gate.enforceNoteLength(now);
  }

  /** {@code ms} of duty cycles, 1 ms apart. */
  void run(long ms) {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      cycle();
    }
  }
}
