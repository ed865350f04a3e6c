package continuo.cli;

import continuo.midi.MidiBackendException;
import continuo.midi.MidiPortInfo;
import continuo.midi.MidiProvider;
import continuo.midi.MidiProviders;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code continuo ports}: every MIDI port of every backend, with the name to pass to --in/--out. */
@Command(
    name = "ports",
    mixinStandardHelpOptions = true,
    description = "Lists the MIDI ports of every available backend (JACK, Java Sound).")
final class PortsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    MidiProviders providers = new MidiProviders();
    for (MidiProvider p : providers.all()) {
      String unavailable = p.unavailableReason();
      if (unavailable != null) {
        System.out.println(p.name() + ": not available (" + unavailable + ")");
        continue;
      }
      List<MidiPortInfo> ports;
      try {
        ports = p.ports();
      } catch (MidiBackendException e) {
        System.out.println(p.name() + ": " + e.getMessage());
        continue;
      }
      System.out.println(p.name() + ":" + (ports.isEmpty() ? " no MIDI ports" : ""));
      for (MidiPortInfo port : ports) {
        System.out.printf("  %-4s %-40s %s%n", port.input() ? "in" : "out", port.name(),
            port.description());
      }
    }
    return 0;
  }
}
