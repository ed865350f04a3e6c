package continuo.midi;

import continuo.metrics.Counters;
import continuo.midi.jack.JackProvider;
import continuo.midi.javasound.JavaSoundProvider;
import java.util.List;

/** The MIDI backends continuo knows, and the choice {@code --backend auto} makes among them. */
public final class MidiProviders {
  private final List<MidiProvider> all;

  public MidiProviders(Counters counters) {
    all = List.of(new JackProvider(counters), new JavaSoundProvider(counters));
  }

  public List<MidiProvider> all() {
    return all;
  }

  /** The provider named {@code name}, or for "auto" JACK when a server runs, else Java Sound. */
  public MidiProvider select(String name) throws MidiBackendException {
    if (name == null || name.equals("auto")) {
      for (MidiProvider p : all) {
        if (p.isAvailable()) {
          return p;
        }
      }
      throw new MidiBackendException("no MIDI backend is available");
    }
    for (MidiProvider p : all) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new MidiBackendException("unknown backend '" + name + "'; expected auto, jack or javasound");
  }
}
