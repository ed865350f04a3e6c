package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import continuo.model.ModelFile;
import continuo.model.RandomModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the bench output's shape and the zero-allocation claim; never asserts times. */
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void jsonHasTheAgreedFieldsAndTheStepAllocatesNothing() throws Exception {
    Path model = dir.resolve("m.cmodel");
    ModelFile.write(RandomModels.create(16, 64, 2, 2), model);
    ScoreCommandTest.Run r = ScoreCommandTest.run(
        "bench", "--model", model.toString(), "--json", "--steps", "2000", "--warmup-ms", "1500");
    assertEquals(0, r.exit(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals(2000, n.get("steps").asInt());
    for (String f : new String[] {"step_us_p50", "step_us_p99", "step_us_max", "sample_us_p50"}) {
      assertTrue(n.get(f).isNumber(), f);
      assertTrue(n.get(f).asDouble() > 0, f);
    }
    assertTrue(n.get("step_us_p50").asDouble() <= n.get("step_us_p99").asDouble());
    assertTrue(n.get("step_us_p99").asDouble() <= n.get("step_us_max").asDouble());
    assertEquals(0.0, n.get("alloc_bytes_per_step").asDouble(), r.out());
    assertEquals("vector", n.get("stepper").asText());
  }

  @Test
  void withNoTimedWarmUpTheStepIsStillMeasuredOnlyOnceCompiled() throws Exception {
    // 2,000 steps of this model are over before the JIT has compiled the step; the warm-up goes
    // on until the step allocates nothing, so what is measured is the compiled step.
    ScoreCommandTest.Run r = ScoreCommandTest.run(
        "bench", "--random", "16,64,2", "--json", "--steps", "500", "--warmup-ms", "0");
    assertEquals(0, r.exit(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals("vector", n.get("stepper").asText());
    assertEquals(0.0, n.get("alloc_bytes_per_step").asDouble(), r.out());
  }

  @Test
  void candidatesAreMeasuredSideBySideWithTheBandwidthFloor() throws Exception {
    ScoreCommandTest.Run r = ScoreCommandTest.run(
        "bench", "--random", "8,32,1", "--candidates", "--json", "--steps", "300", "--warmup-ms", "200");
    assertEquals(0, r.exit(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals(3, n.get("candidates").size());
    assertEquals("plain", n.get("candidates").get(0).get("stepper").asText());
    assertEquals("vector", n.get("candidates").get(1).get("stepper").asText());
    assertEquals("nd4j", n.get("candidates").get(2).get("stepper").asText());
    assertTrue(n.get("floor_dram_us").asDouble() > 0);
    assertTrue(n.get("read_bandwidth_dram_gb_s").asDouble() > 0);
    assertTrue(n.get("weight_bytes_per_step").asLong() > 0);
  }

  @Test
  void theTableNamesTheStepperAndABadShapeIsOneLine() {
    ScoreCommandTest.Run r = ScoreCommandTest.run(
        "bench", "--random", "0,16,1", "--steps", "200", "--warmup-ms", "100");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("p50 us") && r.out().contains("vector"), r.out());
    r = ScoreCommandTest.run("bench", "--random", "16,0,1");
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("bench: --random '16,0,1' is not E,H,L"), r.err());
  }

  @Test
  void theLiveSuitesReportEveryEventAndTheFloodLosesNoNoteOff() throws Exception {
    Path png = dir.resolve("plots");
    ScoreCommandTest.Run r = ScoreCommandTest.run("bench", "--random", "16,32,1", "--suite", "all",
        "--seconds", "1", "--trials", "20", "--rate", "2000", "--json", "--plot", png.toString());
    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(3, lines.length, r.out());
    ObjectMapper json = new ObjectMapper();

    JsonNode schedule = json.readTree(lines[0]);
    assertEquals("schedule", schedule.get("suite").asText());
    assertEquals(100, schedule.get("send_error_count").asInt(), "every scheduled event was sent");
    assertTrue(schedule.get("send_error_us_p50").asDouble()
        <= schedule.get("send_error_us_max").asDouble());

    JsonNode answer = json.readTree(lines[1]);
    assertEquals(20, answer.get("trials").asInt());
    assertEquals(answer.get("answered").asInt(), answer.get("answer_latency_count").asInt());
    assertTrue(answer.get("answered").asInt() > 0, "continuo answered: " + lines[1]);

    JsonNode flood = json.readTree(lines[2]);
    assertEquals(2000, flood.get("messages").asInt());
    assertEquals(0, flood.get("refused_by_full_ring").asInt(), lines[2]);
    assertEquals(flood.get("note_offs_offered").asInt(), flood.get("note_offs_taken_in").asInt());
    assertEquals(0, flood.get("note_offs_lost").asInt());
    assertTrue(flood.get("note_offs_offered").asInt() >= 800, lines[2]);

    assertTrue(java.nio.file.Files.size(png.resolve("schedule-jitter.png")) > 1000);
    assertTrue(java.nio.file.Files.size(png.resolve("answer-latency.png")) > 1000);
  }

  @Test
  void theHiccupSuiteNeedsNoModelAndTheOthersSayTheyNeedOne() throws Exception {
    ScoreCommandTest.Run r =
        ScoreCommandTest.run("bench", "--suite", "hiccup", "--seconds", "1", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals("hiccup", n.get("suite").asText());
    assertTrue(n.get("clock_reads").asLong() > 1_000_000, r.out());
    long[] counts = {n.get("stalls_over_20us").asLong(), n.get("stalls_over_200us").asLong(),
        n.get("stalls_over_1ms").asLong(), n.get("stalls_over_5ms").asLong(),
        n.get("stalls_over_10ms").asLong()};
    for (int i = 1; i < counts.length; i++) {
      assertTrue(counts[i] <= counts[i - 1], r.out());
    }
    assertTrue(n.get("stall_us_max").asDouble() >= 0);

    r = ScoreCommandTest.run("bench", "--suite", "answer");
    assertEquals(2, r.exit());
    assertEquals("bench: --model FILE or --random E,H,L is needed (every suite but hiccup "
        + "measures a model)", r.err().strip());
  }

  @Test
  void theScheduleSuiteSaysWhatPriorityTheOutputThreadGot() throws Exception {
    ScoreCommandTest.Run r = ScoreCommandTest.run("bench", "--random", "16,32,1", "--suite",
        "schedule", "--seconds", "1", "--realtime", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode schedule = new ObjectMapper().readTree(r.out().strip());
    assertEquals(100, schedule.get("send_error_count").asInt(), "every scheduled event was sent");
    String connection = schedule.get("connection").asText();
    assertTrue(connection.matches(
        ".*, output thread (SCHED_FIFO priority 80|normal priority \\(.+\\))"), connection);
  }

  @Test
  void anUnknownSuiteIsOneClearLine() {
    ScoreCommandTest.Run r = ScoreCommandTest.run("bench", "--random", "8,32,1", "--suite", "gc");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--suite") && r.err().contains("flood"), r.err());
  }
}
