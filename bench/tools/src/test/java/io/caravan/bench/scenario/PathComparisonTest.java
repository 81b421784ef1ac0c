package io.caravan.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.caravan.bench.scenario.PathComparison.ComparedPath;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Gateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The path comparison's bookkeeping (ratios, problems) and the two scenarios' lists of paths. */
class PathComparisonTest {

    @Test
    void theGeminiScenarioComparesNativeWithBothTranslationsAndTheChatReference() {
        List<String> shapes = new ArrayList<>();
        for (ComparedPath path : GeminiScenario.PATHS.paths()) {
            shapes.add(path.key() + ": " + path.caller().label() + " " + path.model() + " → "
                    + path.upstream().label());
        }

        assertEquals(List.of("native: gemini bench-gemini → gemini", "gemini_to_chat: gemini bench-model → openai",
                "chat_to_gemini: openai bench-gemini → gemini", "chat_same_dialect: openai bench-model → openai"),
                shapes);
        assertEquals(Gateway.GEMINI_MODEL, GeminiScenario.PATHS.paths().get(0).model());
    }

    @Test
    void theResponsesScenarioKeepsItsFourPaths() {
        assertEquals(List.of("native", "chat", "anthropic", "chat_same_dialect"),
                ResponsesScenario.PATHS.paths().stream().map(ComparedPath::key).toList());
        assertEquals(Dialect.RESPONSES, ResponsesScenario.PATHS.paths().get(0).upstream());
    }

    @Test
    void translatedPathsTheGatewayRefusedAreProblemsButTheNativePathIsMeasuredWithRatios() {
        PathComparison comparison = GeminiScenario.PATHS;
        JsonObject measured = new JsonObject()
                .put("native", answered("gemini → gemini (native)", 200, 150, 1.0))
                .put("gemini_to_chat", PathComparison.notAvailable(comparison.paths().get(1), "HTTP 500: {}"))
                .put("chat_to_gemini", PathComparison.notAvailable(comparison.paths().get(2), "HTTP 500: {}"))
                .put("chat_same_dialect", answered("chat → chat", 220, 180, 1.2));

        JsonObject paths = comparison.inOrderWithRatios(measured);

        assertEquals(List.of("native", "gemini_to_chat", "chat_to_gemini", "chat_same_dialect"),
                new ArrayList<>(paths.fieldNames()));
        assertEquals(1.0, paths.getJsonObject("native").getJsonObject("ratios_to_native")
                .getDouble("cpu_per_request"));
        JsonObject reference = paths.getJsonObject("chat_same_dialect").getJsonObject("ratios_to_native");
        assertEquals(1.2, reference.getDouble("cpu_per_request"));
        assertEquals(1.1, reference.getDouble("added_latency_p50"));
        assertEquals(1.2, reference.getDouble("ttfe_p50"));
        assertNull(paths.getJsonObject("gemini_to_chat").getJsonObject("ratios_to_native"));
        assertEquals(List.of("gemini gemini_to_chat not available: HTTP 500: {}",
                        "gemini chat_to_gemini not available: HTTP 500: {}"),
                comparison.problems(new JsonObject().put("paths", paths)));
    }

    @Test
    void withoutTheNativePathNoRatiosAreComputed() {
        PathComparison comparison = GeminiScenario.PATHS;
        JsonObject measured = new JsonObject()
                .put("native", PathComparison.notAvailable(comparison.paths().get(0), "HTTP 404: {}"))
                .put("gemini_to_chat", answered("gemini → chat", 200, 150, 1.0))
                .put("chat_to_gemini", answered("chat → gemini", 200, 150, 1.0))
                .put("chat_same_dialect", answered("chat → chat", 200, 150, 1.0));

        JsonObject paths = comparison.inOrderWithRatios(measured);

        assertFalse(paths.getJsonObject("gemini_to_chat").containsKey("ratios_to_native"));
        assertEquals(List.of("gemini native not available: HTTP 404: {}"),
                comparison.problems(new JsonObject().put("paths", paths)));
    }

    @Test
    void aPathWhoseStreamsAllFailedIsAProblem() {
        JsonObject failed = answered("gemini → gemini (native)", 200, 150, 1.0);
        failed.getJsonObject("stream").put("completed", 0)
                .put("error_samples", new JsonArray().add("stream ended without an event containing \"finishReason\""));
        JsonObject paths = new JsonObject().put("native", failed)
                .put("gemini_to_chat", answered("a", 1, 1, 1)).put("chat_to_gemini", answered("b", 1, 1, 1))
                .put("chat_same_dialect", answered("c", 1, 1, 1));

        List<String> problems = GeminiScenario.PATHS.problems(new JsonObject().put("paths", paths));

        assertEquals(1, problems.size(), problems.toString());
        assertEquals("gemini native: no stream completed: [\"stream ended without an event containing "
                + "\\\"finishReason\\\"\"]", problems.get(0));
    }

    @Test
    void aComparisonNeedsItsNativePath() {
        assertThrows(IllegalArgumentException.class, () -> new PathComparison("empty", List.of()));
    }

    /** A measured path as {@link PathComparison} writes it: added p50 = addedP50, CPU per request, TTFE p50. */
    private static JsonObject answered(String label, double addedP50, double cpuUsPerRequest, double ttfeP50) {
        return new JsonObject()
                .put("label", label)
                .put("available", true)
                .put("added_us", new JsonObject().put("p50", addedP50).put("p99", 900.0))
                .put("throughput_c32", new JsonObject().put("requests_per_second", 8000.0)
                        .put("target_cpu_us_per_request", cpuUsPerRequest))
                .put("stream", new JsonObject().put("streams", 128).put("completed", 128)
                        .put("ttfe_ms", new JsonObject().put("p50", ttfeP50).put("p99", 3.0)));
    }
}
