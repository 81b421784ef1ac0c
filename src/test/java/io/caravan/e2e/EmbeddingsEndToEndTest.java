package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.caravan.testing.FakeEmbeddings;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
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
 * {@code POST /v1/embeddings} through the booted gateway with the official OpenAI Java SDK, served by {@code openai}
 * credentials of fake upstreams that answer each input with {@link FakeEmbeddings#vector} of it: the request and
 * its answer pass through untouched (the SDK asks for base64 unless told {@code float}), a batch keeps its order,
 * a 429 cools its credential and moves on to the next, a 5xx moves on, the tokens the upstream reported are metered
 * for the client, and what no credential may serve is refused before any upstream is called: a model outside the
 * client's allow-list, a request without {@code input}, a model only credentials of another kind serve.
 */
class EmbeddingsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "caravan-test-admin-key-0123456789";
    private static final String MODEL = "text-embedding-3-small";
    private static final String EMBEDDER_KEY = "key-embedder-0123456789";
    private static final String CHAT_ONLY_KEY = "key-chat-only-0123456789";
    private static final String CLIENTS = """
              - name: embedder
                key: key-embedder-0123456789
              - name: chat-only
                key: key-chat-only-0123456789
                models: ["gpt-*"]
            """;

    private static FakeUpstream openAi;
    private static FakeUpstream rateLimitedFirst;
    private static FakeUpstream rateLimitedSecond;
    private static FakeUpstream failingFirst;
    private static FakeUpstream failingSecond;
    private static FakeUpstream anthropic;
    private static TestGateway gateway;
    private static OpenAIClient sdk;
    private static RawClient raw;
    private static AdminApi admin;

    private LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        openAi = FakeUpstream.openAi();
        rateLimitedFirst = FakeUpstream.openAi();
        rateLimitedSecond = FakeUpstream.openAi();
        failingFirst = FakeUpstream.openAi();
        failingSecond = FakeUpstream.openAi();
        anthropic = FakeUpstream.anthropic();
        // Round-robin starts with the first credential of the file: each rotation test's model is first asked of
        // the credential that fails.
        gateway = TestGateway.builder()
                .credential("embed", openAi, "[" + MODEL + ", text-embedding-metered, gpt-4o]")
                .credential("limited-a", rateLimitedFirst, "[text-embedding-rotated]")
                .credential("limited-b", rateLimitedSecond, "[text-embedding-rotated]")
                .credential("failing-a", failingFirst, "[text-embedding-failover]")
                .credential("failing-b", failingSecond, "[text-embedding-failover]")
                .credential("claude", anthropic, "[claude-embedder]")
                .clients(CLIENTS)
                .set("caravan.admin-keys", ADMIN_KEY)
                .set("caravan.store.flush-interval-ms", "50")
                .start();
        sdk = gateway.sdkClient(TestGateway.CLIENT_KEY);
        raw = new RawClient(gateway);
        admin = new AdminApi(gateway, ADMIN_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(gateway, openAi, rateLimitedFirst, rateLimitedSecond, failingFirst, failingSecond,
                anthropic);
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.capture();
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
        for (FakeUpstream upstream : List.of(openAi, rateLimitedFirst, rateLimitedSecond, failingFirst, failingSecond,
                anthropic)) {
            upstream.discardPendingReplies();
        }
    }

    private static EmbeddingCreateParams.Builder params(String model, String text) {
        return EmbeddingCreateParams.builder().model(model).input(text);
    }

    private static List<Float> floats(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float component : vector) {
            list.add(component);
        }
        return list;
    }

    /** The last request the fake received, which must have been an embeddings request. */
    private static JsonNode receivedEmbeddingsRequest(FakeUpstream upstream) {
        RecordedRequest received = upstream.lastRequest();
        assertEquals("POST", received.method());
        assertEquals("/v1/embeddings", received.path());
        assertEquals("Bearer " + upstream.apiKey(), received.header("authorization"));
        return received.json();
    }

    @Test
    void theSdksDefaultBase64IsPassedThroughUntouchedAndDecodesToTheUpstreamsVector() {
        String text = "The quick brown fox jumps over the lazy dog";
        CreateEmbeddingResponse response = sdk.embeddings().create(params(MODEL, text).build());

        JsonNode received = receivedEmbeddingsRequest(openAi);
        assertEquals("base64", received.get("encoding_format").asText(), "openai-java asks for base64 by default");
        assertEquals(text, received.get("input").asText());
        assertFalse(received.has("messages"));

        float[] vector = FakeEmbeddings.vector(text, FakeEmbeddings.DEFAULT_DIMENSIONS);
        assertEquals(1, response.data().size());
        Embedding embedding = response.data().get(0);
        assertTrue(embedding.embeddingValue().isBase64(), "the caller got the base64 the upstream wrote");
        assertEquals(FakeEmbeddings.base64(vector), embedding.embeddingValue().base64().orElseThrow());
        assertEquals(floats(vector), embedding.embedding());
        assertEquals(0, embedding.index());
        assertEquals(MODEL, response.model());
        assertEquals(FakeUpstream.estimateTokens(text), response.usage().promptTokens());
        assertEquals(response.usage().promptTokens(), response.usage().totalTokens());
    }

    @Test
    void floatVectorsArePassedThroughUntouched() {
        String text = "floats, please";
        CreateEmbeddingResponse response = sdk.embeddings().create(params(MODEL, text)
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).dimensions(256).build());

        JsonNode received = receivedEmbeddingsRequest(openAi);
        assertEquals("float", received.get("encoding_format").asText());
        assertEquals(256, received.get("dimensions").asInt());
        Embedding embedding = response.data().get(0);
        assertTrue(embedding.embeddingValue().isFloats());
        assertEquals(floats(FakeEmbeddings.vector(text, 256)), embedding.embeddingValue().floats().orElseThrow());
    }

    @Test
    void aBatchIsEmbeddedInOneUpstreamCallInItsOrder() {
        List<String> texts = List.of("first of three", "the second", "and the third, a little longer");
        int before = openAi.requestCount();
        CreateEmbeddingResponse response = sdk.embeddings().create(EmbeddingCreateParams.builder().model(MODEL)
                .inputOfArrayOfStrings(texts).dimensions(64).build());

        assertEquals(before + 1, openAi.requestCount(), "one upstream call for the whole batch");
        assertEquals(3, receivedEmbeddingsRequest(openAi).get("input").size());
        assertEquals(3, response.data().size());
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            Embedding embedding = response.data().get(i);
            assertEquals(i, embedding.index());
            assertEquals(floats(FakeEmbeddings.vector(texts.get(i), 64)), embedding.embedding());
            tokens += FakeUpstream.estimateTokens(texts.get(i));
        }
        assertEquals(tokens, response.usage().promptTokens());
    }

    @Test
    void tokenArraysAreEmbeddedAsGiven() {
        CreateEmbeddingResponse response = sdk.embeddings().create(EmbeddingCreateParams.builder().model(MODEL)
                .inputOfArrayOfTokenArrays(List.of(List.of(9906L, 1917L), List.of(1820L, 374L, 264L)))
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

        assertEquals("[[9906,1917],[1820,374,264]]", receivedEmbeddingsRequest(openAi).get("input").toString());
        assertEquals(2, response.data().size());
        assertEquals(floats(FakeEmbeddings.vector("[1820,374,264]", FakeEmbeddings.DEFAULT_DIMENSIONS)),
                response.data().get(1).embedding());
        assertEquals(5, response.usage().promptTokens());
    }

    @Test
    void aRateLimitedCredentialCoolsForItsRetryAfterAndTheNextOneServes() throws Exception {
        rateLimitedFirst.enqueue(Reply.rateLimited(30));
        String text = "rotate me";
        CreateEmbeddingResponse response = sdk.embeddings().create(params("text-embedding-rotated", text).build());

        assertEquals(FakeEmbeddings.base64(FakeEmbeddings.vector(text, FakeEmbeddings.DEFAULT_DIMENSIONS)),
                response.data().get(0).embeddingValue().base64().orElseThrow());
        assertEquals(1, rateLimitedFirst.requestCount(), "the first credential was asked and answered 429");
        assertEquals(text, receivedEmbeddingsRequest(rateLimitedSecond).get("input").asText());
        assertTrue(logs.awaitLine("caravan.access", " model=" + "text-embedding-rotated" + " ", Duration.ofSeconds(10)).contains(" credential=limited-b attempts=2 status=200 "));

        JsonNode cooling = admin.credential("limited-a");
        assertEquals("cooling", cooling.get("state").asText());
        assertEquals("rate_limited", cooling.at("/cooling_reason/cause").asText());
        assertEquals(429, cooling.at("/cooling_reason/status").asInt());
        assertEquals("Retry-After 30s", cooling.at("/cooling_reason/hint").asText());
        assertTrue(Instant.parse(cooling.get("cooling_until").asText()).isAfter(Instant.now().plusSeconds(20)));
        assertEquals("ready", admin.credential("limited-b").get("state").asText());

        sdk.embeddings().create(params("text-embedding-rotated", "while it cools").build());
        assertEquals(1, rateLimitedFirst.requestCount(), "a cooling credential is not asked");
        assertEquals(2, rateLimitedSecond.requestCount());
    }

    @Test
    void aServerErrorMovesOnToTheNextCredential() throws Exception {
        failingFirst.enqueue(Reply.overloaded());
        String text = "fail over";
        CreateEmbeddingResponse response = sdk.embeddings().create(params("text-embedding-failover", text).build());

        assertEquals(1, response.data().size());
        assertEquals(1, failingFirst.requestCount());
        assertEquals(text, receivedEmbeddingsRequest(failingSecond).get("input").asText());
        JsonNode failed = admin.credential("failing-a");
        assertEquals("cooling", failed.get("state").asText());
        assertEquals(503, failed.at("/last_error/status").asInt());
    }

    @Test
    void theTokensTheUpstreamReportedAreMeteredForTheClientAsInput() throws Exception {
        OpenAIClient embedder = gateway.sdkClient(EMBEDDER_KEY);
        CreateEmbeddingResponse response = embedder.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-metered").inputOfArrayOfStrings(List.of("meter", "these two")).build());
        long promptTokens = response.usage().promptTokens();
        assertTrue(promptTokens > 0);

        JsonNode row = new AdminApi(gateway, ADMIN_KEY).awaitSingleUsageRow("embedder");
        assertEquals(promptTokens, row.get("input_tokens").asLong());
        assertEquals(0, row.get("output_tokens").asLong());
        assertEquals("text-embedding-metered", row.get("model").asText());
        assertEquals("embed", row.get("credential").asText());
        assertEquals(0, row.get("errors").asInt());

        String line = logs.awaitLine("caravan.access", " model=" + "text-embedding-metered" + " ", Duration.ofSeconds(10));
        assertTrue(line.contains(" dialect=openai endpoint=embeddings "), line);
        assertTrue(line.contains(" credential=embed ") && line.contains(" status=200 "), line);

        PrometheusText scrape = PrometheusText.parse(raw.get("/metrics", "authorization", "Bearer " + ADMIN_KEY)
                .body());
        assertEquals(1, scrape.sum("gen_ai_server_request_duration_seconds_count", "gen_ai_operation_name",
                "embeddings", "gen_ai_request_model", "text-embedding-metered"));
        assertEquals(promptTokens, scrape.sum("caravan_tokens_total", "type", "input", "client", "embedder"));
        assertEquals(1, scrape.sum("caravan_requests_total", "endpoint", "embeddings", "client", "embedder"));
    }

    @Test
    void aModelOutsideTheClientsAllowListIsRefusedBeforeAnyUpstreamCall() {
        int before = openAi.requestCount();
        OpenAIClient chatOnly = gateway.sdkClient(CHAT_ONLY_KEY);
        PermissionDeniedException refused = assertThrows(PermissionDeniedException.class,
                () -> chatOnly.embeddings().create(params(MODEL, "not for this key").build()));

        assertEquals(403, refused.statusCode());
        assertEquals("model_not_allowed", refused.code().orElseThrow());
        assertTrue(refused.getMessage().contains(MODEL), refused.getMessage());
        assertEquals(before, openAi.requestCount());
    }

    @Test
    void aRequestWithoutInputIsA400InOpenAisShapeWithoutAnUpstreamCall() throws Exception {
        int before = openAi.requestCount();
        HttpResponse<String> answer = raw.post("/v1/embeddings", "{\"model\": \"" + MODEL + "\"}");

        assertEquals(400, answer.statusCode(), answer.body());
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertEquals("missing_required_parameter", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("'input'"), answer.body());

        HttpResponse<String> emptyBatch = raw.post("/v1/embeddings", "{\"model\": \"" + MODEL + "\", \"input\": []}");
        assertEquals(400, emptyBatch.statusCode(), emptyBatch.body());
        HttpResponse<String> noModel = raw.post("/v1/embeddings", "{\"input\": \"hi\"}");
        assertEquals(400, noModel.statusCode(), noModel.body());
        assertTrue(noModel.body().contains("'model'"), noModel.body());
        assertEquals(before, openAi.requestCount());
    }

    @Test
    void aModelOnlyAnotherKindServesIsRefusedAsNotEmbeddableNotAsUnknown() throws Exception {
        HttpResponse<String> answer = raw.post("/v1/embeddings",
                "{\"model\": \"claude-embedder\", \"input\": \"never translated\"}");

        assertEquals(400, answer.statusCode(), answer.body());
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertTrue(error.get("message").asText().startsWith(
                "No credential serves embeddings for the model 'claude-embedder'"), answer.body());
        assertEquals(0, anthropic.requestCount());

        HttpResponse<String> unknown = raw.post("/v1/embeddings", "{\"model\": \"nobody-embeds\", \"input\": \"x\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("model_not_found", JSON.readTree(unknown.body()).at("/error/code").asText());
    }

    @Test
    void anUpstreamsOwn400IsRelayedAsItIs() throws Exception {
        HttpResponse<String> answer = raw.post("/v1/embeddings",
                "{\"model\": \"" + MODEL + "\", \"input\": \"x\", \"encoding_format\": \"int8\"}");

        assertEquals(400, answer.statusCode(), answer.body());
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertEquals("encoding_format", error.get("param").asText(), "the upstream's own error: " + answer.body());
        assertEquals("invalid_value", error.get("code").asText());
    }
}
