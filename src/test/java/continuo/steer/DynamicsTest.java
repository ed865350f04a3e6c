package continuo.steer;

import static continuo.encoding.PerformanceEncoding.binOfVelocity;
import static continuo.encoding.PerformanceEncoding.velocity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DynamicsTest {
  private static final long MS = 1_000_000;

  @Test
  void followTracksAPlayerWhoGetsLouderWithinAFewSeconds() {
    VelocityFollower follower = new VelocityFollower();
    Dynamics dynamics = Dynamics.follow(follower, 1.0);
    int token = velocity(binOfVelocity(90));
    assertEquals(dynamics.outputVelocity(token), Dynamics.model(1).outputVelocity(token));
    long t = 0;
    for (int i = 0; i < 40; i++, t += 250 * MS) {
      follower.noteOn(40, t);
    }
    assertEquals(40, dynamics.outputVelocity(token));
    for (int i = 0; i < 16; i++, t += 250 * MS) {
      follower.noteOn(110, t);
    }
    int after4s = dynamics.outputVelocity(token);
    assertTrue(after4s >= 85 && after4s <= 110, "after 4 s of forte: " + after4s);
  }

  @Test
  void scalesTheModelsAndTheFollowedVelocityButNotAFixedOne() {
    int token = velocity(binOfVelocity(80));
    int model = Dynamics.model(1).outputVelocity(token);
    assertEquals(Math.round(model * 0.5), Dynamics.model(0.5).outputVelocity(token));
    assertEquals(127, Dynamics.model(4).outputVelocity(token));
    assertEquals(64, Dynamics.parse("64", 0.5, null).outputVelocity(token));
    VelocityFollower follower = new VelocityFollower();
    follower.noteOn(100, 0);
    assertEquals(120, Dynamics.parse("follow", 1.2, follower).outputVelocity(token));
  }

  @Test
  void rejectsAnUnknownVelocityModeInOneLine() {
    assertEquals("velocity must be \"model\", \"follow\" or a number 1..127, got \"loud\"",
        assertThrows(IllegalArgumentException.class, () -> Dynamics.parse("loud", 1, null))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> Dynamics.parse("0", 1, null));
    assertThrows(IllegalArgumentException.class, () -> Dynamics.model(0));
  }
}
