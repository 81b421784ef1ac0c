package io.caravan.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.AnswerShape;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialect.Refusal;
import io.caravan.dialect.TokenCounts;
import io.caravan.testing.ShippedSettings;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's {@code POST /v1/embeddings} as the dialect declares it: where it goes upstream, what its answer must look
 * like and what it cost, what makes a request malformed, and that it never leaves OpenAI-kind credentials.
 */
class OpenAiEmbeddingsTest {

    private static final OpenAiDialect OPENAI = OpenAiDialect.INSTANCE;
    private static final Endpoint EMBEDDINGS = OPENAI.endpoints().stream()
            .filter(e -> e.operation() == Operation.EMBED).findFirst().orElseThrow();
    private static final Endpoint CHAT = OPENAI.endpoints().get(0);

    /** An answer as api.openai.com sends it (vectors cut short). */
    private static final String ANSWER = """
            {"object": "list", "data": [{"object": "embedding", "index": 0,
              "embedding": [-0.006929283495992422, -0.005336422007530928, 0.00047350498218989]},
             {"object": "embedding", "index": 1, "embedding": "AAAAAAAAgD8AAABA"}],
             "model": "text-embedding-3-small", "usage": {"prompt_tokens": 8, "total_tokens": 8}}""";

    private static Map<String, Object> request(Object input) {
        Map<String, Object> request = new HashMap<>();
        request.put("model", "text-embedding-3-small");
        if (input != null) {
            request.put("input", input);
        }
        return request;
    }

    @Test
    void itListensOnV1EmbeddingsAndGoesToEmbeddingsUnderABaseUrlThatHasTheVersion() {
        assertEquals("/v1/embeddings", EMBEDDINGS.path());
        assertEquals("embeddings", EMBEDDINGS.logName());
        assertNull(EMBEDDINGS.requiredArray(), "no 'messages'");
        assertFalse(EMBEDDINGS.operation().translatable());
        assertFalse(EMBEDDINGS.operation().streamable());
        assertEquals("/embeddings", EMBEDDINGS.upstreamPath(OPENAI, "text-embedding-3-small", false));
    }

    @Test
    void anEmbeddingListIsAnAnswerWhoseUsageIsItsPromptTokensAsInput() {
        AnswerShape shape = OPENAI.answerShape(Operation.EMBED);
        JsonNode kept = shape.read(Buffer.buffer(ANSWER));
        assertNotNull(kept);
        assertEquals(List.of("usage"), fieldNames(kept));
        assertEquals(new TokenCounts(8, 0, 0, 0, 0), OPENAI.answerUsage(kept));

        assertFalse(shape.matches(Buffer.buffer("{\"object\": \"list\", \"data\": {}}")));
        assertFalse(shape.matches(Buffer.buffer("{\"choices\": [], \"usage\": {\"prompt_tokens\": 8}}")),
                "a chat completion is no embedding list");
        assertFalse(shape.matches(Buffer.buffer(ANSWER.substring(0, ANSWER.length() - 3))), "truncated");
        assertFalse(OPENAI.answerShape(Operation.CHAT).matches(Buffer.buffer(ANSWER)));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aStringABatchOrTokensAreInputAndAnythingElseIsRefusedWithOpenAisCode() {
        assertNull(OPENAI.invalidRequest(EMBEDDINGS, request("one text")));
        assertNull(OPENAI.invalidRequest(EMBEDDINGS, request(List.of("a", "batch"))));
        assertNull(OPENAI.invalidRequest(EMBEDDINGS, request(List.of(9906, 1917))));
        assertNull(OPENAI.invalidRequest(EMBEDDINGS, request(List.of(List.of(9906), List.of(1917)))));

        Refusal missing = OPENAI.invalidRequest(EMBEDDINGS, request(null));
        assertEquals("missing_required_parameter", missing.code());
        assertTrue(missing.message().contains("'input'"), missing.message());
        assertEquals("empty_array", OPENAI.invalidRequest(EMBEDDINGS, request(List.of())).code());
        assertEquals("invalid_type", OPENAI.invalidRequest(EMBEDDINGS, request(42)).code());
        assertEquals("invalid_type", OPENAI.invalidRequest(EMBEDDINGS, request(Map.of("text", "x"))).code());
    }

    @Test
    void aChatRequestIsNotAskedForInput() {
        assertNull(OPENAI.invalidRequest(CHAT, request(null)));
        assertNull(OPENAI.refusal(CHAT, request(null), ShippedSettings.translation()));
    }

    /** The refusal is shown only for a model no OpenAI-kind credential serves (see LeaseCredential). */
    @Test
    void everyEmbeddingsRequestSaysWhyNoOtherKindMayServeIt() {
        Refusal refusal = OPENAI.refusal(EMBEDDINGS, request("x"), ShippedSettings.translation());
        assertTrue(refusal.message().startsWith("No credential serves embeddings for the model "
                + "'text-embedding-3-small'"), refusal.message());
        assertTrue(refusal.message().contains("never translated"), refusal.message());
    }
}
