package continuo.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EventHeapTest {
  @Test
  void pollsInTimeOrderAndKeepsArrivalOrderForEqualTimes() {
    EventHeap h = new EventHeap(16);
    h.add(30, 3);
    h.add(10, 1);
    h.add(20, 20);
    h.add(20, 21);
    h.add(20, 22);
    int[] expected = {1, 20, 21, 22, 3};
    for (int m : expected) {
      assertEquals(m, h.peekMessage());
      h.poll();
    }
    assertTrue(h.isEmpty());
  }

  @Test
  void refusesEventsWhenFull() {
    EventHeap h = new EventHeap(2);
    assertTrue(h.add(1, 1));
    assertTrue(h.add(2, 2));
    assertFalse(h.add(3, 3));
  }

  @Test
  void sortsRandomTimes() {
    EventHeap h = new EventHeap(5000);
    Random r = new Random(1);
    for (int i = 0; i < 5000; i++) {
      h.add(r.nextInt(1000), i);
    }
    long last = Long.MIN_VALUE;
    while (!h.isEmpty()) {
      assertTrue(h.peekTime() >= last);
      last = h.peekTime();
      h.poll();
    }
  }
}
