package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialect.Refusal;
import io.caravan.testing.ShippedSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Gemini embeddings request never leaves Gemini credentials, and says so when only other kinds serve its model. */
class GeminiEmbeddingsCheckTest {

    private static Map<String, Object> request() {
        Map<String, Object> request = new HashMap<>();
        request.put("model", "text-embedding-3-small");
        request.put("content", Map.of("parts", List.of(Map.of("text", "x"))));
        return request;
    }

    @Test
    void bothEmbeddingsEndpointsOfEveryVersionSayWhyNoOtherKindMayServeThem() {
        List<Endpoint> embeddings = GeminiDialect.INSTANCE.endpoints().stream()
                .filter(e -> e.operation() == Operation.EMBED).toList();
        assertEquals(4, embeddings.size(), "embedContent and batchEmbedContents under /v1beta and /v1");
        for (Endpoint endpoint : embeddings) {
            Refusal refusal = GeminiDialect.INSTANCE.refusal(endpoint, request(), ShippedSettings.translation());
            assertTrue(refusal.message().startsWith(
                    "No credential serves embeddings for the model 'text-embedding-3-small'"), refusal.message());
            assertTrue(refusal.message().contains("kind gemini"), refusal.message());
        }
    }

    @Test
    void aTokenCountIsNotRefused() {
        for (Endpoint endpoint : GeminiDialect.INSTANCE.endpoints()) {
            if (endpoint.operation() == Operation.COUNT_TOKENS) {
                assertNull(GeminiDialect.INSTANCE.refusal(endpoint, request(), ShippedSettings.translation()));
            }
        }
    }
}
