package continuo.bench;

import continuo.midi.MidiMessage;
import continuo.model.LstmWeights;
import java.util.concurrent.locks.LockSupport;

/**
 * Answer latency in duet mode with a response gap of 0: a simulated player plays one note at a
 * time; the moment each note ends continuo decides to answer, and the benchmark measures how long
 * until the answer's first note-on reaches the backend: is offered to the output ring, which notes
 * the moment. A note the model chose to start later (after a time step) is measured from the
 * moment it was due, so only continuo's own delay counts: {@code handed over - max(note-off,
 * due)}, due = the note's time minus the backend's lead.
 */
public final class AnswerBenchmark {
  private AnswerBenchmark() {}

  public record Result(Latencies latency, int trials, int answered) {}

  public static Result run(LstmWeights weights, int trials, long seed) {
    long[] latency = new long[trials];
    int answered = 0;
    try (EngineHarness h = new EngineHarness(weights, 0, seed)) {
      long[] intended = new long[1];
      boolean[] seen = new boolean[1];
      continuo.midi.MidiHandler firstNoteOn = (t, msg) -> {
        if (!seen[0] && MidiMessage.isNoteOn(msg)) {
          seen[0] = true;
          intended[0] = t;
        }
      };
      java.util.Random r = new java.util.Random(seed);
      for (int i = 0; i < trials; i++) {
        int pitch = 55 + r.nextInt(24);
        h.input.offer(System.nanoTime(), MidiMessage.of(MidiMessage.NOTE_ON, 1, pitch, 90));
        sleepDraining(h, 60_000_000L + r.nextInt(60) * 1_000_000L);
        seen[0] = false;
        h.output.expectNoteOn();
        long off = System.nanoTime();
        h.input.offer(off, MidiMessage.of(MidiMessage.NOTE_OFF, 1, pitch, 0));
        long deadline = off + 400_000_000L;
        while (!seen[0] && System.nanoTime() < deadline) {
          // The ring notes the hand-over itself, so this thread can look as a backend would,
          // now and then, leaving the other core to the engine.
          LockSupport.parkNanos(100_000);
          h.output.drain(firstNoteOn);
        }
        if (seen[0]) {
          long due = Math.max(off, intended[0] - EngineHarness.OUTPUT_LEAD_NANOS);
          latency[answered++] = Math.max(0, h.output.firstNoteOnNanos() - due);
        }
        sleepDraining(h, 20_000_000L);
      }
    }
    return new Result(new Latencies(latency, answered), trials, answered);
  }

  private static void sleepDraining(EngineHarness h, long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      h.output.drain((t, m) -> { });
      h.record.drain((t, m) -> { });
      LockSupport.parkNanos(500_000);
    }
  }
}
