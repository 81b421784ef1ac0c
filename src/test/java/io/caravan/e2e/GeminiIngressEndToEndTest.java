package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Gemini API's side of the gateway, through the booted gateway with a raw HTTP client over loopback and Gemini
 * fakes that validate requests as Google does: paths that name the model, the three ways of sending a key, both
 * stream framings, Google's error shape, the retry delay Gemini's 429 carries in its body, and the model list.
 */
class GeminiIngressEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}],"
            + " \"generationConfig\": {\"temperature\": 0.5}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeUpstream first;
    private FakeUpstream second;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        TestGateway.closeAll(gateway, first, second);
    }

    private static String credential(String name, FakeUpstream upstream, String models) {
        return "  - name: " + name + "\n    kind: gemini\n    base-url: " + upstream.baseUrl() + "\n    api-key: "
                + upstream.apiKey() + "\n    models: " + models + "\n";
    }

    private void start() throws Exception {
        first = FakeUpstream.gemini();
        second = FakeUpstream.gemini();
        gateway = TestGateway.builder()
                .rawCredential(credential("gem-first", first, "[gemini-2.5-flash, {name: flash, upstream: gemini-2.5-flash-001}]"))
                .rawCredential(credential("gem-second", second, "[gemini-2.5-flash]"))
                .start();
    }

    private HttpResponse<String> post(String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postWithGoogleKey(String pathAndQuery, String body) throws Exception {
        return post(pathAndQuery, body, "x-goog-api-key", TestGateway.CLIENT_KEY);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("x-goog-api-key", TestGateway.CLIENT_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String text(JsonNode answer) {
        return answer.at("/candidates/0/content/parts/0/text").asText();
    }

    private static void assertGoogleError(HttpResponse<String> r, int status, String statusName) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = json(r).get("error");
        assertEquals(status, error.get("code").asInt(), r.body());
        assertEquals(statusName, error.get("status").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank(), r.body());
    }

    @Test
    void aGenerateContentGoesUpstreamAsItCameToTheModelInThePathWithTheCredentialsKey() throws Exception {
        start();

        HttpResponse<String> r = postWithGoogleKey("/v1beta/models/flash:generateContent", BODY);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Hello from " + first.name(), text(json(r)));
        RecordedRequest seen = first.lastRequest();
        assertEquals("/v1beta/models/gemini-2.5-flash-001:generateContent", seen.path());
        assertEquals(first.apiKey(), seen.header("x-goog-api-key"));
        assertEquals(BODY, seen.body(), "a Gemini body is passed through byte for byte, the alias only in the path");
        assertNull(seen.header("authorization"));
    }

    @Test
    void theKeyMayComeAsBearerOrInTheQueryAndTheQueryKeyIsNeverLoggedOrForwarded() throws Exception {
        start();
        try (LogCapture logs = LogCapture.capture()) {
            HttpResponse<String> byQuery = post("/v1beta/models/gemini-2.5-flash:generateContent?key="
                    + TestGateway.CLIENT_KEY, BODY);
            HttpResponse<String> byBearer = post("/v1/models/gemini-2.5-flash:generateContent", BODY,
                    "authorization", "Bearer " + TestGateway.CLIENT_KEY);

            assertEquals(200, byQuery.statusCode(), byQuery.body());
            assertEquals(200, byBearer.statusCode(), byBearer.body());
            assertTrue(logs.atLeast(ch.qos.logback.classic.Level.TRACE).stream().noneMatch(line -> line.contains(TestGateway.CLIENT_KEY)),
                    logs.atLeast(ch.qos.logback.classic.Level.TRACE).toString());
            assertFalse(logs.of("caravan.access").isEmpty(), "the access log was captured");
        }
        for (RecordedRequest seen : List.of(first.requests(), second.requests()).stream().flatMap(List::stream).toList()) {
            assertFalse(String.valueOf(seen.query()).contains(TestGateway.CLIENT_KEY), seen.toString());
            assertFalse(seen.headers().toString().contains(TestGateway.CLIENT_KEY), seen.toString());
        }
    }

    @Test
    void aStreamWithAltSseIsServerSentEventsOfCompleteResponses() throws Exception {
        start();

        HttpResponse<String> r = postWithGoogleKey("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", BODY);

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertTrue(data.size() >= 2, r.body());
        StringBuilder answer = new StringBuilder();
        for (String chunk : data) {
            answer.append(text(JSON.readTree(chunk)));
        }
        assertEquals("Hello from " + first.name(), answer.toString());
        assertEquals("STOP", JSON.readTree(data.get(data.size() - 1)).at("/candidates/0/finishReason").asText());
        assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent", first.lastRequest().path());
        assertEquals("alt=sse", first.lastRequest().query());
    }

    @Test
    void aStreamWithoutAltSseIsOneJsonArrayOfTheSameChunks() throws Exception {
        start();

        HttpResponse<String> r = postWithGoogleKey("/v1beta/models/gemini-2.5-flash:streamGenerateContent", BODY);

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode array = json(r);
        assertTrue(array.isArray() && array.size() >= 2, r.body());
        StringBuilder answer = new StringBuilder();
        array.forEach(chunk -> answer.append(text(chunk)));
        assertEquals("Hello from " + first.name(), answer.toString());
        assertEquals("alt=sse", first.lastRequest().query(), "the upstream is always asked for events");
    }

    @Test
    void countTokensIsForwardedToAGeminiCredential() throws Exception {
        start();

        String count = "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}]}";
        HttpResponse<String> r = postWithGoogleKey("/v1beta/models/gemini-2.5-flash:countTokens", count);

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r).get("totalTokens").asInt() > 0, r.body());
        assertEquals("/v1beta/models/gemini-2.5-flash:countTokens", first.lastRequest().path());
        assertEquals(count, first.lastRequest().body());
    }

    @Test
    void refusalsComeInGooglesShapeWithItsStatusNames() throws Exception {
        start();

        assertGoogleError(post("/v1beta/models/gemini-2.5-flash:generateContent", BODY), 401, "UNAUTHENTICATED");
        assertGoogleError(postWithGoogleKey("/v1beta/models/gemini-9:generateContent", BODY), 404, "NOT_FOUND");
        assertGoogleError(postWithGoogleKey("/v1beta/models/gemini-2.5-flash:predict", BODY), 404, "NOT_FOUND");
        assertGoogleError(postWithGoogleKey("/v1beta/models/gemini-2.5-flash:generateContent", "{\"contents\": ["),
                400, "INVALID_ARGUMENT");
        assertGoogleError(postWithGoogleKey("/v1beta/models/gemini-2.5-flash:generateContent", "{}"),
                400, "INVALID_ARGUMENT");
        assertEquals(0, first.requestCount() + second.requestCount(), "no refusal reaches an upstream");
    }

    @Test
    void anUpstreamErrorOfTheCallersOwnDialectIsRelayedAsItCame() throws Exception {
        start();
        first.enqueue(Reply.geminiError(400, "Invalid value at 'generation_config.temperature'"));
        second.enqueue(Reply.geminiError(400, "Invalid value at 'generation_config.temperature'"));

        HttpResponse<String> r = postWithGoogleKey("/v1beta/models/gemini-2.5-flash:generateContent", BODY);

        assertGoogleError(r, 400, "INVALID_ARGUMENT");
        assertEquals("Invalid value at 'generation_config.temperature'", json(r).at("/error/message").asText());
        assertEquals(1, first.requestCount() + second.requestCount(), "a 400 is the caller's: no rotation");
    }

    @Test
    void geminisRetryDelayCoolsTheCredentialThatAskedAndTheNextOneServes() throws Exception {
        start();
        first.enqueue(Reply.rateLimited(40));

        HttpResponse<String> r = postWithGoogleKey("/v1beta/models/gemini-2.5-flash:generateContent", BODY);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Hello from " + second.name(), text(json(r)));
        long coolingSeconds = TimeUnit.NANOSECONDS.toSeconds(
                gateway.pool().credential("gem-first").coolingRemainingNanos(System.nanoTime()));
        assertTrue(coolingSeconds > 30 && coolingSeconds <= 40, "cooling for the 40 s Gemini asked: " + coolingSeconds);
    }

    @Test
    void whenEveryCredentialIsRateLimitedTheCallerGetsResourceExhaustedWithRetryInfo() throws Exception {
        start();
        first.enqueue(Reply.rateLimited(30));
        second.enqueue(Reply.rateLimited(30));

        HttpResponse<String> r = postWithGoogleKey("/v1beta/models/gemini-2.5-flash:generateContent", BODY);

        assertGoogleError(r, 429, "RESOURCE_EXHAUSTED");
        assertTrue(r.headers().firstValue("retry-after").isPresent(), r.headers().toString());
        boolean retryInfo = false;
        for (JsonNode detail : json(r).at("/error/details")) {
            retryInfo |= detail.path("@type").asText().endsWith("google.rpc.RetryInfo")
                    && detail.path("retryDelay").asText().endsWith("s");
        }
        assertTrue(retryInfo, r.body());

        HttpResponse<String> whileCooling = postWithGoogleKey("/v1beta/models/gemini-2.5-flash:generateContent", BODY);
        assertGoogleError(whileCooling, 429, "RESOURCE_EXHAUSTED");
        assertTrue(whileCooling.body().contains("type.googleapis.com/google.rpc.RetryInfo"), whileCooling.body());
    }

    @Test
    void theModelListAndOneModelComeInGeminisShapeForTheCallersKey() throws Exception {
        start();

        JsonNode list = json(get("/v1beta/models"));
        List<String> names = list.get("models").findValuesAsText("name");
        assertTrue(names.contains("models/gemini-2.5-flash") && names.contains("models/flash"), list.toString());

        HttpResponse<String> one = get("/v1beta/models/gemini-2.5-flash");
        assertEquals(200, one.statusCode(), one.body());
        assertEquals("models/gemini-2.5-flash", json(one).get("name").asText());
        assertTrue(json(one).get("supportedGenerationMethods").toString().contains("generateContent"));

        assertGoogleError(get("/v1beta/models/no-such-model"), 404, "NOT_FOUND");
        assertEquals("models/flash", json(get("/v1/models/flash")).get("name").asText(),
                "a Gemini caller of /v1/models/{model} gets Gemini's shape");
    }

    @Test
    void geminisInvalidKeyAnsweredAs400IsTheCredentialsFaultAndRotates() throws Exception {
        start();
        first.enqueue(Reply.error(400, """
                {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                  "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}""", java.util.Map.of()));

        HttpResponse<String> r = postWithGoogleKey("/v1beta/models/gemini-2.5-flash:generateContent", BODY);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Hello from " + second.name(), text(json(r)));
        assertEquals("quarantined", gateway.pool().status("gem-first").state().id());
    }
}
