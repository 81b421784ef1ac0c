package io.caravan.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.bench.scenario.MeteringComparison;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The metering section and its two targets rows, from a results tree shaped as the scenario writes it. */
class MeteringReportTest {

    @Test
    void withinTargetAndMatchingCountsAreMet() {
        JsonObject results = results(new JsonArray()
                .add(round(1, "off", 10_000, 7_000, null))
                .add(round(2, "on", 9_800, 6_900, 4_321L)));

        JsonObject cost = target(results, "Metering and limits on vs off (issue 12)");
        JsonObject counts = target(results, "Requests recorded = requests sent, metered rounds (issue 12)");

        assertEquals("met", cost.getString("status"), cost.encode());
        assertTrue(cost.getString("measured").contains("req/s (c=32) -2.0%"), cost.encode());
        assertEquals("met", counts.getString("status"), counts.encode());
        assertEquals("round 2: 4,321 sent, 4,321 recorded, 4,321 in the day aggregates", counts.getString("measured"));
        String md = MarkdownReport.body(results);
        assertTrue(md.contains("## 9. Metering and client limits, on beside off (issue 12)"), md);
        assertTrue(md.contains("| 2 | on | 90 | 1 | 25 | 12 | 8 | 5 | 145 |"), md);
        assertTrue(md.contains("| 1.80 s | 12 s (7%) | 0.80 s, exit 0 |"), md);
        assertTrue(md.contains("| 2 | 4,321 (1 probes, 4,000 non-stream, 320 streams) | 4,300 | 4,321 | "
                + "{\"200\":4321} | 4,321 | 0 | yes |"), md);
    }

    @Test
    void aMismatchIsMissedAndShownAsAFinding() {
        JsonObject results = results(new JsonArray()
                .add(round(1, "off", 10_000, 7_000, null))
                .add(round(2, "on", 9_000, 6_000, 4_300L)));

        assertEquals("missed", target(results, "Metering and limits on vs off (issue 12)").getString("status"));
        assertEquals("missed",
                target(results, "Requests recorded = requests sent, metered rounds (issue 12)").getString("status"));
        String md = MarkdownReport.body(results);
        assertTrue(md.contains("**Finding:** round 2 sent 4,321 requests but its database holds 4,300 rows."), md);
    }

    @Test
    void aQuickRunReportsTheCostWithoutJudgingIt() {
        JsonObject results = results(new JsonArray()
                .add(round(1, "off", 10_000, 7_000, null))
                .add(round(2, "on", 9_000, 6_000, 4_321L)));
        results.getJsonObject("meta").put("mode", "quick");

        JsonObject cost = target(results, "Metering and limits on vs off (issue 12)");

        assertEquals("reported", cost.getString("status"));
        assertTrue(cost.getString("measured").startsWith("quick run, not judged: req/s (c=32) -10.0%"),
                cost.encode());
    }

    @Test
    void aRunWithoutTheScenarioSaysNotRun() {
        JsonObject results = new JsonObject().put("meta", meta()).put("gateway", new JsonObject()
                .put("available", true));

        assertEquals("n/a", target(results, "Metering and limits on vs off (issue 12)").getString("status"));
        assertTrue(MarkdownReport.body(results).contains("issue 12)\n\nn/a (not run in this mode)"));
    }

    private static JsonObject target(JsonObject results, String name) {
        for (Object o : TargetsCheck.evaluate(results)) {
            if (((JsonObject) o).getString("target").equals(name)) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no target " + name);
    }

    private static JsonObject results(JsonArray rounds) {
        return new JsonObject()
                .put("meta", meta())
                .put("gateway", new JsonObject().put("available", true).put("jvm_options", "-Xmx512m"))
                .put("metering", new JsonObject()
                        .put("direct", new JsonObject()
                                .put("non_stream", new JsonObject().put("requests_per_second", 60_000.0)
                                        .put("latency_us", new JsonObject().put("p50", 400.0).put("p99", 3000.0)))
                                .put("stream", wave()))
                        .put("rounds", rounds)
                        .put("summary", MeteringComparison.summarize(rounds)));
    }

    private static JsonObject meta() {
        return new JsonObject().put("timestamp_utc", "20261201-190000").put("mode", "metering")
                .put("machine", new JsonObject()).put("profile", new JsonObject().put("sweep", new JsonArray()));
    }

    private static JsonObject round(int index, String metering, double rps, double perCpu, Long recorded) {
        JsonObject round = new JsonObject()
                .put("round", index)
                .put("metering", metering)
                .put("available", true)
                .put("startup_ms", 1800)
                .put("warm_up", new JsonObject().put("seconds", 12).put("jit_share_last_slice", 0.07)
                        .put("settled", true))
                .put("rate_limit_header", "on".equals(metering) ? "100000000" : null)
                .put("non_stream", new JsonObject()
                        .put("requests_per_second", rps)
                        .put("requests_per_target_cpu_second", perCpu)
                        .put("target_cpu_us_per_request", 1e6 / perCpu)
                        .put("latency_us", new JsonObject().put("p50", 3000.0).put("p99", 9000.0))
                        .put("cpu_by_thread", new JsonObject()
                                .put("event_loops", new JsonObject().put("us_per_request", 90.4))
                                .put("workers", new JsonObject().put("us_per_request", 1.0))
                                .put("usage_store", new JsonObject().put("us_per_request", "on".equals(metering)
                                        ? 25.0 : 0.0))
                                .put("jit", new JsonObject().put("us_per_request", 12.0))
                                .put("gc", new JsonObject().put("us_per_request", 8.0))
                                .put("other", new JsonObject().put("us_per_request", 5.0))))
                .put("added_us", new JsonObject().put("p50", 2600.0).put("p99", 6000.0))
                .put("stream", wave())
                .put("added_ttfe_ms", new JsonObject().put("p50", 1.0).put("p99", 3.0))
                .put("stop", new JsonObject().put("graceful", true).put("exit_code", 0).put("seconds", 0.8))
                .put("sent", new JsonObject().put("probes", 1).put("non_stream", 4000).put("streams", 320)
                        .put("total", 4321).put("answered", 4300));
        if (recorded != null) {
            round.put("recorded", new JsonObject().put("total", recorded)
                    .put("by_status", new JsonObject().put("200", recorded))
                    .put("aggregated", recorded).put("answered_without_tokens", 0)
                    .put("matches_sent", recorded == 4321L).put("aggregates_match", true));
        }
        return round;
    }

    private static JsonObject wave() {
        return new JsonObject().put("streams", 128).put("completed", 128).put("held", true)
                .put("target_cpu_ms_per_stream", 5.2)
                .put("ttfe_ms", new JsonObject().put("p50", 1.5).put("p99", 4.0));
    }
}
