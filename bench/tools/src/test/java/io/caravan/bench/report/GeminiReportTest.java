package io.caravan.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The Gemini section (6) and its targets row, from a results tree shaped as the Gemini scenario writes it. */
class GeminiReportTest {

    @Test
    void translatedPathsWithinOneAndAHalfTimesNativeAreMet() {
        JsonObject results = results("gemini", path("gemini → gemini (native)", 1.0, 1.0),
                path("gemini → chat (translated)", 1.2, 1.3), path("chat → gemini (translated)", 1.4, 1.1));

        JsonObject target = target(results);

        assertEquals("met", target.getString("status"), target.encode());
        assertEquals("gemini->chat latency 1.20×, CPU/req 1.30×; chat->gemini latency 1.40×, CPU/req 1.10×",
                target.getString("measured"));
    }

    @Test
    void aTranslatedPathOverOneAndAHalfTimesIsMissed() {
        JsonObject results = results("gemini", path("gemini → gemini (native)", 1.0, 1.0),
                path("gemini → chat (translated)", 1.2, 1.6), path("chat → gemini (translated)", 1.0, 1.0));

        assertEquals("missed", target(results).getString("status"));
    }

    @Test
    void translatedPathsNotAvailableAreShownSoAndTheNativeOneMeasured() {
        JsonObject results = results("gemini", path("gemini → gemini (native)", 1.0, 1.0),
                notAvailable("gemini → chat (translated)"), notAvailable("chat → gemini (translated)"));

        JsonObject target = target(results);
        String md = MarkdownReport.body(results);

        assertEquals("n/a", target.getString("status"));
        assertEquals("gemini->chat n/a (not available); chat->gemini n/a (not available)",
                target.getString("measured"));
        assertTrue(md.contains("## 6. Gemini API path (POST /v1beta/models/{model}:generateContent)"), md);
        assertTrue(md.contains("| gemini → gemini (native) | 140 µs | 600 µs | 9,000 | 150 | 1.00 ms / 3.00 ms | "
                + "0.40 ms / 1.00 ms | 128/128 | 64.0 | 1.00× | 1.00× | 1.00× |"), md);
        assertTrue(md.contains("| gemini → chat (translated) | n/a (not available) |"), md);
        assertTrue(md.contains("| POST /v1beta/models/{model}:generateContent | 120 µs | 900 µs | 0.60 ms / 2.00 ms "
                + "| 128/128 | 64.0 |"), md);
        assertTrue(md.contains("| POST /v1/chat/completions | 120 µs | 900 µs |"), md);
    }

    @Test
    void aQuickRunReportsTheRatiosWithoutJudgingThem() {
        JsonObject results = results("quick", path("gemini → gemini (native)", 1.0, 1.0),
                path("gemini → chat (translated)", 3.0, 3.0), path("chat → gemini (translated)", 1.0, 1.0));

        JsonObject target = target(results);

        assertEquals("reported", target.getString("status"));
        assertTrue(target.getString("measured").startsWith("quick run, not judged: gemini->chat latency 3.00×"),
                target.encode());
    }

    @Test
    void aRunWithoutTheScenarioSaysNotRun() {
        JsonObject results = new JsonObject().put("meta", meta("responses"))
                .put("gateway", new JsonObject().put("available", true));

        assertEquals("n/a", target(results).getString("status"));
        assertTrue(MarkdownReport.body(results).contains(":generateContent)\n\nn/a (not run in this mode)"));
    }

    private static JsonObject target(JsonObject results) {
        for (Object o : TargetsCheck.evaluate(results)) {
            if (((JsonObject) o).getString("target").equals("Gemini translated paths vs native (issue 14)")) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no Gemini target row");
    }

    private static JsonObject results(String mode, JsonObject nativePath, JsonObject toChat, JsonObject toGemini) {
        JsonObject direct = new JsonObject()
                .put("latency_c1", new JsonObject().put("latency_us", new JsonObject().put("p50", 120.0)
                        .put("p99", 900.0)))
                .put("stream", wave(0.6, 2.0));
        return new JsonObject()
                .put("meta", meta(mode))
                .put("gateway", new JsonObject().put("available", true))
                .put("gemini", new JsonObject()
                        .put("direct", new JsonObject().put("gemini", direct).put("openai", direct.copy()))
                        .put("paths", new JsonObject()
                                .put("native", nativePath)
                                .put("gemini_to_chat", toChat)
                                .put("chat_to_gemini", toGemini)
                                .put("chat_same_dialect", path("chat → chat (same dialect, for reference)", 1.1,
                                        0.9))));
    }

    private static JsonObject meta(String mode) {
        return new JsonObject().put("timestamp_utc", "20261202-000000").put("mode", mode)
                .put("machine", new JsonObject())
                .put("profile", new JsonObject().put("sweep", new JsonArray()).put("translated_streams", 128));
    }

    private static JsonObject path(String label, double latencyRatio, double cpuRatio) {
        return new JsonObject()
                .put("label", label)
                .put("available", true)
                .put("added_us", new JsonObject().put("p50", 140.0 * latencyRatio).put("p99", 600.0))
                .put("throughput_c32", new JsonObject().put("requests_per_second", 9000.0)
                        .put("target_cpu_us_per_request", 150.0 * cpuRatio))
                .put("stream", wave(1.0, 3.0).put("events_per_stream", 64.0))
                .put("added_ttfe_ms", new JsonObject().put("p50", 0.4).put("p99", 1.0))
                .put("ratios_to_native", new JsonObject().put("added_latency_p50", latencyRatio)
                        .put("cpu_per_request", cpuRatio).put("ttfe_p50", 1.0));
    }

    private static JsonObject notAvailable(String label) {
        return new JsonObject().put("label", label).put("available", false)
                .put("detail", "HTTP 500: {\"error\":{\"code\":500,\"status\":\"INTERNAL\"}}");
    }

    private static JsonObject wave(double p50, double p99) {
        return new JsonObject().put("streams", 128).put("completed", 128).put("held", true)
                .put("events_per_stream", 64.0)
                .put("ttfe_ms", new JsonObject().put("p50", p50).put("p99", p99));
    }
}
