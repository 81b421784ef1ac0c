package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.pool.Credential;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The status policy, through the booted gateway with two fake upstreams serving the same model. A fresh gateway per
 * test makes the first lease deterministic: round-robin starts with the first credential of the file.
 */
class RotationPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeUpstream first = FakeUpstream.openAi();
    private final FakeUpstream second = FakeUpstream.openAi();
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        first.close();
        second.close();
    }

    private RawClient start(String... settings) throws Exception {
        TestGateway.Builder b = TestGateway.builder().credential("first", first, "[m]").credential("second", second, "[m]");
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        gateway = b.start();
        return new RawClient(gateway);
    }

    private HttpResponse<String> ask(RawClient client) throws Exception {
        return client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hello", false));
    }

    @Test
    void rateLimitCoolsTheCredentialForTheTimeAskedAndRotatesWithoutSpendingARetry() throws Exception {
        RawClient client = start("caravan.request-retry", "0");
        first.enqueue(Reply.rateLimited(30));
        HttpResponse<String> r = ask(client);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, first.requestCount());
        assertEquals(1, second.requestCount());
        Credential cooled = gateway.pool().credential("first");
        long remainingSeconds = Duration.ofNanos(cooled.coolingRemainingNanos(System.nanoTime())).toSeconds();
        assertTrue(remainingSeconds >= 28 && remainingSeconds <= 30, "cooling for " + remainingSeconds + " s");
        // While it cools, every request goes to the other credential.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, ask(client).statusCode());
        }
        assertEquals(1, first.requestCount());
    }

    @Test
    void cooldownEndsByItself() throws Exception {
        RawClient client = start();
        first.enqueue(Reply.rateLimited(1));
        assertEquals(200, ask(client).statusCode());
        assertTrue(gateway.pool().credential("first").coolingRemainingNanos(System.nanoTime()) > 0);
        Thread.sleep(1200);
        for (int i = 0; i < 4; i++) {
            assertEquals(200, ask(client).statusCode());
        }
        assertTrue(first.requestCount() >= 2, "the credential came back after its cooldown");
    }

    @Test
    void rateLimitWithoutHintBacksOff() throws Exception {
        RawClient client = start("caravan.cooldown.rate-limit-base-ms", "4000");
        first.enqueue(Reply.rateLimitedNoHint());
        assertEquals(200, ask(client).statusCode());
        long remainingMs = Duration.ofNanos(gateway.pool().credential("first").coolingRemainingNanos(System.nanoTime())).toMillis();
        assertTrue(remainingMs > 3000 && remainingMs <= 4000, "backoff " + remainingMs + " ms");
    }

    @Test
    void unauthorizedQuarantinesTheCredential() throws Exception {
        RawClient client = start("caravan.cooldown.quarantine-ms", "600000");
        first.enqueue(Reply.openAiError(401, "invalid_request_error", "Incorrect API key provided"));
        assertEquals(200, ask(client).statusCode());
        Credential quarantined = gateway.pool().credential("first");
        assertTrue(Duration.ofNanos(quarantined.coolingRemainingNanos(System.nanoTime())).toSeconds() > 590);
        assertTrue(quarantined.coolingReason().contains("401"));
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 408, 500, 501, 502, 503, 504, 505, 520, 524, 529})
    void retryableStatusesMoveToTheNextCredential(int status) throws Exception {
        RawClient client = start();
        first.enqueue(Reply.openAiError(status, "server_error", "upstream trouble " + status));
        HttpResponse<String> r = ask(client);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, first.requestCount());
        assertEquals(1, second.requestCount());
        assertTrue(gateway.pool().credential("first").coolingRemainingNanos(System.nanoTime()) > 0, "short cooldown");
    }

    @Test
    void htmlErrorBodiesRotateToo() throws Exception {
        RawClient client = start();
        first.enqueue(Reply.html(502));
        assertEquals(200, ask(client).statusCode());
        assertEquals(1, second.requestCount());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 413, 422})
    void otherStatusesGoBackVerbatimWithoutRotating(int status) throws Exception {
        RawClient client = start();
        first.enqueue(Reply.openAiError(status, "invalid_request_error", "exact upstream message " + status));
        HttpResponse<String> r = ask(client);
        assertEquals(status, r.statusCode());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("exact upstream message " + status, error.path("message").asText());
        assertEquals(0, second.requestCount());
        assertFalse(gateway.pool().credential("first").coolingRemainingNanos(System.nanoTime()) > 0,
                "a caller's mistake does not cool the credential");
    }

    @Test
    void everyCredentialFailingReturnsTheLastStatusAndBody() throws Exception {
        RawClient client = start();
        first.enqueue(Reply.openAiError(500, "server_error", "first broke"));
        second.enqueue(Reply.openAiError(503, "server_error", "second is overloaded"));
        HttpResponse<String> r = ask(client);
        assertEquals(503, r.statusCode());
        assertEquals("second is overloaded", JSON.readTree(r.body()).path("error").path("message").asText());
    }

    @Test
    void lastFailureWithAnHtmlBodyIsReshapedIntoTheCallersDialect() throws Exception {
        RawClient client = start();
        first.enqueue(Reply.html(502));
        second.enqueue(Reply.html(504));
        HttpResponse<String> r = ask(client);
        assertEquals(504, r.statusCode());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertTrue(error.path("message").asText().contains("504"), r.body());
        assertFalse(r.body().contains("<html"), "no HTML reaches a JSON client");
    }

    @Test
    void upstreamAuthErrorsNeverReachTheCallerBecauseTheyQuoteTheGatewaysKeys() throws Exception {
        RawClient client = start();
        String quoted = "Incorrect API key provided: " + first.apiKey().substring(0, 6) + "****";
        first.enqueue(Reply.openAiError(401, "invalid_request_error", quoted));
        second.enqueue(Reply.openAiError(401, "invalid_request_error", quoted));
        HttpResponse<String> r = ask(client);
        assertEquals(401, r.statusCode());
        assertFalse(r.body().contains("Incorrect API key"), r.body());
        assertFalse(r.body().contains(first.apiKey().substring(0, 6)), r.body());
        assertTrue(JSON.readTree(r.body()).path("error").path("message").asText().contains("refused by its provider"));
    }

    @Test
    void retriesAreBoundedByRequestRetry() throws Exception {
        RawClient client = start("caravan.request-retry", "0");
        first.enqueue(Reply.openAiError(500, "server_error", "first broke"));
        HttpResponse<String> r = ask(client);
        assertEquals(500, r.statusCode());
        assertEquals(0, second.requestCount());
    }

    @Test
    void allCredentialsCoolingAnswers429WithRetryAfterOfTheSoonestRecovery() throws Exception {
        RawClient client = start();
        first.enqueue(Reply.rateLimited(20));
        second.enqueue(Reply.rateLimited(7));
        HttpResponse<String> r = ask(client);
        assertEquals(429, r.statusCode());
        HttpResponse<String> next = ask(client);
        assertEquals(429, next.statusCode());
        long retryAfter = Long.parseLong(next.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 6 && retryAfter <= 7, "Retry-After " + retryAfter);
        assertEquals("rate_limit_exceeded", JSON.readTree(next.body()).path("error").path("code").asText());
        assertEquals(2, first.requestCount() + second.requestCount(), "no upstream call while all cool down");
    }

    @Test
    void allCredentialsCoolingAfterUpstreamFaultsAnswers503WithRetryAfterNotARateLimit() throws Exception {
        RawClient client = start();
        first.enqueue(Reply.openAiError(500, "server_error", "first broke"));
        second.enqueue(Reply.openAiError(503, "server_error", "second broke"));
        assertEquals(503, ask(client).statusCode(), "the last upstream failure");

        HttpResponse<String> next = ask(client);
        assertEquals(503, next.statusCode(), next.body());
        long retryAfter = Long.parseLong(next.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        JsonNode error = JSON.readTree(next.body()).path("error");
        assertEquals("server_error", error.path("type").asText(), next.body());
        assertFalse("rate_limit_exceeded".equals(error.path("code").asText()), next.body());

        HttpResponse<String> anthropicCaller = client.post(RawClient.MESSAGES, RawClient.messages("m", "hello", false));
        assertEquals(503, anthropicCaller.statusCode(), anthropicCaller.body());
        assertTrue(anthropicCaller.headers().firstValue("retry-after").isPresent());
        assertEquals("api_error", JSON.readTree(anthropicCaller.body()).path("error").path("type").asText());
        assertEquals(2, first.requestCount() + second.requestCount(), "no upstream call while all cool down");
    }

    @Test
    void unknownModelIs404InTheCallersDialect() throws Exception {
        RawClient client = start();
        HttpResponse<String> r = client.post(RawClient.OPENAI_CHAT, RawClient.chat("no-such-model", "hi", false));
        assertEquals(404, r.statusCode());
        assertEquals("model_not_found", JSON.readTree(r.body()).path("error").path("code").asText());
        HttpResponse<String> anthropic = client.post(RawClient.MESSAGES, RawClient.messages("no-such-model", "hi", false));
        assertEquals(404, anthropic.statusCode());
        assertEquals("not_found_error", JSON.readTree(anthropic.body()).path("error").path("type").asText());
    }

    @Test
    void connectionRefusedMovesOn() throws Exception {
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        gateway = TestGateway.builder()
                .rawCredential("  - {name: dead, kind: openai, base-url: 'http://127.0.0.1:" + deadPort + "/v1', api-key: k, models: [m]}\n")
                .credential("second", second, "[m]").start();
        HttpResponse<String> r = ask(new RawClient(gateway));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, second.requestCount());
    }

    @Test
    void hungUpstreamTimesOutBeforeTheFirstByteAndRotates() throws Exception {
        RawClient client = start("caravan.timeout.first-byte-ms", "500");
        first.enqueue(Reply.hang());
        long t0 = System.nanoTime();
        HttpResponse<String> r = ask(client);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, second.requestCount());
        assertNotNull(first.awaitAbort(Duration.ofSeconds(2)), "the hung upstream call was closed");
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 5000);
    }

    @Test
    void callerCredentialsAndCookiesNeverReachTheUpstream() throws Exception {
        RawClient client = start();
        HttpResponse<String> r = client.send(client.request(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false))
                .header("cookie", "session=secret-cookie").header("x-api-key", TestGateway.CLIENT_KEY));
        assertEquals(200, r.statusCode());
        var seen = first.requestCount() == 1 ? first.lastRequest() : second.lastRequest();
        String all = seen.headers().toString();
        assertFalse(all.contains(TestGateway.CLIENT_KEY), all);
        assertFalse(all.contains("secret-cookie"), all);
        assertEquals("Bearer " + (first.requestCount() == 1 ? first.apiKey() : second.apiKey()), seen.header("authorization"));
        assertTrue(r.headers().firstValue("x-request-id").orElse("").startsWith("req_"));
        // The example hook in routes/hooks.camel.yaml adds a header to every upstream request.
        assertEquals("caravan", seen.header("X-Caravan-Gateway"));
    }
}
