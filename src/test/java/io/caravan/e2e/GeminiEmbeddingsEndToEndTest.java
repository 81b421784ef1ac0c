package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gemini's {@code :embedContent} and {@code :batchEmbedContents} through the booted gateway, served by {@code gemini}
 * credentials of fake Gemini upstreams, with the Google GenAI Java SDK ({@code client.models.embedContent}) and raw
 * HTTP. The SDK calls {@code :batchEmbedContents} on the Gemini API for one text as for a list (only on Vertex AI
 * does it call {@code :embedContent}), so the single-request endpoint is driven as other clients call it. What the
 * caller gets is exactly what a Gemini upstream answers (compared with a reference fake called directly); a 429
 * {@code RESOURCE_EXHAUSTED} whose {@code retryDelay} is in the body cools its credential for that long and moves
 * on; a model only another kind serves is refused, never translated.
 */
class GeminiEmbeddingsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "caravan-test-admin-key-0123456789";
    private static final String MODEL = "gemini-embedding-001";
    private static final String EMBEDDER_KEY = "key-gemini-embedder-0123456789";
    private static final String CLIENTS = """
              - name: gemini-embedder
                key: key-gemini-embedder-0123456789
              - name: chat-only
                key: key-gemini-chat-only-0123456789
                models: ["gemini-2.5-*"]
            """;

    private static FakeUpstream gemini;
    private static FakeUpstream limitedFirst;
    private static FakeUpstream limitedSecond;
    private static FakeUpstream exhaustedFirst;
    private static FakeUpstream exhaustedSecond;
    private static FakeUpstream openAi;
    /** Not in the gateway: called directly, it says what a Gemini upstream answers. */
    private static FakeUpstream reference;
    private static TestGateway gateway;
    private static Client sdk;
    private static Client direct;
    private static RawClient raw;
    private static AdminApi admin;

    private LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        gemini = FakeUpstream.gemini();
        limitedFirst = FakeUpstream.gemini();
        limitedSecond = FakeUpstream.gemini();
        exhaustedFirst = FakeUpstream.gemini();
        exhaustedSecond = FakeUpstream.gemini();
        openAi = FakeUpstream.openAi();
        reference = FakeUpstream.gemini();
        // Round-robin starts with the first credential of the file: the rotated model is first asked of limited-a.
        gateway = TestGateway.builder()
                .rawCredential(geminiCredential("gemini", gemini, "[" + MODEL + ", gemini-embedding-metered]"))
                .rawCredential(geminiCredential("limited-a", limitedFirst, "[gemini-embedding-rotated]"))
                .rawCredential(geminiCredential("limited-b", limitedSecond, "[gemini-embedding-rotated]"))
                .rawCredential(geminiCredential("exhausted-a", exhaustedFirst, "[gemini-embedding-exhausted]"))
                .rawCredential(geminiCredential("exhausted-b", exhaustedSecond, "[gemini-embedding-exhausted]"))
                .credential("openai", openAi, "[text-embedding-3-small]")
                .clients(CLIENTS)
                .set("caravan.admin-keys", ADMIN_KEY)
                .set("caravan.store.flush-interval-ms", "50")
                .start();
        sdk = GeminiSdk.client(gateway.baseUrl(), TestGateway.CLIENT_KEY);
        direct = GeminiSdk.client(reference.baseUrl(), reference.apiKey());
        raw = new RawClient(gateway);
        admin = new AdminApi(gateway, ADMIN_KEY);
    }

    private static String geminiCredential(String name, FakeUpstream upstream, String models) {
        return "  - name: " + name + "\n"
                + "    kind: gemini\n"
                + "    base-url: " + upstream.baseUrl() + "\n"
                + "    api-key: " + upstream.apiKey() + "\n"
                + "    models: " + models + "\n";
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(sdk, direct, gateway, gemini, limitedFirst, limitedSecond, exhaustedFirst,
                exhaustedSecond, openAi, reference);
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.capture();
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
        for (FakeUpstream upstream : List.of(gemini, limitedFirst, limitedSecond, exhaustedFirst, exhaustedSecond,
                openAi, reference)) {
            upstream.discardPendingReplies();
        }
    }

    private static List<List<Float>> vectors(EmbedContentResponse response) {
        List<List<Float>> vectors = new ArrayList<>();
        for (ContentEmbedding embedding : response.embeddings().orElseThrow()) {
            vectors.add(embedding.values().orElseThrow());
        }
        return vectors;
    }

    /** The last request the fake received: an embeddings request of {@code action}, with the credential's key. */
    private static JsonNode received(FakeUpstream upstream, String model, String action) {
        RecordedRequest request = upstream.lastRequest();
        assertEquals("POST", request.method());
        assertEquals("/v1beta/models/" + model + ":" + action, request.path());
        assertEquals(upstream.apiKey(), request.header("x-goog-api-key"));
        assertNull(request.header("authorization"));
        return request.json();
    }

    @Test
    void oneTextThroughTheSdkIsABatchOfOneAndComesBackAsTheUpstreamAnsweredIt() {
        String text = "What is the meaning of life?";
        EmbedContentResponse response = sdk.models.embedContent(MODEL, text, null);

        JsonNode body = received(gemini, MODEL, "batchEmbedContents");
        assertEquals(1, body.get("requests").size(), "the SDK asks batchEmbedContents even for one text");
        assertEquals("models/" + MODEL, body.at("/requests/0/model").asText());
        assertEquals(text, body.at("/requests/0/content/parts/0/text").asText());
        assertEquals(vectors(direct.models.embedContent(MODEL, text, null)), vectors(response));
        assertEquals(3072, vectors(response).get(0).size());
    }

    @Test
    void aListOfTextsIsOneBatchInItsOrderWithItsConfigPassedOn() {
        List<String> texts = List.of("a cat", "a dog", "a caravan of camels");
        EmbedContentConfig config = EmbedContentConfig.builder().outputDimensionality(8)
                .taskType("RETRIEVAL_DOCUMENT").build();
        int before = gemini.requestCount();
        EmbedContentResponse response = sdk.models.embedContent(MODEL, texts, config);

        assertEquals(before + 1, gemini.requestCount(), "one upstream call for the whole batch");
        JsonNode body = received(gemini, MODEL, "batchEmbedContents");
        assertEquals(3, body.get("requests").size());
        assertEquals(8, body.at("/requests/2/outputDimensionality").asInt());
        assertEquals("RETRIEVAL_DOCUMENT", body.at("/requests/2/taskType").asText());
        List<List<Float>> vectors = vectors(response);
        assertEquals(vectors(direct.models.embedContent(MODEL, texts, config)), vectors);
        assertEquals(3, vectors.size());
        assertEquals(8, vectors.get(0).size());
        assertFalse(vectors.get(0).equals(vectors.get(1)));
    }

    @Test
    void embedContentIsPassedThroughByteForByteWithAQueryKeyNeverForwarded() throws Exception {
        String body = "{\"content\": {\"parts\": [{\"text\": \"one at a time\"}]}, \"outputDimensionality\": 16}";
        HttpResponse<String> answer = raw.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/v1beta/models/" + MODEL + ":embedContent?key=" + TestGateway.CLIENT_KEY))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertEquals(200, answer.statusCode(), answer.body());
        received(gemini, MODEL, "embedContent");
        RecordedRequest upstream = gemini.lastRequest();
        assertEquals(body, upstream.body(), "the caller's bytes, untouched");
        assertTrue(upstream.query() == null || !upstream.query().contains(TestGateway.CLIENT_KEY), upstream.query());
        JsonNode values = JSON.readTree(answer.body()).at("/embedding/values");
        assertEquals(16, values.size());
        assertEquals(direct.models.embedContent(MODEL, "one at a time",
                        EmbedContentConfig.builder().outputDimensionality(16).build())
                .embeddings().orElseThrow().get(0).values().orElseThrow().get(5), values.get(5).floatValue());
        assertFalse(logs.awaitLine("caravan.access", " model=" + MODEL + " ", Duration.ofSeconds(10)).contains(TestGateway.CLIENT_KEY), "the query key is never logged");
    }

    @Test
    void aResourceExhaustedCredentialCoolsForItsRetryDelayAndTheNextOneServes() throws Exception {
        limitedFirst.enqueue(Reply.rateLimited(30));
        String text = "rotate me";
        EmbedContentResponse response = sdk.models.embedContent("gemini-embedding-rotated", text, null);

        assertEquals(vectors(direct.models.embedContent("gemini-embedding-rotated", text, null)), vectors(response));
        assertEquals(1, limitedFirst.requestCount(), "the first credential was asked and answered 429");
        assertEquals(text, received(limitedSecond, "gemini-embedding-rotated", "batchEmbedContents")
                .at("/requests/0/content/parts/0/text").asText());
        String line = logs.awaitLine("caravan.access", " model=" + "gemini-embedding-rotated" + " ", Duration.ofSeconds(10));
        assertTrue(line.contains(" dialect=gemini endpoint=models.batchEmbedContents "), line);
        assertTrue(line.contains(" credential=limited-b attempts=2 status=200 "), line);

        JsonNode cooling = admin.credential("limited-a");
        assertEquals("cooling", cooling.get("state").asText());
        assertEquals("rate_limited", cooling.at("/cooling_reason/cause").asText());
        assertEquals(429, cooling.at("/cooling_reason/status").asInt());
        Instant until = Instant.parse(cooling.get("cooling_until").asText());
        assertTrue(until.isAfter(Instant.now().plusSeconds(20)), "cools for the retryDelay of 30s: " + cooling);
        assertTrue(until.isBefore(Instant.now().plusSeconds(31)), "not longer than the retryDelay: " + cooling);
        assertEquals("ready", admin.credential("limited-b").get("state").asText());

        sdk.models.embedContent("gemini-embedding-rotated", "while it cools", null);
        assertEquals(1, limitedFirst.requestCount(), "a cooling credential is not asked");
        assertEquals(2, limitedSecond.requestCount());
    }

    @Test
    void whenEveryCredentialIsExhaustedTheSdkSeesGooglesResourceExhausted() {
        exhaustedFirst.enqueue(Reply.rateLimited(20));
        exhaustedSecond.enqueue(Reply.rateLimited(40));
        ApiException exhausted = assertThrows(ApiException.class,
                () -> sdk.models.embedContent("gemini-embedding-exhausted", "no quota left", null));

        assertEquals(429, exhausted.code());
        assertEquals("RESOURCE_EXHAUSTED", exhausted.status());
        assertEquals(1, exhaustedFirst.requestCount());
        assertEquals(1, exhaustedSecond.requestCount());
    }

    @Test
    void aBatchIsMeteredForItsClientAsARequestGeminiReportsNoTokensFor() throws Exception {
        Client embedder = GeminiSdk.client(gateway.baseUrl(), EMBEDDER_KEY);
        try {
            embedder.models.embedContent("gemini-embedding-metered", List.of("meter", "these"), null);
        } finally {
            embedder.close();
        }

        JsonNode row = new AdminApi(gateway, ADMIN_KEY).awaitSingleUsageRow("gemini-embedder");
        assertEquals("gemini-embedding-metered", row.get("model").asText());
        assertEquals("gemini", row.get("credential").asText());
        assertEquals(0, row.get("input_tokens").asLong(), "an embedding answer of the Gemini API has no usage");
        assertEquals(0, row.get("errors").asInt());
    }

    @Test
    void aModelOutsideTheClientsAllowListIsRefusedBeforeAnyUpstreamCall() {
        int before = gemini.requestCount();
        Client chatOnly = GeminiSdk.client(gateway.baseUrl(), "key-gemini-chat-only-0123456789");
        try {
            ApiException refused = assertThrows(ApiException.class,
                    () -> chatOnly.models.embedContent(MODEL, "not for this key", null));
            assertEquals(403, refused.code());
            assertEquals("PERMISSION_DENIED", refused.status());
            assertTrue(refused.message().contains(MODEL), refused.message());
        } finally {
            chatOnly.close();
        }
        assertEquals(before, gemini.requestCount());
    }

    @Test
    void aModelOnlyAnotherKindServesIsRefusedAsNotEmbeddableNotTranslated() {
        ApiException refused = assertThrows(ApiException.class,
                () -> sdk.models.embedContent("text-embedding-3-small", "never translated", null));

        assertEquals(400, refused.code());
        assertEquals("INVALID_ARGUMENT", refused.status());
        assertTrue(refused.message().startsWith("No credential serves embeddings for the model "
                + "'text-embedding-3-small'"), refused.message());
        assertEquals(0, openAi.requestCount());
    }
}
