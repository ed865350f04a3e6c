package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.midi.MidiMessage;
import continuo.midi.MidiProviders;
import continuo.midi.MidiSettings;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import continuo.preset.Preset;
import continuo.testkit.FakeClock;
import continuo.testkit.LoopbackProvider;
import continuo.testkit.RecordingOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole session put together from test parts: a fake clock every agent reads, and a loopback
 * backend the test plays into and listens to. Time moves only when the test moves it.
 */
class LiveSessionTest {
  @TempDir Path home;

  private final FakeClock clock = new FakeClock();
  private final List<String> log = new CopyOnWriteArrayList<>();
  /** Everything continuo sent, through either connection (they share the session's ring). */
  private final RecordingOutput heard = new RecordingOutput();

  private LiveSession.Parts parts(LoopbackProvider... providers) {
    return new LiveSession.Parts(clock, new BackoffIdleStrategy(), PresetSwitcher
        .defaultIdleStrategy(), new SleepingIdleStrategy(1_000_000), new SleepingIdleStrategy(
        1_000_000), new MidiProviders(List.of(providers)));
  }

  private LiveConfig config() throws Exception {
    ModelFile.write(RandomModels.create(16, 64, 1, 3), home.resolve("m.cmodel"));
    Preset preset = Preset.forModel(Path.of("m.cmodel")).withTiming(100, 0, false);
    return new LiveConfig(preset, home, "auto", new MidiSettings("continuo", null, null), null,
        null, 1, false, null);
  }

  /** Moves the fake clock {@code ms} forward, a millisecond at a time, letting the agents run. */
  private void advance(long ms) throws InterruptedException {
    for (long i = 0; i < ms; i++) {
      clock.advanceMillis(1);
      if (i % 4 == 0) {
        Thread.sleep(1);
      }
    }
  }

  private void phrase(LoopbackProvider.Connection c) throws InterruptedException {
    for (int pitch : new int[] {60, 64, 67}) {
      c.input.offer(clock.nanoTime(), MidiMessage.pack(0x90, pitch, 100));
      advance(150);
      c.input.offer(clock.nanoTime(), MidiMessage.pack(0x80, pitch, 0));
      advance(50);
    }
  }

  private long noteOnsHeard(LoopbackProvider.Connection c) {
    c.output.drain((t, m) -> heard.ring.offer(t, m));
    return heard.noteOns().size();
  }

  @Test
  void aSessionOnAFakeClockAnswersAndReconnectsOnThatClocksBackoff() throws Exception {
    LoopbackProvider gone = new LoopbackProvider("gone", 0, "no such server");
    LoopbackProvider loop = new LoopbackProvider();
    try (LiveSession session = LiveSession.start(config(), log::add, parts(gone, loop))) {
      assertEquals("loopback", session.backendName());
      assertTrue(log.stream().anyMatch(l -> l.contains("event=backend_chosen backend=loopback")
          && l.contains("passed_over=\"no such server\"")), log.toString());

      phrase(loop.connection());
      advance(2_000);
      waitFor(() -> noteOnsHeard(loop.connection()) > 0, "an answer");

      loop.unplug();
      waitFor(() -> log.stream().anyMatch(l -> l.contains("event=midi_lost")), "the loss");
      assertFalse(session.isConnectionAlive());
      loop.plugIn();
      clock.advanceMillis(400);
      // Longer than the backoff in real time, so that a supervisor reading the system clock rather
      // than the session's retries here; it looks every millisecond, so it has looked many times.
      Thread.sleep(700);
      assertEquals(1, loop.opens(), "no retry before the first 0.5 s of backoff: " + log);
      clock.advanceMillis(200);
      waitFor(() -> log.stream().anyMatch(l -> l.contains("event=midi_reconnected")),
          "the reconnection once 0.5 s have passed on the session's clock");
      assertEquals(2, loop.opens());
      assertTrue(session.isConnectionAlive());

      LoopbackProvider.Connection second = loop.connection();
      long before = noteOnsHeard(second);
      phrase(second);
      advance(2_000);
      waitFor(() -> noteOnsHeard(second) > before, "an answer through the new connection");
      session.stop();
      noteOnsHeard(second);
      assertEquals(List.of(), heard.sounding(), "every note continuo turned on is off");
      assertTrue(log.stream().anyMatch(l -> l.contains("event=stopped")), log.toString());
    }
  }

  private void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; log: " + log);
      }
      advance(20);
    }
  }
}
