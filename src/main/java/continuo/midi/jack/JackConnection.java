package continuo.midi.jack;

import com.sun.jna.Native;
import continuo.metrics.Counters;
import continuo.midi.MidiBackendException;
import continuo.midi.MidiConnection;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiHandler;
import continuo.midi.MidiMessage;
import continuo.midi.MidiSettings;
import continuo.schedule.EventHeap;
import java.util.EnumSet;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackShutdownCallback;
import org.jaudiolibs.jnajack.JackStatus;
import org.jaudiolibs.jnajack.JackXrunCallback;

/**
 * A JACK client with one MIDI input and one MIDI output port. The process callback (JACK's real-time
 * thread) only moves events: input events (notes, controllers, MIDI clock and transport), stamped
 * with the NanoClock time of their frame, into the input ring ({@link JackInput}); due output
 * events (notes, controllers, clock ticks and transport), from the output ring through a small
 * time-ordered heap, into the output buffer at the frame offset of their timestamp. It never runs
 * the model, allocates nothing (its libjack calls are bound directly, {@link LibJack}; jnajack
 * opens the client, the ports and the notifications), and never throws (failures are counted).
 * After an xrun it writes again the note-offs of the last moments, which the readers of its output
 * may have missed ({@link NoteOffMemory}).
 */
final class JackConnection implements MidiConnection, JackShutdownCallback, JackXrunCallback {
  private static final int WARM_UP_CYCLES = 16;
  /** How far back note-offs are written again after an xrun (JACK reports it a cycle or so late). */
  private static final long REPEAT_WINDOW_NANOS = 200_000_000;

  private final NanoClock clock;
  private final JackInput input;
  private final MidiEventRing output;
  private final EventHeap pending = new EventHeap(4096);
  /** JACK calls this every period; held here because JNA keeps only a weak reference to it. */
  private final LibJack.Process cycle = this::process;
  private final byte[] inBytes = new byte[3];
  private final byte[] outBytes = new byte[3];
  private final NoteOffMemory recentNoteOffs = new NoteOffMemory(256);
  private final int[] repeats = new int[256];
  private final MidiHandler toPending = this::toPending;
  private final AtomicCounter lateOutput;
  private final AtomicCounter lateCycleOutput;
  private final AtomicCounter periodFull;
  private final AtomicCounter callbackErrors;
  private final AtomicCounter overflow;
  private final AtomicCounter allocated;
  private final AtomicCounter xruns;
  private final AtomicCounter repeatedNoteOffs;
  private final AtomicCounter reanchored;
  private final com.sun.management.ThreadMXBean threads = threadBean();

  private final Jack jack;
  private final JackClient client;
  private final JackPort inPort;
  private final JackPort outPort;
  private final long clientAddress;
  private final long inPortAddress;
  private final long outPortAddress;
  private long inBuffer;
  private long outBuffer;
  private final boolean passThrough;
  private final int sampleRate;
  private final int bufferSize;

  private volatile boolean alive = true;
  private boolean closed;
  private volatile long cycles;
  private final FrameClock frameClock;
  private long frame0;
  private long xrunsRepaired;
  private long anchorings;
  private int nframes;

  JackConnection(MidiSettings settings, MidiEventRing input, MidiEventRing output, NanoClock clock,
      Counters counters) throws MidiBackendException {
    this.clock = clock;
    this.input = new JackInput(input, counters);
    this.output = output;
    this.passThrough = settings.passThrough();
    this.lateOutput = counters.newCounter("jack.output.late");
    this.lateCycleOutput = counters.newCounter("jack.output.late_cycle");
    this.periodFull = counters.newCounter("jack.output.period_full");
    this.callbackErrors = counters.newCounter("jack.callback.errors");
    this.overflow = counters.newCounter("jack.output.overflow");
    this.allocated = counters.newCounter("jack.callback.allocated_bytes");
    this.xruns = counters.newCounter("jack.xruns");
    this.repeatedNoteOffs = counters.newCounter("jack.output.note_offs_repeated");
    this.reanchored = counters.newCounter("jack.frames.reanchored");
    try {
      jack = Jack.getInstance();
      EnumSet<JackStatus> status = EnumSet.noneOf(JackStatus.class);
      client = jack.openClient(settings.clientName(),
          EnumSet.of(JackOptions.JackNoStartServer, JackOptions.JackUseExactName), status);
    } catch (JackException | RuntimeException | UnsatisfiedLinkError e) {
      throw new MidiBackendException("cannot open JACK client '" + settings.clientName()
          + "' (is a JACK server running, and is the name free?): " + e.getMessage(), e);
    }
    try {
      inPort = client.registerPort("midi_in", JackPortType.MIDI, JackPortFlags.JackPortIsInput);
      outPort = client.registerPort("midi_out", JackPortType.MIDI, JackPortFlags.JackPortIsOutput);
      sampleRate = client.getSampleRate();
      bufferSize = client.getBufferSize();
      frameClock = new FrameClock(sampleRate);
      clientAddress = LibJack.clientAddress(client);
      inPortAddress = LibJack.portAddress(clientAddress, inPort.getName());
      outPortAddress = LibJack.portAddress(clientAddress, outPort.getName());
      LibJack.setProcessCallback(clientAddress, cycle, "continuo-jack");
      client.onShutdown(this);
      client.setXrunCallback(this);
      client.activate();
      warmUp();
      if (settings.in() != null) {
        connectMatching(settings.in(), true);
      }
      if (settings.out() != null) {
        connectMatching(settings.out(), false);
      }
    } catch (JackException | RuntimeException | UnsatisfiedLinkError e) {
      client.close();
      throw new MidiBackendException("cannot set up JACK ports of '" + settings.clientName()
          + "': " + e.getMessage(), e);
    }
  }

