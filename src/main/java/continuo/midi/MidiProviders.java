package continuo.midi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The MIDI providers on the class path, found through {@link ServiceLoader} as jaudiolibs finds
 * its audio servers, and the choice {@code --backend auto} makes among them. Control thread.
 */
public final class MidiProviders {
  private final List<MidiProvider> all;

  /** Every provider listed in a {@code META-INF/services/continuo.midi.MidiProvider}. */
  public MidiProviders() {
    this(discover());
  }

  /** These providers (a test's, or a narrower set), tried by {@code auto} in their auto order. */
  public MidiProviders(List<MidiProvider> providers) {
    List<MidiProvider> sorted = new ArrayList<>(providers);
    sorted.sort(Comparator.comparingInt(MidiProvider::autoOrder));
    all = List.copyOf(sorted);
  }

  private static List<MidiProvider> discover() {
    List<MidiProvider> found = new ArrayList<>();
    for (MidiProvider p : ServiceLoader.load(MidiProvider.class, MidiProvider.class.getClassLoader())) {
      found.add(p);
    }
    return found;
  }

  public List<MidiProvider> all() {
    return all;
  }

  /** A backend and, when {@code auto} passed others over, why (one line; null otherwise). */
  public record Choice(MidiProvider provider, String passedOver) {}

  /**
   * The backend named {@code name}, or for "auto" (or null) the first in auto order that is
   * available now: JACK when a server runs (and answers), else Java Sound.
   */
  public Choice choose(String name) throws MidiBackendException {
    if (name == null || name.equals("auto")) {
      List<String> reasons = new ArrayList<>();
      for (MidiProvider p : all) {
        if (!p.playsOutput()) {
          continue;
        }
        String why = p.unavailableReason();
        if (why == null) {
          return new Choice(p, reasons.isEmpty() ? null : String.join("; ", reasons));
        }
        reasons.add(why);
      }
      throw new MidiBackendException("no MIDI backend is available"
          + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)));
    }
    for (MidiProvider p : all) {
      if (p.name().equals(name) && p.playsOutput()) {
        return new Choice(p, null);
      }
    }
    throw new MidiBackendException("unknown backend '" + name + "'; expected auto, "
        + all.stream().filter(MidiProvider::playsOutput).map(MidiProvider::name)
            .collect(Collectors.joining(" or ")));
  }

  /** As {@link #choose}, the backend alone. */
  public MidiProvider select(String name) throws MidiBackendException {
    return choose(name).provider();
  }

  /**
   * The input-only source an {@code --in} spec names by its scheme ({@code file:phrase.mid}), or
   * null when the spec is a port of the backend (or null).
   */
  public MidiProvider source(String inSpec) {
    if (inSpec == null) {
      return null;
    }
    for (MidiProvider p : all) {
      if (!p.playsOutput() && inSpec.startsWith(p.name() + ":")) {
        return p;
      }
    }
    return null;
  }
}
