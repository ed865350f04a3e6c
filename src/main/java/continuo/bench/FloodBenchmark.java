package continuo.bench;

import com.sun.management.ThreadMXBean;
import continuo.engine.LiveEngine;
import continuo.midi.MidiMessage;
import continuo.model.LstmWeights;
import java.lang.management.ManagementFactory;

/**
 * An input flood: {@code rate} MIDI messages per second (note-on/note-off pairs, one temperature
 * controller in ten) offered to the engine's input ring for {@code seconds}, with the model fed
 * every note. Reports the largest backlog in the input ring, the messages the full ring refused,
 * the player note-offs the engine never took in (refused at the door or lost after; counted from
 * the session recording it keeps), and the bytes the engine thread allocated per message.
 */
public final class FloodBenchmark {
  private FloodBenchmark() {}

  /** Recording entries that are continuo's notes or the session's tempo, not the player's. */
  private static final int NOT_THE_PLAYERS = LiveEngine.RECORD_CONTINUO | LiveEngine.RECORD_TEMPO;

  public record Result(long offered, long refused, long noteOffsOffered, long noteOffsHeard,
      int maxBacklog, int finalBacklog, double allocBytesPerMessage, double seconds) {}

  public static Result run(LstmWeights weights, int rate, double seconds, long seed) {
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (EngineHarness h = new EngineHarness(weights, 600, seed)) {
      long engineThread = h.engineThreadId();
      long[] heardOffs = new long[1];
      continuo.midi.MidiHandler recorded = (t, msg) -> {
        if ((msg & NOT_THE_PLAYERS) == 0 && MidiMessage.isNoteOff(msg)) {
          heardOffs[0]++;
        }
      };
      continuo.midi.MidiHandler discard = (t, msg) -> { };
      java.util.Random r = new java.util.Random(seed);
      long interval = 1_000_000_000L / rate;
      long total = (long) (seconds * rate);
      long offered = 0;
      long refused = 0;
      long offsOffered = 0;
      int maxBacklog = 0;
      int pitch = 60;
      long allocBefore = mx.getThreadAllocatedBytes(engineThread);
      long start = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long at = start + i * interval;
        while (System.nanoTime() < at) {
          Thread.onSpinWait();
        }
        int msg;
        if (i % 10 == 9) {
          msg = MidiMessage.of(MidiMessage.CONTROL_CHANGE, 1, 21, r.nextInt(128));
        } else if (i % 2 == 0) {
          pitch = 36 + r.nextInt(60);
          msg = MidiMessage.of(MidiMessage.NOTE_ON, 1, pitch, 1 + r.nextInt(127));
        } else {
          msg = MidiMessage.of(MidiMessage.NOTE_OFF, 1, pitch, 0);
          offsOffered++;
        }
        offered++;
        if (!h.input.offer(System.nanoTime(), msg)) {
          refused++;
        }
        maxBacklog = Math.max(maxBacklog, h.input.queued());
        if ((i & 63) == 0) {
          h.record.drain(recorded);
          h.output.drain(discard);
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      int finalBacklog = h.input.queued();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!h.input.isEmpty() && System.nanoTime() < deadline) {
        h.record.drain(recorded);
        h.output.drain(discard);
      }
      long allocated = mx.getThreadAllocatedBytes(engineThread) - allocBefore;
      long settle = System.nanoTime() + 50_000_000L;
      while (System.nanoTime() < settle) {
        h.record.drain(recorded);
        h.output.drain(discard);
      }
      return new Result(offered, refused, offsOffered, heardOffs[0], maxBacklog, finalBacklog,
          (double) allocated / Math.max(1, offered - refused), elapsed);
    }
  }
}
