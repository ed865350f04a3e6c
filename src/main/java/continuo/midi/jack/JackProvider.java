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

/**
 * JACK (or PipeWire's JACK) through jnajack: sample-accurate ports any JACK DAW can connect to.
 * Every call that waits for the server is bounded in time ({@link Bounded}): a frozen server is
 * reported in one line instead of hanging {@code continuo run}. Control thread.
 */
public final class JackProvider implements MidiProvider {
  /** How long {@code --backend auto} and {@code continuo ports} wait for a server to answer. */
  static final long PROBE_MILLIS = 3_000;
  /** How long opening continuo's client (ports, activation, first cycles) may take. */
  static final long OPEN_MILLIS = 10_000;

  @Override
  public String name() {
    return "jack";
  }

  @Override
  public int autoOrder() {
    return 0;
  }

  @Override
  public String unavailableReason() {
    try {
      Bounded.call("continuo-jack-probe", PROBE_MILLIS, Probe::new).close();
      return null;
    } catch (Bounded.TimedOut e) {
      return notAnswering(PROBE_MILLIS);
    } catch (UnsatisfiedLinkError e) {
      return "JACK is not installed (no libjack: " + e.getMessage() + ")";
    } catch (Throwable t) {
      return "no JACK server running";
    }
  }

  private static String notAnswering(long millis) {
    return "the JACK server did not answer within " + millis / 1000 + " s (stopped or hung?)";
  }

  @Override
  public List<MidiPortInfo> ports() throws MidiBackendException {
    try (Probe p = Bounded.call("continuo-jack-probe", PROBE_MILLIS, Probe::new)) {
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
    } catch (Bounded.TimedOut e) {
      throw new MidiBackendException(notAnswering(PROBE_MILLIS), e);
    } catch (Exception | UnsatisfiedLinkError e) {
      throw new MidiBackendException("no JACK server: " + e.getMessage(), e);
    }
  }

  @Override
  public MidiConnection open(MidiSettings settings, MidiEventRing input, MidiEventRing output,
      NanoClock clock, Counters counters) throws MidiBackendException {
    JackMessages.install();
    try {
      return Bounded.call("continuo-jack-open", OPEN_MILLIS,
          () -> new JackConnection(settings, input, output, clock, counters));
    } catch (Bounded.TimedOut e) {
      throw new MidiBackendException("cannot open JACK client '" + settings.clientName() + "': "
          + notAnswering(OPEN_MILLIS), e);
    } catch (MidiBackendException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new MidiBackendException("cannot open JACK client '" + settings.clientName() + "': "
          + e.getMessage(), e);
    }
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
