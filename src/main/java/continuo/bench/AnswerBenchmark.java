package continuo.bench;

import continuo.midi.MidiMessage;
import continuo.model.LstmWeights;
import java.util.concurrent.locks.LockSupport;

/**
 * Answer latency in duet mode with a response gap of 0: a simulated player plays one note at a
 * time; the moment each note ends continuo decides to answer, and the benchmark measures how long
 * until the answer's first note-on reaches the backend (the output ring). A note the model chose to
 * start later (after a time step) is measured from the moment it was due, so only continuo's own
 * delay counts: {@code arrival - max(note-off, due)}, due = the note's time minus the backend's
 * lead.
 */
public final class AnswerBenchmark {
  private AnswerBenchmark() {}

  public record Result(Latencies latency, int trials, int answered) {}

  public static Result run(LstmWeights weights, int trials, long seed) {
    long[] latency = new long[trials];
    int answered = 0;
    try (EngineHarness h = new EngineHarness(weights, 0, seed)) {
      long[] arrival = new long[1];
      long[] intended = new long[1];
      continuo.midi.MidiHandler firstNoteOn = (t, msg) -> {
        if (arrival[0] == 0 && MidiMessage.isNoteOn(msg)) {
          arrival[0] = System.nanoTime();
          intended[0] = t;
        }
      };
      java.util.Random r = new java.util.Random(seed);
      for (int i = 0; i < trials; i++) {
        int pitch = 55 + r.nextInt(24);
        h.input.offer(System.nanoTime(), MidiMessage.of(MidiMessage.NOTE_ON, 1, pitch, 90));
        sleepDraining(h, 60_000_000L + r.nextInt(60) * 1_000_000L);
        arrival[0] = 0;
        long off = System.nanoTime();
        h.input.offer(off, MidiMessage.of(MidiMessage.NOTE_OFF, 1, pitch, 0));
        long deadline = off + 400_000_000L;
        while (arrival[0] == 0 && System.nanoTime() < deadline) {
          h.output.drain(firstNoteOn);
          Thread.onSpinWait();
        }
        if (arrival[0] != 0) {
          long due = Math.max(off, intended[0] - EngineHarness.OUTPUT_LEAD_NANOS);
          latency[answered++] = Math.max(0, arrival[0] - due);
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
