package continuo.midi.javasound;

import continuo.metrics.Counters;
import continuo.midi.MidiBackendException;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiPortInfo;
import continuo.midi.MidiProvider;
import continuo.midi.MidiSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Sequencer;
import javax.sound.midi.Synthesizer;
import org.agrona.concurrent.NanoClock;

/**
 * Java Sound MIDI devices, listed through CoreMIDI4J where it works (macOS, where Java's own
 * CoreMIDI support is broken) and through Java Sound elsewhere. Ports are chosen by substring of
 * their name; the output {@code synth} is Java's built-in General MIDI synthesizer, so continuo can
 * be heard without any other software. Found through {@code ServiceLoader}; control thread.
 */
public final class JavaSoundProvider implements MidiProvider {
  /** The output name that selects the built-in synthesizer. */
  public static final String SYNTH = "synth";

  @Override
  public String name() {
    return "javasound";
  }

  @Override
  public String unavailableReason() {
    return null; // the built-in synthesizer is always there to play to
  }

  @Override
  public List<MidiPortInfo> ports() {
    List<MidiPortInfo> out = new ArrayList<>();
    for (MidiDevice.Info info : infos()) {
      MidiDevice d = device(info);
      if (d == null || d instanceof Sequencer) {
        continue;
      }
      String desc = info.getDescription() + " (" + info.getVendor() + ")";
      if (d.getMaxTransmitters() != 0 && !(d instanceof Synthesizer)) {
        out.add(new MidiPortInfo("javasound", info.getName(), true, desc));
      }
      if (d.getMaxReceivers() != 0) {
        String name = d instanceof Synthesizer ? SYNTH : info.getName();
        out.add(new MidiPortInfo("javasound", name, false,
            d instanceof Synthesizer ? "built-in synthesizer: " + info.getName() : desc));
      }
    }
    return out;
  }

  @Override
  public MidiConnection open(MidiSettings settings, MidiEventRing input, MidiEventRing output,
      NanoClock clock, Counters counters) throws MidiBackendException {
    MidiDevice in = settings.in() == null ? firstInput() : find(settings.in(), true);
    MidiDevice out = settings.out() == null || settings.out().equals(SYNTH)
        ? synthesizer() : find(settings.out(), false);
    try {
      return new JavaSoundConnection(in, out, input, output, clock, counters,
          settings.realtime());
    } catch (Exception e) {
      if (out instanceof Synthesizer) {
        throw new MidiBackendException("the built-in synthesizer cannot open an audio output ("
            + e.getMessage() + "); is there a sound card? Use --out PORT (see `continuo ports`) "
            + "or --backend jack", e);
      }
      throw new MidiBackendException("cannot open Java Sound device: " + e.getMessage(), e);
    }
  }

  private MidiDevice firstInput() {
    for (MidiDevice.Info info : infos()) {
      MidiDevice d = device(info);
      if (d != null && !(d instanceof Sequencer) && !(d instanceof Synthesizer)
          && d.getMaxTransmitters() != 0 && !info.getName().contains("Real Time Sequencer")) {
        return d;
      }
    }
    return null; // no input: continuo still plays what other inputs (e.g. a file) give it
  }

  private MidiDevice find(String spec, boolean input) throws MidiBackendException {
    String s = spec.toLowerCase(Locale.ROOT);
    List<String> names = new ArrayList<>();
    for (MidiDevice.Info info : infos()) {
      MidiDevice d = device(info);
      if (d == null || d instanceof Sequencer) {
        continue;
      }
      boolean fits = input ? d.getMaxTransmitters() != 0 && !(d instanceof Synthesizer)
          : d.getMaxReceivers() != 0;
      if (!fits) {
        continue;
      }
      names.add(info.getName());
      if (info.getName().toLowerCase(Locale.ROOT).contains(s)) {
        return d;
      }
    }
    throw new MidiBackendException("no Java Sound MIDI " + (input ? "input" : "output")
        + " matches '" + spec + "'; available: " + (names.isEmpty() ? "none" : String.join(", ", names))
        + (input ? "" : ", synth"));
  }

  private static Synthesizer synthesizer() throws MidiBackendException {
    try {
      return MidiSystem.getSynthesizer();
    } catch (MidiUnavailableException e) {
      throw new MidiBackendException("the built-in synthesizer is unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code device} is still among the system's devices. Compared by name, vendor,
   * description and version, because providers may hand out new {@code Info} objects each time they
   * enumerate. The built-in synthesizer never goes away.
   */
  static boolean isListed(MidiDevice device) {
    if (device instanceof Synthesizer) {
      return true;
    }
    MidiDevice.Info mine = device.getDeviceInfo();
    for (MidiDevice.Info info : infos()) {
      if (info.getName().equals(mine.getName()) && info.getVendor().equals(mine.getVendor())
          && info.getDescription().equals(mine.getDescription())
          && info.getVersion().equals(mine.getVersion())) {
        return true;
      }
    }
    return false;
  }

  private static MidiDevice.Info[] infos() {
    try {
      return uk.co.xfactorylibrarians.coremidi4j.CoreMidiDeviceProvider.getMidiDeviceInfo();
    } catch (Throwable t) {
      return MidiSystem.getMidiDeviceInfo();
    }
  }

  private static MidiDevice device(MidiDevice.Info info) {
    try {
      return MidiSystem.getMidiDevice(info);
    } catch (MidiUnavailableException | IllegalArgumentException e) {
      return null;
    }
  }
}
