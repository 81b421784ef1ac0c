package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.metrics.GatewayMetrics;
import io.caravan.routes.Beans;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} scraped after a known mix of requests through the booted gateway, with fake upstreams on
 * loopback and real HTTP clients, and its Prometheus text parsed: every count is checked exactly.
 */
class MetricsEndToEndTest {

    private static final String ADMIN_KEY = "caravan-test-admin-key-metrics-0123456789";
    private static final String ALPHA_KEY = "key-alpha-metrics-0123456789";
    private static final String BETA_KEY = "key-beta-metrics-0123456789";
    private static final String BAD_KEY = "key-nobody-metrics-0123456789";
    private static final String CLIENTS = """
              - name: alpha
                key: key-alpha-metrics-0123456789
              - name: beta
                key: key-beta-metrics-0123456789
            """;
    private static final String ANSWER = "four words of answer";
    private static final int ANSWER_TOKENS = 4;
    private static final String FAILING_PROMPT = "this one fails upstream";

    private final FakeUpstream openAi = FakeUpstream.openAi();
    private final FakeUpstream anthropic = FakeUpstream.anthropic();
    private final FakeUpstream rateLimitedFirst = FakeUpstream.openAi();
    private final FakeUpstream rateLimitedSecond = FakeUpstream.openAi();
    private final FakeUpstream failingFirst = FakeUpstream.openAi();
    private final FakeUpstream failingSecond = FakeUpstream.openAi();
    private TestGateway gateway;
    private RawClient raw;

    @AfterEach
    void stop() throws Exception {
        TestGateway.closeAll(gateway, openAi, anthropic, rateLimitedFirst, rateLimitedSecond, failingFirst,
                failingSecond);
    }

    private void start(String... settings) throws Exception {
        for (FakeUpstream upstream : List.of(openAi, anthropic, rateLimitedFirst, rateLimitedSecond, failingFirst,
                failingSecond)) {
            upstream.setDefault(Reply.text(ANSWER));
        }
        // Each pair serves a model of its own, so that the first lease of that model is the pair's first credential.
        TestGateway.Builder builder = TestGateway.builder()
                .credential("openai", openAi, "[gpt-4o]")
                .credential("anthropic", anthropic, "[claude-test]")
                .credential("limited-a", rateLimitedFirst, "[limited-model]")
                .credential("limited-b", rateLimitedSecond, "[limited-model]")
                .credential("failing-a", failingFirst, "[failing-model]")
                .credential("failing-b", failingSecond, "[failing-model]")
                .clients(CLIENTS)
                .set("caravan.admin-keys", ADMIN_KEY);
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        gateway = builder.start();
        raw = new RawClient(gateway);
    }

    private HttpResponse<String> post(String key, String path, String body) throws Exception {
        return raw.send(raw.request(path, body).setHeader("authorization", "Bearer " + key));
    }

    private HttpResponse<String> scrapeResponse(String... headers) throws Exception {
        return raw.get("/metrics", headers);
    }

