package io.caravan.bench.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each dialect's requests look like on the wire, the Gemini one above all (model and stream in the path). */
class DialectTest {

    @Test
    void geminiNamesTheModelAndTheStreamInThePath() {
        assertEquals("/v1beta/models/bench-gemini:generateContent", Dialect.GEMINI.path("bench-gemini", false));
        assertEquals("/v1beta/models/bench-model:streamGenerateContent?alt=sse",
                Dialect.GEMINI.path("bench-model", true));
        Route route = new Route(new Endpoint("gateway", 9103, "k", List::of), Dialect.GEMINI, "bench-gemini");
        assertEquals("http://127.0.0.1:9103/v1beta/models/bench-gemini:streamGenerateContent?alt=sse",
                route.url(true));
    }

    @Test
    void theOtherDialectsKeepOnePathForBothModes() {
        for (Dialect dialect : List.of(Dialect.OPENAI, Dialect.ANTHROPIC, Dialect.RESPONSES)) {
            assertEquals(dialect.path("m", false), dialect.path("m", true), dialect.label());
        }
        assertEquals("/v1/chat/completions", Dialect.OPENAI.path("m", true));
    }

    @Test
    void aGeminiBodyHasOnlyContentsAndGenerationConfig() {
        for (boolean stream : new boolean[]{false, true}) {
            JsonObject body = new JsonObject(Dialect.GEMINI.requestBody("bench-gemini", stream));
            assertEquals(Set.of("contents", "generationConfig"), body.fieldNames(), body.encode());
            assertEquals("user", body.getJsonArray("contents").getJsonObject(0).getString("role"));
            assertFalse(body.getJsonArray("contents").getJsonObject(0).getJsonArray("parts").getJsonObject(0)
                    .getString("text").isBlank());
        }
        JsonObject chat = new JsonObject(Dialect.OPENAI.requestBody("bench-model", true));
        assertEquals("bench-model", chat.getString("model"));
        assertTrue(chat.getBoolean("stream"));
    }

    @Test
    void eachDialectSendsTheKeyAsItsOwnClientsDo() {
        assertEquals(Map.of("Content-Type", "application/json", "x-goog-api-key", "k"),
                Dialect.GEMINI.headers("k"));
        assertEquals(Map.of("Content-Type", "application/json", "Authorization", "Bearer k"),
                Dialect.OPENAI.headers("k"));
        assertEquals(Map.of("Content-Type", "application/json", "Authorization", "Bearer k",
                "anthropic-version", "2023-06-01"), Dialect.ANTHROPIC.headers("k"));
        assertEquals(Map.of("Content-Type", "application/json"), Dialect.GEMINI.headers(null),
                "the fake upstream called directly gets no key");
    }

    @Test
    void aGeminiAnswerHasCandidates() {
        String answer = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12}}";
        assertTrue(Dialect.GEMINI.looksLikeAnswer(answer));
        assertFalse(Dialect.GEMINI.looksLikeAnswer(
                "{\"error\":{\"code\":500,\"message\":\"Internal gateway error\",\"status\":\"INTERNAL\"}}"));
        assertFalse(Dialect.OPENAI.looksLikeAnswer(answer));
    }

    @Test
    void aGeminiStreamEndsAtTheChunkWithAFinishReason() {
        assertEquals(StreamEnd.eventContaining("\"finishReason\""), Dialect.GEMINI.streamEnd());
        assertEquals(StreamEnd.eventStartingWith("data: [DONE]"), Dialect.OPENAI.streamEnd());
    }
}
