package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialect.StreamFraming;
import io.caravan.dialect.openai.OpenAiDialect;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiDialectTest {

    private static final GeminiDialect GEMINI = GeminiDialect.INSTANCE;

    private static Endpoint endpoint(String path) {
        return GEMINI.endpoints().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void everyActionIsServedUnderV1betaAndV1() {
        for (String version : new String[] {"/v1beta", "/v1"}) {
            for (String action : new String[] {"generateContent", "streamGenerateContent", "countTokens",
                    "embedContent", "batchEmbedContents"}) {
                Endpoint endpoint = endpoint(version + "/models/{model}:" + action);
                assertTrue(endpoint.namesModelInPath());
                assertEquals(version + "/models/", endpoint.pathPrefix());
                assertEquals(action, endpoint.action());
            }
        }
        assertTrue(endpoint("/v1beta/models/{model}:streamGenerateContent").streams());
        assertFalse(endpoint("/v1beta/models/{model}:generateContent").streams());
    }

    @Test
    void upstreamPathsNameTheUpstreamModelAndAlwaysAskForServerSentEvents() {
        Endpoint generate = endpoint("/v1/models/{model}:generateContent");
        assertEquals("/v1beta/models/gemini-2.5-pro:generateContent", GEMINI.upstreamPath(generate, "gemini-2.5-pro", false));
        assertEquals("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
                GEMINI.upstreamPath(generate, "gemini-2.5-pro", true));
        assertEquals("/v1beta/models/m:countTokens",
                GEMINI.upstreamPath(endpoint("/v1beta/models/{model}:countTokens"), "m", false));
        assertEquals("/v1beta/models/e:batchEmbedContents",
                GEMINI.upstreamPath(endpoint("/v1beta/models/{model}:batchEmbedContents"), "e", false));
        // An OpenAI chat served by a Gemini credential.
        Endpoint chat = OpenAiDialect.INSTANCE.endpoints().get(0);
        assertEquals("/v1beta/models/g:streamGenerateContent?alt=sse", GEMINI.upstreamPath(chat, "g", true));
    }

    @Test
    void aStreamIsAJsonArrayUnlessAltSseIsAsked() {
        assertEquals(StreamFraming.SSE, GEMINI.streamFraming(Map.of("alt", "sse")::get));
        assertEquals(StreamFraming.JSON_ARRAY, GEMINI.streamFraming(name -> null));
        assertEquals(StreamFraming.JSON_ARRAY, GEMINI.streamFraming(Map.of("alt", "json")::get));
    }

    @Test
    void aGeminiCallerIsRecognisedByItsPathsOrItsGoogleHeaders() {
        assertTrue(GEMINI.recognises("/v1beta/models", name -> null));
        assertTrue(GEMINI.recognises("/v1/models/gemini-2.5-pro:generateContent", name -> null));
        assertTrue(GEMINI.recognises("/v1/models", Map.of("x-goog-api-key", "k")::get));
        assertTrue(GEMINI.recognises("/anything", Map.of("x-goog-api-client", "google-genai-sdk/1.0")::get));
        assertFalse(GEMINI.recognises("/v1/models", name -> null));
        assertFalse(GEMINI.recognises("/v1/chat/completions", name -> null));
    }

    @Test
    void errorsAreGoogleStatusesAndARateLimitSaysItsDelayAsRetryInfo() {
        ObjectNode error = GEMINI.errorBody(429, "slow down", "rate_limit_exceeded", "req_1", Duration.ofMillis(2500));

        assertEquals(429, error.at("/error/code").asInt());
        assertEquals("RESOURCE_EXHAUSTED", error.at("/error/status").asText());
        assertEquals("slow down", error.at("/error/message").asText());
        assertEquals("type.googleapis.com/google.rpc.RetryInfo", error.at("/error/details/0/@type").asText());
        assertEquals("2.5s", error.at("/error/details/0/retryDelay").asText());
        assertEquals("17s", GEMINI.errorBody(429, "m", null, null, Duration.ofSeconds(17))
                .at("/error/details/0/retryDelay").asText());
        assertTrue(GEMINI.errorBody(404, "no", "model_not_found", null).at("/error/details").isMissingNode());
        assertEquals("NOT_FOUND", GEMINI.errorBody(404, "no", null, null).at("/error/status").asText());
        assertEquals("UNAUTHENTICATED", GEMINI.errorBody(401, "no", null, null).at("/error/status").asText());
        assertEquals("PERMISSION_DENIED", GEMINI.errorBody(403, "no", null, null).at("/error/status").asText());
        assertEquals("UNAVAILABLE", GEMINI.errorBody(503, "no", null, null).at("/error/status").asText());
        assertEquals("INVALID_ARGUMENT", GEMINI.errorBody(400, "no", null, null).at("/error/status").asText());
    }

    @Test
    void aBlockedPromptIsStillAnAnswerButAnEmptyObjectIsNot() {
        assertTrue(GEMINI.answerShape(Operation.CHAT).matches(Buffer.buffer(
                "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":3}}")));
        assertTrue(GEMINI.answerShape(Operation.CHAT).matches(Buffer.buffer("{\"candidates\":[]}")));
        assertFalse(GEMINI.answerShape(Operation.CHAT).matches(Buffer.buffer("{\"usageMetadata\":{}}")));
        assertTrue(GEMINI.answerShape(Operation.EMBED).matches(Buffer.buffer("{\"embedding\":{\"values\":[0.1]}}")));
        assertTrue(GEMINI.answerShape(Operation.EMBED).matches(Buffer.buffer("{\"embeddings\":[]}")));
        assertFalse(GEMINI.answerShape(Operation.EMBED).matches(Buffer.buffer("{}")));
    }

    @Test
    void usageCountsThoughtsAsOutputAndCachedTokensAsPartOfTheInput() {
        var counts = GEMINI.answerUsage(io.caravan.dialect.JsonTrees.parseOrNull("""
                {"usageMetadata": {"promptTokenCount": 100, "candidatesTokenCount": 20, "thoughtsTokenCount": 30,
                 "cachedContentTokenCount": 60, "totalTokenCount": 150}}"""));

        assertEquals(100, counts.input());
        assertEquals(50, counts.output());
        assertEquals(60, counts.cacheRead());
        assertEquals(30, counts.reasoning());
    }
}
