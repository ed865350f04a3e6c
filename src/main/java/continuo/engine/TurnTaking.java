package continuo.engine;

import continuo.encoding.PerformanceEncoding;
import continuo.preset.Mode;
import continuo.preset.Preset;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Turn taking: decides when continuo answers and when it stops. In duet mode it answers once the
 * player has let go of every key and paused for the response gap; in call-response mode the answer
 * is as long as the call (or the preset's length) and one answer follows each call. A note from
 * the player while continuo plays is a barge-in: the answer stops at once, what was scheduled and
 * not played is cancelled, and the model's state rolls back to what the room heard. Owns the phase
 * and the player's part of the timeline (when their call started, when they last played). Engine
 * thread only, except {@link #phase()} and {@link #backendReconnected()}; allocation free.
 *
 * <p>Transport Stop ends a turn the way {@link #panic} does and holds continuo silent until Start,
 * Continue or the player plays; Start begins a new phrase. A tempo would turn the response gap
 * into beats in {@link #decide}.
 *
 * <p>Nothing the player holds can wedge it: keys held (and the sustain pedal down) with nothing
 * else played for the preset's {@code held_note_timeout_ms} stop holding up the answer, and
 * {@link #clearPlayerHeldNotes} forgets them all (All Notes Off, All Sound Off, panic, transport
 * Stop, a backend reconnect).
 */
final class TurnTaking {
  private static final long MS = Listener.MS;

  private final Listener listener;
  private final LookAhead lookAhead;
  private final OutputGate gate;
  private final AtomicCounter bargeIns;

  private volatile LiveEngine.Phase phase = LiveEngine.Phase.LISTENING;
  private boolean awaitingPlayer = true;
  /** Between a transport Stop and the next Start, Continue or note from the player. */
  private boolean stoppedByTransport;
  private boolean heardAnything;
  private long lastPlayerNanos;
  private long callStartNanos;

  private Mode mode;
  private long responseGapNanos;
  private long responseLengthNanos;
  private long heldTimeoutNanos;
  /** Backend reopenings (supervisor thread), and how many of them were acted on. */
  private final AtomicLong reconnects = new AtomicLong();
  private long reconnectsSeen;

  TurnTaking(Listener listener, LookAhead lookAhead, OutputGate gate, AtomicCounter bargeIns) {
    this.listener = listener;
    this.lookAhead = lookAhead;
    this.gate = gate;
    this.bargeIns = bargeIns;
  }

  void use(Preset p) {
    mode = p.mode();
    responseGapNanos = p.responseGapMs() * MS;
    responseLengthNanos = p.responseLengthMs() * MS;
    heldTimeoutNanos = p.heldNoteTimeoutMs() * MS;
  }

  /** Any thread: what continuo is doing, for the status line. */
  LiveEngine.Phase phase() {
    return phase;
  }

  boolean playing() {
    return phase == LiveEngine.Phase.PLAYING;
  }

  /** The player pressed a key ({@code channel} 0..15): a barge-in if continuo plays, and the call goes on. */
  void playerNoteOn(long t, int channel, int pitch, int velocity) {
    if (playing()) {
      bargeIns.increment();
      stop(t);
    }
    listener.noteOn(t, channel, pitch, velocity);
    if (awaitingPlayer || !heardAnything) {
      callStartNanos = t;
    }
    heardAnything = true;
    awaitingPlayer = false;
    stoppedByTransport = false;
    lastPlayerNanos = t;
  }

  void playerNoteOff(long t, int channel, int pitch) {
    if (listener.noteOff(t, channel, pitch)) {
      lastPlayerNanos = t;
    }
  }

  /** The sustain pedal (CC 64): while it is down the player holds, as with a key. */
  void sustain(long t, boolean down) {
    if (listener.pedal(down)) {
      lastPlayerNanos = t;
    }
  }

  /**
   * Forgets every key and the pedal the player holds, as if released now: the model hears the
   * notes end and their echoes end. A note-off lost (an xrun, a cable pulled, a server restarted
   * with keys down) then never keeps continuo from answering. The one place for All Notes Off,
   * All Sound Off, panic, transport Stop and a backend reconnect.
   */
  void clearPlayerHeldNotes(long now) {
    gate.releaseThru(now); // first: it asks nothing of the model, which may be what fails
    boolean released = listener.liftPedal(now);
    released |= listener.releaseHeldNotes(now);
    if (released) {
      lastPlayerNanos = now;
    }
  }

  /** Supervisor thread: the backend was reopened; {@link #afterReconnect} acts on it. */
  void backendReconnected() {
    reconnects.incrementAndGet();
  }

  /** Forgets the keys held across a backend outage, once per reopening; returns 1 when it did. */
  int afterReconnect(long now) {
    long n = reconnects.get();
    if (n == reconnectsSeen) {
      return 0;
    }
    reconnectsSeen = n;
    clearPlayerHeldNotes(now);
    return 1;
  }

  /** Starts or ends an answer when it is time; returns 1 when it did. */
  int decide(long now) {
    if (playing()) {
      if (lookAhead.finished() && gate.idle()) {
        finish();
        return 1;
      }
      return 0;
    }
    if (awaitingPlayer || stoppedByTransport || !heardAnything) {
      return 0;
    }
    if (listener.holding()) {
      if (now - lastPlayerNanos < heldTimeoutNanos) {
        return 0;
      }
      // Held this long with nothing else played: a lost note-off, or a pad to answer over.
      listener.excuseHeld();
    }
    if (now - lastPlayerNanos >= responseGapNanos) {
      start(now);
      return 1;
    }
    return 0;
  }

  /** Call-response: the player's end-of-phrase controller ends the call now. */
  void endOfPhrase(long t) {
    if (mode == Mode.CALL_RESPONSE && !playing() && heardAnything && !awaitingPlayer) {
      if (listener.releaseHeldNotes(t)) {
        lastPlayerNanos = t;
      }
      start(t);
    }
  }

  private void start(long now) {
    long length = Long.MAX_VALUE;
    if (mode == Mode.CALL_RESPONSE) {
      length = responseLengthNanos > 0 ? responseLengthNanos
          : Math.max(1_000 * MS, lastPlayerNanos - callStartNanos);
    }
    lookAhead.begin(now, gate.earliestAnswer(now), length);
    phase = LiveEngine.Phase.PLAYING;
  }

  /** The answer played out: what was generated and heard becomes the live state. */
  private void finish() {
    lookAhead.commitHeard();
    phase = LiveEngine.Phase.LISTENING;
    awaitingPlayer = true;
  }

  /** Stops at once: cancels what was not played, releases what sounds, rolls back to what was heard. */
  void stop(long now) {
    if (!playing()) {
      return;
    }
    gate.cancelPending();
    long offAt = gate.latestOnset(now);
    lookAhead.commitHeard();
    listener.tellTime(offAt);
    for (int p = 0; p < 128; p++) {
      if (gate.sounding(p)) {
        // The model heard this note start; tell it the note stopped, as the listener hears it.
        listener.tell(PerformanceEncoding.noteOff(p));
      }
    }
    gate.releaseSounding(now);
    phase = LiveEngine.Phase.LISTENING;
    awaitingPlayer = true;
  }

  /** Panic (All Notes Off, All Sound Off, the panic controller): silent until the player plays. */
  void panic(long now) {
    stop(now);
    gate.releaseSounding(now);
    gate.allNotesOff(now);
    clearPlayerHeldNotes(now);
    awaitingPlayer = true;
  }

  /**
   * Transport Stop: every note continuo plays (its own and the echoed ones) goes off at once, and
   * it stays silent until Start, Continue or the player plays.
   */
  void transportStop(long now) {
    panic(now);
    stoppedByTransport = true;
  }

  /** Transport Continue: the turn goes on where Stop left it. */
  void transportContinue() {
    stoppedByTransport = false;
  }

  /**
   * Transport Start: the phrase starts anew. An answer being played stops (as at a barge-in) and
   * what the player played before is no call to answer: continuo waits for the player.
   */
  void transportStart(long now) {
    stop(now);
    stoppedByTransport = false;
    awaitingPlayer = true;
  }

  /** Shutdown: every note off, continuo's and the echoed ones. */
  void silence(long now) {
    stop(now);
    gate.releaseSounding(now);
    gate.releaseThru(now);
  }

  /** Stops without asking the model anything (it may be what failed) and releases every note. */
  void stopAfterError(long now) {
    gate.cancelPending();
    gate.releaseSounding(now);
    gate.forgetHeard();
    phase = LiveEngine.Phase.LISTENING;
    awaitingPlayer = true;
  }
}
