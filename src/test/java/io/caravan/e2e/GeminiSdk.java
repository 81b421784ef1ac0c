package io.caravan.e2e;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;

/**
 * The Google GenAI Java SDK ({@code com.google.genai:google-genai}) pointed at a base URL on loopback with an API key,
 * as a user points it at the gateway: {@code HttpOptions.baseUrl}, the Gemini Developer API (not Vertex AI), no
 * retries of its own (a test sees each answer the gateway gives) and a bounded wait.
 */
final class GeminiSdk {

    private static final int TIMEOUT_MS = 20_000;

    private GeminiSdk() {
    }

    /** A client of {@code baseUrl} (e.g. {@code http://127.0.0.1:PORT}) sending {@code apiKey} as x-goog-api-key. */
    static Client client(String baseUrl, String apiKey) {
        return Client.builder()
                .apiKey(apiKey)
                .vertexAI(false)
                .httpOptions(HttpOptions.builder()
                        .baseUrl(baseUrl)
                        .timeout(TIMEOUT_MS)
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                        .build())
                .build();
    }

    /** A client of the gateway with its test client key. */
    static Client client(TestGateway gateway) {
        return client(gateway.baseUrl(), TestGateway.CLIENT_KEY);
    }
}
