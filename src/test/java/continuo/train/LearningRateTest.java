package continuo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateTest {
  @Test
  void theWarmUpRisesLinearlyToTheBaseRate() {
    LearningRate plateau = new LearningRate(LearningRate.Schedule.PLATEAU, 4);
    assertEquals(0.25e-3, plateau.at(1e-3, 0, 100), 1e-12);
    assertEquals(0.5e-3, plateau.at(1e-3, 1, 100), 1e-12);
    assertEquals(1e-3, plateau.at(1e-3, 3, 100), 1e-12);
    assertEquals(1e-3, plateau.at(1e-3, 90, 100), 1e-12);
  }

  @Test
  void theCosineDecaysFromTheBaseRateToItsFloorAtTheEndOfTheRun() {
    LearningRate cosine = new LearningRate(LearningRate.Schedule.COSINE, 0);
    assertEquals(1e-3, cosine.at(1e-3, 0, 100), 1e-12);
    assertEquals(1e-3 * (LearningRate.COSINE_FLOOR + (1 - LearningRate.COSINE_FLOOR) / 2),
        cosine.at(1e-3, 50, 100), 1e-12);
    assertEquals(1e-3 * LearningRate.COSINE_FLOOR, cosine.at(1e-3, 100, 100), 1e-12);
    assertTrue(cosine.at(1e-3, 30, 100) > cosine.at(1e-3, 31, 100));
  }
}
