package io.caravan.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class MeteringComparisonTest {

    @Test
    void onWithinFivePercentOfOffOnEveryJudgedFigureIsWithinTarget() {
        JsonArray rounds = new JsonArray()
                .add(round(1, "off", 10_000, 7_000, 2_500, Boolean.TRUE))
                .add(round(2, "on", 9_700, 6_800, 2_600, true))
                .add(round(3, "off", 10_200, 7_100, 2_450, null))
                .add(round(4, "on", 9_900, 6_900, 2_550, true));

        JsonObject summary = MeteringComparison.summarize(rounds);

        assertEquals(Boolean.TRUE, summary.getBoolean("within_target"));
        JsonObject rps = summary.getJsonObject("figures").getJsonObject("requests_per_second");
        assertEquals(10_100.0, rps.getDouble("off"));
        assertEquals(9_800.0, rps.getDouble("on"));
        assertEquals(-3.0, rps.getDouble("difference_percent"));
        assertEquals(2.0, rps.getDouble("off_spread_percent"));
        assertEquals(Boolean.TRUE, summary.getBoolean("counts_match"));
        assertEquals(2, summary.getInteger("rounds_on"));
        assertEquals(2.0, summary.getDouble("noise_percent")); // on's req/s: 200 ÷ 9,800
    }

    @Test
    void aJudgedFigureMoreThanFivePercentWorseMissesTheTarget() {
        JsonArray rounds = new JsonArray()
                .add(round(1, "off", 10_000, 7_000, 2_500, null))
                .add(round(2, "on", 10_000, 6_500, 2_500, true)); // CPU per request ~7.1 % worse

        JsonObject summary = MeteringComparison.summarize(rounds);

        assertEquals(Boolean.FALSE, summary.getBoolean("within_target"));
        assertTrue(summary.getDouble("noise_percent").isNaN(), "one round each gives no measure of the noise");
        JsonObject cpu = summary.getJsonObject("figures").getJsonObject("requests_per_cpu_second");
        assertEquals(Boolean.FALSE, cpu.getBoolean("within_target"));
        assertEquals(-7.1, cpu.getDouble("difference_percent"));
    }

    @Test
    void higherAddedLatencyCountsAgainstTheTargetButLowerDoesNot() {
        assertFalse(MeteringComparison.withinTarget(5.1, false));
        assertTrue(MeteringComparison.withinTarget(-30, false));
        assertTrue(MeteringComparison.withinTarget(5.0, false));
        assertFalse(MeteringComparison.withinTarget(-5.1, true));
        assertTrue(MeteringComparison.withinTarget(12, true));
    }

    @Test
    void oneMismatchedCountMakesTheCountsNotMatch() {
        JsonArray rounds = new JsonArray()
                .add(round(1, "off", 10_000, 7_000, 2_500, null))
                .add(round(2, "on", 10_000, 7_000, 2_500, true))
                .add(round(3, "off", 10_000, 7_000, 2_500, null))
                .add(round(4, "on", 10_000, 7_000, 2_500, false));

        assertEquals(Boolean.FALSE, MeteringComparison.summarize(rounds).getBoolean("counts_match"));
    }

    @Test
    void dayAggregatesThatDoNotSumTheRowsMakeTheCountsNotMatch() {
        JsonObject on = round(2, "on", 10_000, 7_000, 2_500, true);
        on.getJsonObject("recorded").put("aggregated", 999).put("aggregates_match", false);
        JsonArray rounds = new JsonArray().add(round(1, "off", 10_000, 7_000, 2_500, null)).add(on);

        assertEquals(Boolean.FALSE, MeteringComparison.summarize(rounds).getBoolean("counts_match"));
    }

    @Test
    void withoutAMeteredRoundThereIsNoVerdict() {
        JsonArray rounds = new JsonArray()
                .add(round(1, "off", 10_000, 7_000, 2_500, null))
                .add(new JsonObject().put("round", 2).put("metering", "on").put("available", false)
                        .put("detail", "did not start"));

        JsonObject summary = MeteringComparison.summarize(rounds);

        assertNull(summary.getValue("within_target"));
        assertNull(summary.getValue("counts_match"));
        assertEquals(0, summary.getInteger("rounds_on"));
    }

    static JsonObject round(int index, String metering, double rps, double perCpu, double addedP50,
                            Boolean matches) {
        JsonObject round = new JsonObject()
                .put("round", index)
                .put("metering", metering)
                .put("available", true)
                .put("non_stream", new JsonObject()
                        .put("requests_per_second", rps)
                        .put("requests_per_target_cpu_second", perCpu)
                        .put("latency_us", new JsonObject().put("p50", addedP50 + 400).put("p99", 9_000.0)))
                .put("added_us", new JsonObject().put("p50", addedP50).put("p99", 8_000.0))
                .put("stream", new JsonObject().put("target_cpu_ms_per_stream", 5.0)
                        .put("ttfe_ms", new JsonObject().put("p50", 1.5).put("p99", 4.0)))
                .put("added_ttfe_ms", new JsonObject().put("p50", 1.0).put("p99", 3.0));
        if (matches != null) {
            round.put("sent", new JsonObject().put("total", 1000))
                    .put("recorded", new JsonObject().put("total", matches ? 1000 : 990).put("matches_sent", matches)
                            .put("aggregated", matches ? 1000 : 990).put("aggregates_match", true));
        }
        return round;
    }
}