  /** The first callbacks of a new client are slow (JIT, page faults); let them pass unheard. */
  private void warmUp() throws MidiBackendException {
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (cycles < WARM_UP_CYCLES) {
      if (System.nanoTime() > deadline || !alive) {
        throw new MidiBackendException("the JACK server did not run continuo's process callback");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private void connectMatching(String spec, boolean toOurInput) throws JackException,
      MidiBackendException {
    EnumSet<JackPortFlags> flags =
        EnumSet.of(toOurInput ? JackPortFlags.JackPortIsOutput : JackPortFlags.JackPortIsInput);
    String[] ports = jack.getPorts(client, "", JackPortType.MIDI, flags);
    String own = client.getName() + ":";
    for (String p : ports) {
      if (!p.startsWith(own) && p.contains(spec)) {
        if (toOurInput) {
          jack.connect(client, p, inPort.getName());
        } else {
          jack.connect(client, outPort.getName(), p);
        }
        return;
      }
    }
    throw new MidiBackendException("no JACK MIDI " + (toOurInput ? "output" : "input")
        + " port matches '" + spec + "' (see `continuo ports`)");
  }

  /** One period: JACK's process thread, through {@link #cycle}. */
  private int process(int frames) {
    long bytesBefore = threads == null ? 0 : threads.getCurrentThreadAllocatedBytes();
    try {
      nframes = frames;
      inBuffer = LibJack.jack_port_get_buffer(inPortAddress, frames);
      outBuffer = LibJack.jack_port_get_buffer(outPortAddress, frames);
      if (inBuffer == 0 || outBuffer == 0) {
        // Never seen; a null buffer handed to libjack's MIDI functions would crash the process.
        throw new IllegalStateException("JACK gave no buffer for continuo's ports");
      }
      frame0 = LibJack.jack_last_frame_time(clientAddress) & 0xFFFF_FFFFL;
      frameClock.cycle(frame0, frames, clock.nanoTime());
      countReanchoring();
      if (passThrough) {
        passThrough();
      } else {
        try {
          input.read(inBuffer, frame0, frameClock);
        } finally {
          writeOutput(); // whatever happened to the input, this period's output goes out
        }
      }
      cycles++;
    } catch (Throwable t) {
      callbackErrors.increment();
    }
    frameClock.cycleEnded(frame0, frames);
    if (threads != null && cycles > WARM_UP_CYCLES) {
      // Measured, not assumed: what a cycle allocates shows in the counters.
      allocated.getAndAddOrdered(threads.getCurrentThreadAllocatedBytes() - bytesBefore);
    }
    return 0;
  }

  /**
   * Counts each time the frames were anchored anew to the clock after the first: from then on
   * every time stamped and every event written moves by as much as the anchor did.
   */
  private void countReanchoring() {
    long a = frameClock.anchorings();
    if (a != anchorings) {
      if (anchorings != 0) {
        reanchored.getAndAddOrdered(a - anchorings);
      }
      anchorings = a;
    }
  }

  private static com.sun.management.ThreadMXBean threadBean() {
    java.lang.management.ThreadMXBean b = java.lang.management.ManagementFactory.getThreadMXBean();
    if (b instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()) {
      t.setThreadAllocatedMemoryEnabled(true);
      return t;
    }
    return null;
  }

  /** Pass-through: every input event leaves on the output at its frame offset in this period. */
  private void passThrough() {
    LibJack.jack_midi_clear_buffer(outBuffer);
    int n = LibJack.jack_midi_get_event_count(inBuffer);
    for (int i = 0; i < n; i++) {
      JackMidiReader event = input.event(inBuffer, i);
      if (event == null) {
        continue;
      }
      int size = event.size();
      if (size >= 1 && size <= 3) {
        event.copy(inBytes);
        if (!write(event.time(), inBytes, size)) {
          return;
        }
      }
    }
  }

  private void writeOutput() {
    LibJack.jack_midi_clear_buffer(outBuffer);
    long xrunsNow = xruns.get();
    if (xrunsNow != xrunsRepaired) {
      xrunsRepaired = xrunsNow;
      long window = REPEAT_WINDOW_NANOS * sampleRate / 1_000_000_000L;
      int n = recentNoteOffs.repeatSince(frame0 - window, repeats);
      int written = 0;
      while (written < n && write(0, outBytes, pack(repeats[written]))) {
        written++;
      }
      repeatedNoteOffs.getAndAddOrdered(written);
    }
    output.drain(toPending);
    while (!pending.isEmpty()) {
      long frame = frameClock.frameOfNanos(pending.peekTime());
      long offset = frame - frame0;
      if (offset >= nframes) {
        break;
      }
      if (offset < 0) {
        // Late: continuo handed it over after its period had begun, or JACK ran this cycle
        // late or skipped the one before (an xrun), and the period was gone before it came.
        (frameClock.cycleLate() ? lateCycleOutput : lateOutput).increment();
        offset = 0;
      }
      int msg = pending.peekMessage();
      // Written first, removed after: when the period's buffer is full the event (perhaps a
      // note-off) stays queued for the next period instead of being lost.
      if (!write((int) offset, outBytes, pack(msg))) {
        return;
      }
      pending.poll();
      recentNoteOffs.written(frame0 + offset, msg);
    }
  }

  /** Writes an event into this period's output buffer; false (and counted) when it is full. */
  private boolean write(int offset, byte[] bytes, int size) {
    if (LibJack.jack_midi_event_write(outBuffer, offset, bytes, size) == 0) {
      return true;
    }
    periodFull.increment();
    return false;
  }

  /** Puts {@code msg} into {@link #outBytes}; returns its length. */
  private int pack(int msg) {
    outBytes[0] = (byte) MidiMessage.status(msg);
    outBytes[1] = (byte) MidiMessage.data1(msg);
    outBytes[2] = (byte) MidiMessage.data2(msg);
    return MidiMessage.length(msg);
  }

  private void toPending(long timeNanos, int msg) {
    if (!pending.add(timeNanos, msg)) {
      overflow.increment();
    }
  }

  /**
   * Called by JACK on its notification thread; the next cycle repeats the recent note-offs. JNA
   * attaches that thread to the JVM for each call and detaches it after, which makes a new
   * {@code Thread} and a new allocation buffer every time: at a few xruns a second that filled the
   * young generation in minutes. Keeping it attached (until JACK ends the thread) allocates once.
   */
  @Override
  public void xrunOccured(JackClient c) {
    Native.detach(false);
    xruns.increment();
  }

  @Override
  public void clientShutdown(JackClient c) {
    alive = false;
  }

  @Override
  public String describe() {
    return "jack: " + inPort.getName() + " and " + outPort.getName() + " (" + sampleRate + " Hz, "
        + bufferSize + " frames per period)";
  }

  @Override
  public MidiEventRing output() {
    return output;
  }

  @Override
  public long outputLeadNanos() {
    // An event must be in the pending heap before the cycle that plays it starts.
    return 2L * bufferSize * 1_000_000_000L / sampleRate;
  }

  /** The mapping of frames to clock time the process callback uses; diagnostics and tests. */
  FrameClock frameClock() {
    return frameClock;
  }

  int sampleRate() {
    return sampleRate;
  }

  @Override
  public boolean isAlive() {
    return alive;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + 1_000_000_000L;
    long start = cycles;
    // Let the callback play what is queued (the final note-offs) before the ports go away.
    while (alive && (!output.isEmpty() || cycles < start + 3) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    while (alive && !pending.isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    try {
      client.deactivate();
    } catch (RuntimeException e) {
      // The server is gone; the client is closed below all the same.
    }
    client.close();
  }
}
