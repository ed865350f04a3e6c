package continuo.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Counts the garbage collections that happen while it is open into the status line's
 * {@code jvm.gc.collections} and {@code jvm.gc.longest_ms}: a jam is meant to have none, and when
 * one happens the player should see it beside the late-note counters. The JVM calls the listener
 * on its notification thread, after the collection; nothing runs on the live path. Opened and
 * closed by the thread that starts and stops the session.
 */
public final class GcWatch implements AutoCloseable {
  private final AtomicCounter collections;
  private final AtomicCounter longestMillis;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;

  public GcWatch(Counters counters) {
    collections = counters.newCounter("jvm.gc.collections");
    longestMillis = counters.newCounter("jvm.gc.longest_ms");
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
  }

  private void collected(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    collections.increment();
    long millis = info.getGcInfo().getDuration();
    if (millis > longestMillis.get()) {
      longestMillis.set(millis);
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // removed already
      }
    }
    emitters.clear();
  }
}