    /** The scrape once every request has ended (a request ends just after its caller has read the answer). */
    private PrometheusText settledScrape() throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            HttpResponse<String> response = scrapeResponse("authorization", "Bearer " + ADMIN_KEY);
            assertEquals(200, response.statusCode(), response.body());
            PrometheusText scrape = PrometheusText.parse(response.body());
            if (scrape.one("caravan_requests_in_flight").value() == 0 || Instant.now().isAfter(deadline)) {
                return scrape;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aKnownMixOfRequestsIsCountedExactly() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "whole " + i, false))
                    .statusCode());
        }
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> stream = post(BETA_KEY, RawClient.OPENAI_CHAT,
                    RawClient.chat("gpt-4o", "streamed " + i, true));
            assertEquals(200, stream.statusCode());
            assertTrue(stream.body().contains("[DONE]"), stream.body());
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(200, post(ALPHA_KEY, RawClient.MESSAGES, RawClient.messages("claude-test", "msg " + i, false))
                    .statusCode());
        }
        rateLimitedFirst.enqueue(Reply.rateLimited(300));
        assertEquals(200, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("limited-model", "429", false))
                .statusCode());
        failingFirst.enqueue(Reply.openAiError(500, "server_error", "upstream trouble"));
        assertEquals(200, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("failing-model", "500", false))
                .statusCode());
        openAi.enqueue(Reply.openAiError(400, "invalid_request_error", "bad request upstream"));
        assertEquals(400, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", FAILING_PROMPT, false))
                .statusCode());
        assertEquals(401, post(BAD_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "who", false)).statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(404, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("no-such-model-" + i, "?", false))
                    .statusCode());
        }

        PrometheusText scrape = settledScrape();
        assertEquals(0, scrape.one("caravan_requests_in_flight").value());

        Map<String, Double> requests = new TreeMap<>();
        for (PrometheusText.Sample s : scrape.find("caravan_requests_total")) {
            requests.put(String.join(",", s.label("dialect"), s.label("endpoint"), s.label("model"),
                    s.label("credential"), s.label("client"), s.label("status_class")), s.value());
        }
        assertEquals(new TreeMap<>(Map.of(
                "openai,chat.completions,gpt-4o,openai,alpha,2xx", 5.0,
                "openai,chat.completions,gpt-4o,openai,beta,2xx", 3.0,
                "anthropic,messages,claude-test,anthropic,alpha,2xx", 2.0,
                "openai,chat.completions,limited-model,limited-b,alpha,2xx", 1.0,
                "openai,chat.completions,failing-model,failing-b,alpha,2xx", 1.0,
                "openai,chat.completions,gpt-4o,openai,alpha,4xx", 1.0,
                "openai,chat.completions,none,none,anonymous,4xx", 1.0,
                "openai,chat.completions,other,none,alpha,4xx", 3.0)), requests);

        assertEquals(1, scrape.one("caravan_rotations_total", "reason", "rate_limited").value());
        assertEquals(1, scrape.one("caravan_rotations_total", "reason", "server_error").value());
        assertEquals(2, scrape.sum("caravan_rotations_total"));
        assertEquals(1, scrape.one("caravan_cooldowns_total", "credential", "limited-a", "cause", "rate_limited")
                .value());
        assertEquals(1, scrape.one("caravan_cooldowns_total", "credential", "failing-a", "cause", "upstream_fault")
                .value());
        assertEquals(2, scrape.sum("caravan_cooldowns_total"));

        // The tokens are what the fakes reported for the answers served: the prompt they estimated, four words out.
        long input = 0;
        int answers = 0;
        for (FakeUpstream upstream : List.of(openAi, anthropic, rateLimitedSecond, failingSecond)) {
            for (RecordedRequest request : upstream.requests()) {
                if (!request.body().contains(FAILING_PROMPT)) {
                    input += FakeUpstream.estimateTokens(request.body());
                    answers++;
                }
            }
        }
        assertEquals(12, answers);
        assertEquals(input, scrape.sum("caravan_tokens_total", "type", "input"));
        assertEquals(answers * ANSWER_TOKENS, scrape.sum("caravan_tokens_total", "type", "output"));
        assertEquals(3 * ANSWER_TOKENS, scrape.sum("caravan_tokens_total", "type", "output", "client", "beta"));
        assertEquals(2 * ANSWER_TOKENS, scrape.sum("caravan_tokens_total", "type", "output", "model", "claude-test"));
        assertEquals(0, scrape.sum("caravan_tokens_total", "type", "cache_read")
                + scrape.sum("caravan_tokens_total", "type", "cache_write")
                + scrape.sum("caravan_tokens_total", "type", "reasoning"));
        assertEquals(answers, scrape.sum("gen_ai_client_token_usage_count", "gen_ai_token_type", "input"));
        assertEquals(input, scrape.sum("gen_ai_client_token_usage_sum", "gen_ai_token_type", "input"));
        assertEquals(answers * ANSWER_TOKENS, scrape.sum("gen_ai_client_token_usage_sum", "gen_ai_token_type", "output"));
        assertEquals(2, scrape.sum("gen_ai_client_token_usage_count", "gen_ai_token_type", "output",
                "gen_ai_provider_name", "anthropic", "gen_ai_operation_name", "chat"));

        // Every request is in the duration and the gateway-time histograms; the answered ones in time to first token.
        assertEquals(17, scrape.sum("gen_ai_server_request_duration_seconds_count"));
        assertEquals(17, scrape.sum("gen_ai_server_request_duration_seconds_bucket", "le", "+Inf"));
        assertEquals(1, scrape.sum("gen_ai_server_request_duration_seconds_count", "error_type", "400"));
        assertEquals(1, scrape.sum("gen_ai_server_request_duration_seconds_count", "error_type", "401"));
        assertEquals(3, scrape.sum("gen_ai_server_request_duration_seconds_count", "error_type", "404"));
        assertEquals(12, scrape.sum("gen_ai_server_time_to_first_token_seconds_count"));
        assertEquals(17, scrape.sum("caravan_gateway_duration_seconds_count"));
        assertEquals(8, scrape.sum("gen_ai_server_time_to_first_token_seconds_count",
                "gen_ai_request_model", "gpt-4o", "gen_ai_response_model", "gpt-4o"));
        assertTrue(scrape.find("gen_ai_server_time_to_first_token_seconds_count", "gen_ai_request_model", "other")
                .isEmpty(), "a request nobody answered has no time to first token");

        Map<String, String> states = new TreeMap<>();
        for (PrometheusText.Sample s : scrape.find("caravan_credential_state")) {
            assertEquals(1, s.value());
            assertNull(states.put(s.label("credential"), s.label("state")), "one row per credential");
        }
        assertEquals(Map.of("openai", "ready", "anthropic", "ready", "limited-a", "cooling", "limited-b", "ready",
                "failing-a", "cooling", "failing-b", "ready"), states);
        assertTrue(scrape.one("caravan_credential_cooling_remaining_seconds", "credential", "limited-a").value() > 200);
        assertEquals(0, scrape.one("caravan_credential_cooling_remaining_seconds", "credential", "openai").value());
        assertEquals(64, scrape.one("caravan_credential_max_concurrent", "credential", "openai").value());
        assertEquals(0, scrape.sum("caravan_credential_in_flight"));
        assertEquals(6, scrape.find("caravan_credential_in_flight").size());
        assertEquals(0, scrape.one("caravan_pool_waiting").value());

        for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "system_cpu_count", "process_uptime_seconds", "process_files_open_files")) {
            assertFalse(scrape.find(jvm).isEmpty(), jvm + " is exported");
        }
        String text = scrapeResponse("authorization", "Bearer " + ADMIN_KEY).body();
        for (String secret : List.of(ADMIN_KEY, ALPHA_KEY, BETA_KEY, BAD_KEY, TestGateway.CLIENT_KEY, openAi.apiKey(),
                anthropic.apiKey(), rateLimitedFirst.apiKey(), failingFirst.apiKey())) {
            assertFalse(text.contains(secret), "no secret in the scrape");
        }
    }

    @Test
    void modelNamesNobodyServesShareOneLabel() throws Exception {
        start();
        List<String> invented = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String model = "invented-" + UUID.randomUUID();
            invented.add(model);
            assertEquals(404, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat(model, "?", false)).statusCode());
        }
        assertEquals(200, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "known", false))
                .statusCode());

        PrometheusText scrape = settledScrape();
        assertEquals(100, scrape.one("caravan_requests_total", "model", "other").value());
        assertEquals(1, scrape.one("caravan_requests_total", "model", "gpt-4o").value());
        assertEquals(101, scrape.sum("caravan_requests_total"));
        assertEquals(100, scrape.sum("gen_ai_server_request_duration_seconds_count", "gen_ai_request_model", "other"));
        String text = scrapeResponse("authorization", "Bearer " + ADMIN_KEY).body();
        for (String model : invented) {
            assertFalse(text.contains(model), "an invented name is no label");
        }
    }

    @Test
    void pastMaxModelsEvenKnownNamesAreOther() throws Exception {
        start("caravan.metrics.max-models", "1");
        assertEquals(200, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "first", false))
                .statusCode());
        assertEquals(200, post(ALPHA_KEY, RawClient.MESSAGES, RawClient.messages("claude-test", "second", false))
                .statusCode());
        assertEquals(200, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "third", false))
                .statusCode());

        PrometheusText scrape = settledScrape();
        assertEquals(2, scrape.one("caravan_requests_total", "model", "gpt-4o").value());
        assertEquals(1, scrape.one("caravan_requests_total", "model", "other", "credential", "anthropic").value());
        assertTrue(scrape.find("caravan_requests_total", "model", "claude-test").isEmpty());
    }

    @Test
    void aNameAWildcardCredentialServedIsItsOwnLabelAndOneItRefusedIsOther() throws Exception {
        openAi.setDefault(Reply.text(ANSWER));
        gateway = TestGateway.builder().credential("wild", openAi, "[\"wild-*\"]").clients(CLIENTS)
                .set("caravan.admin-keys", ADMIN_KEY).start();
        raw = new RawClient(gateway);
        assertEquals(200, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("wild-served", "?", false))
                .statusCode());
        openAi.enqueue(Reply.openAiError(404, "invalid_request_error", "The model does not exist"));
        assertEquals(404, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("wild-refused", "?", false))
                .statusCode());

        PrometheusText scrape = settledScrape();
        assertEquals(1, scrape.one("caravan_requests_total", "model", "wild-served", "status_class", "2xx").value());
        assertEquals(1, scrape.one("caravan_requests_total", "model", "other", "credential", "wild",
                "status_class", "4xx").value());
        assertTrue(scrape.find("caravan_requests_total", "model", "wild-refused").isEmpty());
    }

    @Test
    void theScrapeTakesTheAdminKeyAndIsOffWithoutAny() throws Exception {
        gateway = TestGateway.builder().credential("openai", openAi, "[gpt-4o]").start();
        raw = new RawClient(gateway);
        assertEquals(404, scrapeResponse().statusCode(), "no admin key configured: no /metrics");
        assertEquals(404, scrapeResponse("authorization", "Bearer " + ADMIN_KEY).statusCode());
        gateway.close();

        start();
        HttpResponse<String> anonymous = scrapeResponse();
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body().contains("\"invalid_api_key\""), anonymous.body());
        assertEquals(401, scrapeResponse("authorization", "Bearer wrong-" + ADMIN_KEY).statusCode());
        assertEquals(401, scrapeResponse("authorization", "Bearer " + ALPHA_KEY).statusCode(),
                "a client key is no admin key");
        HttpResponse<String> admin = scrapeResponse("authorization", "Bearer " + ADMIN_KEY);
        assertEquals(200, admin.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", admin.headers().firstValue("content-type").orElseThrow());
        assertFalse(PrometheusText.parse(admin.body()).find("caravan_requests_in_flight").isEmpty());
        assertTrue(admin.headers().firstValue("x-request-id").isPresent());
    }

    @Test
    void aScraperAskingForOpenMetricsGetsIt() throws Exception {
        start();
        HttpResponse<String> scrape = scrapeResponse("authorization", "Bearer " + ADMIN_KEY,
                "accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("content-type").orElseThrow().startsWith("application/openmetrics-text"));
        assertTrue(scrape.body().endsWith("# EOF\n"), "an OpenMetrics exposition ends with # EOF");
        assertTrue(scrape.body().contains("# TYPE caravan_requests_in_flight gauge"));
    }

    @Test
    void publicMetricsNeedNoKey() throws Exception {
        gateway = TestGateway.builder().credential("openai", openAi, "[gpt-4o]")
                .set("caravan.metrics.public", "true").start();
        raw = new RawClient(gateway);
        HttpResponse<String> scrape = scrapeResponse();
        assertEquals(200, scrape.statusCode(), scrape.body());
        assertFalse(PrometheusText.parse(scrape.body()).find("jvm_memory_used_bytes").isEmpty());
    }

    @Test
    void disabledMetricsAreNeitherServedNorMeasured() throws Exception {
        start("caravan.metrics.enabled", "false", "caravan.metrics.public", "true");
        assertEquals(200, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "unmeasured", false))
                .statusCode());
        assertEquals(404, scrapeResponse().statusCode());
        assertEquals(404, scrapeResponse("authorization", "Bearer " + ADMIN_KEY).statusCode());
        assertNull(gateway.bean(Beans.GATEWAY_METRICS, GatewayMetrics.class), "no metrics, so no observer of them");
    }

    @Test
    void reloadsAreCountedByOutcomeAndAModelAReloadAddedIsItsOwnLabel() throws Exception {
        start("caravan.reload.interval-ms", "0");
        AdminApi admin = new AdminApi(gateway, ADMIN_KEY);
        assertEquals(404, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("fresh-model", "?", false))
                .statusCode(), "not served before the reload");
        assertEquals(200, admin.post("/admin/v1/reload").status(), "unchanged");
        Files.writeString(gateway.credentialsFile(), "credentials: [\n");
        assertEquals(422, admin.post("/admin/v1/reload").status(), "refused");
        Files.writeString(gateway.credentialsFile(), "credentials:\n"
                + ConfigReloadEndToEndTest.credential("openai", openAi, "[gpt-4o]", openAi.apiKey())
                + ConfigReloadEndToEndTest.credential("fresh", failingFirst, "[fresh-model]", failingFirst.apiKey()));
        assertEquals(200, admin.post("/admin/v1/reload").status(), "applied");
        // Never served with a 2xx: only the reloaded credential set makes the name known.
        failingFirst.setDefault(Reply.openAiError(400, "invalid_request_error", "refused"));
        assertEquals(400, post(ALPHA_KEY, RawClient.OPENAI_CHAT, RawClient.chat("fresh-model", "?", false))
                .statusCode());

        PrometheusText scrape = settledScrape();
        assertEquals(1, scrape.one("caravan_reloads_total", "outcome", "applied").value());
        assertEquals(1, scrape.one("caravan_reloads_total", "outcome", "unchanged").value());
        assertEquals(1, scrape.one("caravan_reloads_total", "outcome", "refused").value());
        assertEquals(1, scrape.one("caravan_requests_total", "model", "fresh-model", "credential", "fresh",
                "status_class", "4xx").value());
        assertEquals(1, scrape.one("caravan_requests_total", "model", "other", "credential", "none",
                "status_class", "4xx").value(), "before the reload the name was nobody's");
    }
}
