package continuo.schedule;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Optional operating-system help for the real-time threads on Linux: {@code SCHED_FIFO} for the
 * calling thread and {@code mlockall(MCL_CURRENT)} so the pages already in use are never swapped
 * out. Both need privileges (root, CAP_SYS_NICE / CAP_IPC_LOCK, or an rtprio/memlock limit in
 * /etc/security/limits.conf); without them the calls fail harmlessly and say why. Set-up only.
 */
public final class Realtime {
  private Realtime() {}

  private static final int SCHED_FIFO = 1;
  private static final int MCL_CURRENT = 1;

  interface LibC extends Library {
    int mlockall(int flags) throws LastErrorException;

    int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;
  }

  /** Locks the process's current memory; null when done, else why not. */
  public static String lockMemory() {
    if (!Platform.isLinux()) {
      return "mlockall is only used on Linux";
    }
    try {
      Native.load("c", LibC.class).mlockall(MCL_CURRENT);
      return null;
    } catch (LastErrorException e) {
      return "mlockall failed (errno " + e.getErrorCode() + "; raise the memlock limit or run with "
          + "CAP_IPC_LOCK)";
    } catch (Throwable t) {
      return "mlockall unavailable: " + t.getMessage();
    }
  }

  /** Gives the calling thread SCHED_FIFO at {@code priority} (1..99); null when done, else why not. */
  public static String fifo(int priority) {
    if (!Platform.isLinux()) {
      return "SCHED_FIFO is only used on Linux";
    }
    try {
      // pid 0 is the calling thread: Linux schedules threads, not processes.
      Native.load("c", LibC.class).sched_setscheduler(0, SCHED_FIFO, new int[] {priority});
      return null;
    } catch (LastErrorException e) {
      return "SCHED_FIFO refused (errno " + e.getErrorCode() + "; needs CAP_SYS_NICE or an rtprio "
          + "limit)";
    } catch (Throwable t) {
      return "SCHED_FIFO unavailable: " + t.getMessage();
    }
  }
}
