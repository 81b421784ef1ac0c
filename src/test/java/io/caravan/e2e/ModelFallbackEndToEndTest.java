package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.exchange.CallerHeaders;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model fallback chains through the booted gateway: {@code gpt-5} falls back to {@code gpt-5-mini} (another OpenAI
 * fake), then to {@code claude-sonnet-4-5} (an Anthropic fake, so the OpenAI caller's request is translated). Each
 * model has one credential, so the first failure of a model's credential ends that model's rotation. A fresh gateway
 * per test: a failed credential cools for the rest of its test.
 */
class ModelFallbackEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "caravan-test-admin-key-fallbacks-0123456789";
    private static final String WIDE_KEY = "key-wide-fallbacks-0123456789";
    private static final String NO_MINI_KEY = "key-no-mini-fallbacks-0123456789";
    private static final String ONLY_GPT5_KEY = "key-only-gpt5-fallbacks-0123456789";
    private static final String CLIENTS = """
              - name: wide
                key: key-wide-fallbacks-0123456789
              - name: no-mini
                key: key-no-mini-fallbacks-0123456789
                models: [gpt-5, claude-sonnet-4-5]
              - name: only-gpt5
                key: key-only-gpt5-fallbacks-0123456789
                models: [gpt-5]
            """;
    private static final String CHAIN = "fallbacks:\n  gpt-5: [gpt-5-mini, claude-sonnet-4-5]\n";

    private final FakeUpstream gpt5 = FakeUpstream.openAi();
    private final FakeUpstream mini = FakeUpstream.openAi();
    private final FakeUpstream claude = FakeUpstream.anthropic();
    private TestGateway gateway;
    private RawClient raw;
    private LogCapture logs;

    @AfterEach
    void stop() throws Exception {
        TestGateway.closeAll(gateway, gpt5, mini, claude, logs);
    }

    private void start(String fallbacks, int gpt5MaxConcurrent, String... settings) throws Exception {
        logs = LogCapture.capture();
        TestGateway.Builder b = TestGateway.builder()
                .credential("gpt5", gpt5, "[gpt-5]", gpt5MaxConcurrent)
                .credential("mini", mini, "[gpt-5-mini]")
                .credential("claude", claude, "[claude-sonnet-4-5]")
                .section(fallbacks)
                .clients(CLIENTS)
                .set("caravan.admin-keys", ADMIN_KEY)
                .set("caravan.store.flush-interval-ms", "50");
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        gateway = b.start();
        raw = new RawClient(gateway);
    }

    private void start(String... settings) throws Exception {
        start(CHAIN, 64, settings);
    }

    private HttpResponse<String> ask(String key, boolean stream) throws Exception {
        return raw.send(raw.request(RawClient.OPENAI_CHAT, RawClient.chat("gpt-5", "hello", stream))
                .setHeader("authorization", "Bearer " + key));
    }

    private static String servedHeader(HttpResponse<?> response) {
        return response.headers().firstValue(CallerHeaders.SERVED_MODEL).orElse(null);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void aFailingModelIsAnsweredByItsFirstFallbackWhichTheAnswerTheUsageAndTheMetricsName() throws Exception {
        start();
        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded"));

        HttpResponse<String> r = ask(WIDE_KEY, false);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("gpt-5-mini", json(r).get("model").asText());
        assertEquals("gpt-5-mini", servedHeader(r));
        assertEquals(1, gpt5.requestCount());
        assertEquals("gpt-5-mini", mini.lastRequest().json().get("model").asText(), "the fallback's name goes upstream");
        assertEquals(0, claude.requestCount(), "the chain stops at the first model that serves");

        JsonNode row = new AdminApi(gateway, ADMIN_KEY).awaitSingleUsageRow("wide");
        assertEquals("gpt-5-mini", row.get("model").asText());
        assertEquals("mini", row.get("credential").asText());
        assertTrue(row.get("input_tokens").asLong() > 0, row.toString());

        String line = logs.awaitLine("caravan.access", " served_model=gpt-5-mini", Duration.ofSeconds(10));
        assertTrue(line.contains(" model=gpt-5 ") && line.contains(" credential=mini ") && line.contains(" attempts=2 "),
                line);
        PrometheusText scrape = PrometheusText.parse(raw.get("/metrics", "authorization", "Bearer " + ADMIN_KEY).body());
        assertEquals(1, scrape.sum("gen_ai_server_request_duration_seconds_count", "gen_ai_request_model", "gpt-5-mini",
                "gen_ai_response_model", "gpt-5-mini"));
        assertEquals(0, scrape.sum("gen_ai_server_request_duration_seconds_count", "gen_ai_request_model", "gpt-5"));
    }

    @Test
    void aModelWhoseCredentialsAllCoolFallsBackWithoutAskingThem() throws Exception {
        start();
        gpt5.enqueue(Reply.rateLimited(60));
        assertEquals("gpt-5-mini", json(ask(WIDE_KEY, false)).get("model").asText());

        // gpt-5's only credential cools now: the next request leases the fallback's at once.
        HttpResponse<String> next = ask(WIDE_KEY, false);
        assertEquals(200, next.statusCode(), next.body());
        assertEquals("gpt-5-mini", servedHeader(next));
        assertEquals(1, gpt5.requestCount());
        assertEquals(2, mini.requestCount());
    }

    @Test
    void aModelWithEveryCredentialDisabledFallsBack() throws Exception {
        start();
        assertEquals(200, new AdminApi(gateway, ADMIN_KEY).post("/admin/v1/credentials/gpt5/disable").status());

        HttpResponse<String> r = ask(WIDE_KEY, false);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("gpt-5-mini", json(r).get("model").asText());
        assertEquals(0, gpt5.requestCount());
    }

    @Test
    void theChainGoesOnToTheSecondFallbackTranslatedForTheCaller() throws Exception {
        start();
        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded"));
        mini.enqueue(Reply.openAiError(500, "server_error", "gpt-5-mini broke"));

        HttpResponse<String> r = ask(WIDE_KEY, false);

        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = json(r);
        assertEquals("chat.completion", answer.get("object").asText(), "an OpenAI answer, translated");
        assertEquals("claude-sonnet-4-5", answer.get("model").asText());
        assertFalse(answer.at("/choices/0/message/content").asText().isEmpty(), r.body());
        assertEquals("claude-sonnet-4-5", servedHeader(r));
        assertEquals("claude-sonnet-4-5", claude.lastRequest().json().get("model").asText());
        assertEquals("/v1/messages", claude.lastRequest().path());
        assertEquals("claude-sonnet-4-5", new AdminApi(gateway, ADMIN_KEY).awaitSingleUsageRow("wide")
                .get("model").asText());
    }

    @Test
    void whenTheWholeChainFailsTheCallerGetsTheLastUpstreamFailureAndThenTheRequestedModels() throws Exception {
        start();
        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded"));
        mini.enqueue(Reply.openAiError(503, "server_error", "gpt-5-mini is overloaded"));
        claude.enqueue(Reply.anthropicError(529, "overloaded_error", "claude is overloaded"));

        HttpResponse<String> r = ask(WIDE_KEY, false);
        assertEquals(529, r.statusCode(), r.body());
        assertEquals("claude-sonnet-4-5", servedHeader(r), "the model whose upstream answered");

        // Every credential of the chain cools now: no upstream is asked, and the caller hears of the model it named.
        HttpResponse<String> next = ask(WIDE_KEY, false);
        assertEquals(503, next.statusCode(), next.body());
        assertTrue(json(next).at("/error/message").asText().contains("'gpt-5'"), next.body());
        assertEquals(Optional.empty(), next.headers().firstValue(CallerHeaders.SERVED_MODEL), "no model served it");
        assertEquals(3, gpt5.requestCount() + mini.requestCount() + claude.requestCount());
    }

    @Test
    void aStreamFallsBackAndItsHeadAndChunksNameTheServedModel() throws Exception {
        start();
        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded"));

        RawClient.Capture stream = raw.stream(RawClient.OPENAI_CHAT, RawClient.chat("gpt-5", "hello there", true));

        assertEquals(200, stream.status());
        assertEquals("gpt-5-mini", servedHeader(stream.response()));
        List<String> data = stream.dataLines();
        assertEquals("[DONE]", data.get(data.size() - 1));
        for (String chunk : data.subList(0, data.size() - 1)) {
            assertEquals("gpt-5-mini", JSON.readTree(chunk).get("model").asText(), chunk);
        }
        assertTrue(mini.lastRequest().json().get("stream").asBoolean());
    }

    @Test
    void aStreamWhoseKeepAlivesAlreadyWentOutStillFallsBackAlongTheChainTranslated() throws Exception {
        start("caravan.keep-alive-ms", "50");
        // gpt-5's error comes late: the caller has had keep-alive comments, but no event yet.
        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded").delayed(Duration.ofMillis(500)));
        mini.enqueue(Reply.openAiError(502, "server_error", "gpt-5-mini broke"));

        RawClient.Capture stream = raw.stream(RawClient.OPENAI_CHAT, RawClient.chat("gpt-5", "hello there", true));

        assertEquals(200, stream.status());
        List<String> lines = stream.lines().stream().map(RawClient.Line::text).toList();
        int firstKeepAlive = lines.indexOf(": keep-alive");
        int firstData = lines.stream().filter(l -> l.startsWith("data: ")).findFirst().map(lines::indexOf).orElse(-1);
        assertTrue(firstKeepAlive >= 0 && firstKeepAlive < firstData, lines.toString());
        List<String> data = stream.dataLines();
        assertEquals("[DONE]", data.get(data.size() - 1), stream.text());
        for (String chunk : data.subList(0, data.size() - 1)) {
            JsonNode event = JSON.readTree(chunk);
            assertEquals("chat.completion.chunk", event.get("object").asText(), chunk);
            assertEquals("claude-sonnet-4-5", event.get("model").asText(), chunk);
        }
        assertTrue(claude.lastRequest().json().get("stream").asBoolean());
        assertEquals(1, mini.requestCount());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 413, 422})
    void theCallersMistakeIsRelayedVerbatimAndNeverFallsBack(int status) throws Exception {
        start();
        gpt5.enqueue(Reply.openAiError(status, "invalid_request_error", "exact upstream message " + status));

        HttpResponse<String> r = ask(WIDE_KEY, false);

        assertEquals(status, r.statusCode());
        assertEquals("exact upstream message " + status, json(r).at("/error/message").asText());
        assertEquals("gpt-5", servedHeader(r));
        assertEquals(0, mini.requestCount());
        assertEquals(0, claude.requestCount());
    }

    @Test
    void aFallbackOutsideTheClientsAllowListIsSkipped() throws Exception {
        start();
        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded"));

        HttpResponse<String> r = ask(NO_MINI_KEY, false);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("claude-sonnet-4-5", json(r).get("model").asText());
        assertEquals(0, mini.requestCount(), "gpt-5-mini is not on the client's allow-list");
    }

    @Test
    void aClientAllowedOnlyTheRequestedModelGetsItsFailure() throws Exception {
        start();
        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded"));

        HttpResponse<String> r = ask(ONLY_GPT5_KEY, false);

        assertEquals(503, r.statusCode(), r.body());
        assertEquals("gpt-5 is overloaded", json(r).at("/error/message").asText());
        assertEquals(0, mini.requestCount());
        assertEquals(0, claude.requestCount());
    }

    @Test
    void theRequestRetryBudgetCoversFallbacksToo() throws Exception {
        start("caravan.request-retry", "0");
        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded"));

        HttpResponse<String> r = ask(WIDE_KEY, false);

        assertEquals(503, r.statusCode(), r.body());
        assertEquals(0, mini.requestCount());
    }

    @Test
    void aModelAtItsCapPastTheQueueWaitFallsBack() throws Exception {
        start(CHAIN, 1, "caravan.queue.max-wait-ms", "300");
        gpt5.enqueue(Reply.text("slow answer").delayed(Duration.ofSeconds(2)));
        CompletableFuture<HttpResponse<String>> holding = raw.postAsync(RawClient.OPENAI_CHAT,
                RawClient.chat("gpt-5", "hold the only slot", false));
        gpt5.awaitRequests(1, Duration.ofSeconds(10));

        HttpResponse<String> r = ask(WIDE_KEY, false);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("gpt-5-mini", json(r).get("model").asText());
        assertEquals(1, gpt5.requestCount(), "gpt-5's only credential was still busy");
        HttpResponse<String> held = holding.get(20, TimeUnit.SECONDS);
        assertEquals(200, held.statusCode(), held.body());
        assertEquals("gpt-5", servedHeader(held));
    }

    @Test
    void aReloadChangesTheChainsAndARefusedOneChangesNothing() throws Exception {
        start("fallbacks:\n  gpt-5: [gpt-5-mini]\n", 64);
        AdminApi admin = new AdminApi(gateway, ADMIN_KEY);
        gpt5.enqueue(Reply.rateLimited(60));
        assertEquals("gpt-5-mini", servedHeader(ask(WIDE_KEY, false)));

        Path file = gateway.credentialsFile();
        String before = Files.readString(file);
        Files.writeString(file, before.replace("gpt-5: [gpt-5-mini]", "gpt-5: [claude-sonnet-4-5]"));
        AdminApi.Answer reload = admin.post("/admin/v1/reload");
        assertEquals(200, reload.status(), reload.text());
        assertEquals("applied", reload.json().get("outcome").asText());
        assertEquals("claude-sonnet-4-5", servedHeader(ask(WIDE_KEY, false)));

        Files.writeString(file, before.replace("gpt-5: [gpt-5-mini]",
                "gpt-5: [claude-sonnet-4-5]\n  claude-sonnet-4-5: [gpt-5]"));
        AdminApi.Answer refused = admin.post("/admin/v1/reload");
        assertEquals(422, refused.status(), refused.text());
        assertTrue(refused.text().contains("cycle"), refused.text());
        assertEquals("claude-sonnet-4-5", servedHeader(ask(WIDE_KEY, false)));
        assertEquals(1, gpt5.requestCount());
        assertEquals(1, mini.requestCount());
        assertEquals(2, claude.requestCount());
    }

    @Test
    void aModelWithoutFallbacksAnswersAsBeforeAndNamesItself() throws Exception {
        start("", 64);
        HttpResponse<String> ok = ask(WIDE_KEY, false);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("gpt-5", servedHeader(ok));

        gpt5.enqueue(Reply.openAiError(503, "server_error", "gpt-5 is overloaded"));
        HttpResponse<String> failed = ask(WIDE_KEY, false);
        assertEquals(503, failed.statusCode());
        assertEquals(0, mini.requestCount());
    }
}
