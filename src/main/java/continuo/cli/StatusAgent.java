package continuo.cli;

import continuo.engine.LiveEngine;
import continuo.engine.LiveSession;
import continuo.tempo.TempoSource;
import java.io.PrintStream;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;

/**
 * What {@code run} shows while a jam goes on: at a terminal the status line, redrawn five times a
 * second in place; otherwise one {@code event=status} log line each time the phase changes; a
 * {@code event=tempo_source} line each time the tempo's source changes; an {@code event=key} line
 * each time the answer's key changes (heard, or set by a knob or a preset); and once, the controller a
 * {@code --learn} assigned. Runs on its own agent thread
 * ({@code continuo-status}); it only reads the engine's volatiles and the counters.
 */
final class StatusAgent implements Agent {
  private static final long REDRAW_NANOS = 200_000_000L;

  private final LiveSession session;
  private final Consumer<String> log;
  private final BiFunction<StringBuilder, LiveSession, StringBuilder> status;
  private final StatusLinePrinter statusLine;
  private final String learn;
  private final StringBuilder logLine = new StringBuilder(512);
  private long nextRedraw;
  private LiveEngine.Phase lastPhase;
  private boolean learnReported;
  private long tempoChanges;
  private long transportEvents;
  private TempoSource tempoSource;
  private long keyChanges;

  /**
   * Shows {@code session}'s status through {@code log} (whole lines) and, when {@code terminal}
   * is given, as a status line redrawn on it; {@code status} appends the line's text;
   * {@code learn} is the control a {@code --learn} assigns, or null.
   */
  StatusAgent(LiveSession session, Consumer<String> log, PrintStream terminal,
      BiFunction<StringBuilder, LiveSession, StringBuilder> status, String learn) {
    this.session = session;
    this.log = log;
    this.status = status;
    this.learn = learn;
    this.statusLine = terminal == null
        ? null : new StatusLinePrinter(terminal, StatusLinePrinter.stdoutCharset());
  }

  @Override
  public int doWork() {
    LiveEngine e = session.engine();
    int work = 0;
    if (!learnReported && learn != null && e.learnedCc() >= 0) {
      log.accept("event=learned control=" + learn + " cc=" + e.learnedCc());
      learnReported = true;
      work++;
    }
    if (e.tempo().sourceChanges() != tempoChanges) {
      // The first choice is in the ready line; each change after it is logged.
      if (tempoChanges > 0) {
        logLine.setLength(0);
        log.accept(RunCommand.appendTempo(logLine.append("event=tempo_source tempo=\""), e)
            .append("\" from=").append(tempoSource == null ? "-" : tempoSource.label())
            .toString());
        work++;
      }
      tempoChanges = e.tempo().sourceChanges();
      tempoSource = e.tempo().statusSource();
    }
    if (e.steering().keyChanges() != keyChanges) {
      keyChanges = e.steering().keyChanges();
      logLine.setLength(0);
      log.accept(SteeringStatus.append(logLine.append("event=key "), e.steering()).toString());
      work++;
    }
    if (e.tempo().transportEvents() != transportEvents) {
      transportEvents = e.tempo().transportEvents();
      logLine.setLength(0);
      long tenths = Math.round(e.tempo().transportBpm() * 10);
      TempoSource from = e.tempo().transportSource();
      log.accept(logLine.append("event=transport state=").append(e.tempo().lastTransport())
          .append(" tempo=\"").append(tenths / 10).append('.').append(tenths % 10).append(" bpm ")
          .append(from == null ? "-" : from.label()).append('"').toString());
      work++;
    }
    if (statusLine != null) {
      long now = System.nanoTime();
      if (now >= nextRedraw) {
        status.apply(statusLine.begin(), session);
        statusLine.print();
        nextRedraw = now + REDRAW_NANOS;
        work++;
      }
    } else if (e.phase() != lastPhase) {
      logLine.setLength(0);
      log.accept(status.apply(logLine.append("event=status "), session).toString());
      lastPhase = e.phase();
      work++;
    }
    return work;
  }

  @Override
  public void onClose() {
    if (statusLine != null) {
      statusLine.finish();
    }
  }

  @Override
  public String roleName() {
    return "continuo-status";
  }
}
