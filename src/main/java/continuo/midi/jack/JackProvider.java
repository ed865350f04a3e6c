package continuo.midi.jack;

import continuo.metrics.Counters;
import continuo.midi.MidiBackendException;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiPortInfo;
import continuo.midi.MidiProvider;
import continuo.midi.MidiSettings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.agrona.concurrent.NanoClock;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;

/** JACK (or PipeWire's JACK) through jnajack: sample-accurate ports any JACK DAW can connect to. */
public final class JackProvider implements MidiProvider {
  private final Counters counters;

  public JackProvider(Counters counters) {
    this.counters = counters;
  }

  @Override
  public String name() {
    return "jack";
  }

  @Override
  public boolean isAvailable() {
    try (Probe p = new Probe()) {
      return true;
    } catch (Throwable t) {
      return false;
    }
  }

  @Override
  public List<MidiPortInfo> ports() throws MidiBackendException {
    try (Probe p = new Probe()) {
      List<MidiPortInfo> out = new ArrayList<>();
      for (String port : p.jack.getPorts(p.client, "", JackPortType.MIDI,
          EnumSet.of(JackPortFlags.JackPortIsOutput))) {
        out.add(new MidiPortInfo("jack", port, true, "JACK MIDI output (continuo can listen)"));
      }
      for (String port : p.jack.getPorts(p.client, "", JackPortType.MIDI,
          EnumSet.of(JackPortFlags.JackPortIsInput))) {
        out.add(new MidiPortInfo("jack", port, false, "JACK MIDI input (continuo can play to it)"));
      }
      return out;
    } catch (JackException | RuntimeException | UnsatisfiedLinkError e) {
      throw new MidiBackendException("no JACK server: " + e.getMessage(), e);
    }
  }

  @Override
  public MidiConnection open(MidiSettings settings, MidiEventRing input, MidiEventRing output,
      NanoClock clock) throws MidiBackendException {
    JackMessages.install();
    return new JackConnection(settings, input, output, clock, counters);
  }

  /** A short-lived client that never starts a server, to see whether one runs. */
  private static final class Probe implements AutoCloseable {
    final Jack jack;
    final JackClient client;

    Probe() throws JackException {
      JackMessages.install();
      jack = Jack.getInstance();
      client = jack.openClient("continuo-probe", EnumSet.of(JackOptions.JackNoStartServer),
          EnumSet.noneOf(JackStatus.class));
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
