package continuo.midi.javasound;

import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.engine.LiveConfig;
import continuo.engine.LiveSession;
import continuo.midi.MidiSettings;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import continuo.preset.Preset;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live session on a Java Sound MIDI interface that is unplugged mid-jam and plugged back in:
 * continuo notices, keeps running, reopens the ports by name and answers again.
 */
class JavaSoundReconnectTest {
  @TempDir Path home;

  @AfterEach
  void unplug() {
    PluggableDevices.pullOut();
  }

  @Test
  void aDeviceUnpluggedMidJamIsReopenedWhenItComesBackAndContinuoAnswersAgain() throws Exception {
    ModelFile.write(RandomModels.create(16, 64, 1, 3), home.resolve("m.cmodel"));
    Preset preset = Preset.forModel(Path.of("m.cmodel")).withTiming(100, 0, false);
    PluggableDevices.Port first = PluggableDevices.plugIn();
    List<String> log = new CopyOnWriteArrayList<>();
    LiveConfig config = new LiveConfig(preset, home, "javasound",
        new MidiSettings("continuo", "pluggable", "pluggable", false), null, null, 1, false, null);
    try (LiveSession session = LiveSession.start(config, log::add)) {
      playPhrase(first);
      waitFor(session, () -> hasNoteOn(first), "an answer on the first connection");

      PluggableDevices.pullOut();
      waitFor(session, () -> log.stream().anyMatch(l -> l.contains("event=midi_lost")),
          "the lost device is noticed");
      assertTrue(session.engine() != null && !session.isConnectionAlive(), log.toString());

      PluggableDevices.Port second = PluggableDevices.plugIn();
      waitFor(session, () -> log.stream().anyMatch(l -> l.contains("event=midi_reconnected")),
          "reconnected once the device is back");
      playPhrase(second);
      waitFor(session, () -> hasNoteOn(second), "an answer through the new connection");
    }
  }

  private static void playPhrase(PluggableDevices.Port port) throws Exception {
    for (int pitch : new int[] {60, 64, 67}) {
      port.play(0x90, pitch, 100);
      Thread.sleep(60);
      port.play(0x80, pitch, 0);
    }
  }

  private static boolean hasNoteOn(PluggableDevices.Port port) {
    return port.received().stream().anyMatch(m -> (m[0] & 0xF0) == 0x90 && m[2] > 0);
  }

  /** Waits (the session's supervisor reconnects on its own thread) until the condition holds. */
  private static void waitFor(LiveSession session, BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
