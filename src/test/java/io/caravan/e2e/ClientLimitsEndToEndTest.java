package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Client keys as tenants, through the booted gateway with the official SDKs: each key's model allow-list, rate
 * limits, concurrency cap, budget, expiry and switch, each refused in the caller's dialect without reaching an
 * upstream, and the rate-limit headers on every answer. Each test has a client of its own, so none sees another's
 * counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientLimitsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENTS = """
              - name: allow-list
                key: key-allow-list-0123456789
                models: ["gpt-*"]
              - name: per-minute
                key: key-per-minute-0123456789
                limits: {requests-per-minute: 3}
              - name: racing
                key: key-racing-0123456789
                limits: {requests-per-minute: 10}
              - name: concurrent
                key: key-concurrent-0123456789
                limits: {max-concurrent: 3}
              - name: one-at-a-time
                key: key-one-at-a-time-0123456789
                limits: {max-concurrent: 1}
              - name: tokens
                key: key-tokens-0123456789
                limits: {tokens-per-minute: 40}
              - name: budget
                key: key-budget-0123456789
                limits: {budget: {tokens: 60, per: day}}
              - name: budget-anthropic
                key: key-budget-anthropic-0123456789
                limits: {budget: {tokens: 1, per: month}}
              - name: expired
                key: key-expired-0123456789
                expires: 2020-01-01T00:00:00Z
              - name: switched-off
                key: key-switched-off-0123456789
                enabled: false
            """;

    private FakeUpstream openAiUpstream;
    private FakeUpstream anthropicUpstream;
    private TestGateway gateway;
    private RawClient raw;
    private MeteringDatabase databases;

    /** The kind of database this suite meters into; {@code ClientLimitsOnPostgresTest} runs it against PostgreSQL. */
    MeteringDatabase databases() {
        return MeteringDatabase.sqlite();
    }

    @BeforeAll
    void start() throws Exception {
        openAiUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        databases = databases();
        gateway = databases.fresh().apply(TestGateway.builder())
                .credential("openai", openAiUpstream, "[gpt-4o, other-model]")
                .credential("anthropic", anthropicUpstream, "[claude-test]")
                .clients(CLIENTS)
                .start();
        raw = new RawClient(gateway);
    }

    @AfterAll
    void stop() throws Exception {
        TestGateway.closeAll(gateway, openAiUpstream, anthropicUpstream, databases);
    }

    @org.junit.jupiter.api.BeforeEach
    void noRepliesLeftOver() {
        openAiUpstream.discardPendingReplies();
        anthropicUpstream.discardPendingReplies();
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
    }

    private HttpResponse<String> post(String key, String path, String body) throws Exception {
        return raw.send(raw.request(path, body).setHeader("authorization", "Bearer " + key));
    }

    @Test
    void aModelOutsideTheAllowListIsRefusedWith403NamingItAndNoUpstreamIsCalled() throws Exception {
        int before = openAiUpstream.requestCount() + anthropicUpstream.requestCount();
        OpenAIClient openAi = gateway.sdkClient("key-allow-list-0123456789");
        com.openai.errors.PermissionDeniedException refused = assertThrows(
                com.openai.errors.PermissionDeniedException.class,
                () -> openAi.chat().completions().create(chat("other-model")));
        assertTrue(refused.getMessage().contains("other-model"), refused.getMessage());
        assertTrue(refused.getMessage().contains("allow-list"), refused.getMessage());


        openAiUpstream.enqueue(Reply.text("allowed"));
        assertEquals("allowed", openAi.chat().completions().create(chat("gpt-4o"))
                .choices().get(0).message().content().orElseThrow());
        AnthropicClient anthropic = gateway.anthropicSdkClient("key-allow-list-0123456789");
        PermissionDeniedException anthropicRefused = assertThrows(PermissionDeniedException.class,
                () -> anthropic.messages().create(MessageCreateParams.builder().model("claude-test")
                        .maxTokens(16).addUserMessage("hi").build()));
        assertTrue(anthropicRefused.getMessage().contains("claude-test"), anthropicRefused.getMessage());
        assertEquals(before + 1, openAiUpstream.requestCount() + anthropicUpstream.requestCount(),
                "only the allowed request reached an upstream");
    }

    @Test
    void theModelListShowsAKeyOnlyTheModelsItMayUse() throws Exception {
        HttpResponse<String> openAiList = raw.get("/v1/models", "authorization", "Bearer key-allow-list-0123456789");
        assertEquals(200, openAiList.statusCode(), openAiList.body());
        JsonNode data = JSON.readTree(openAiList.body()).get("data");
        assertEquals(1, data.size(), openAiList.body());
        assertEquals("gpt-4o", data.get(0).get("id").asText());
        HttpResponse<String> anthropicList = raw.get("/v1/models", "x-api-key", "key-allow-list-0123456789",
                "anthropic-version", "2023-06-01");
        assertEquals("gpt-4o", JSON.readTree(anthropicList.body()).get("last_id").asText(), anthropicList.body());
        HttpResponse<String> everything = raw.get("/v1/models", "authorization", "Bearer key-per-minute-0123456789");
        assertEquals(3, JSON.readTree(everything.body()).get("data").size(), "a key without an allow-list sees all");
        assertEquals(401, raw.get("/v1/models", "authorization", "Bearer key-expired-0123456789").statusCode());
    }

    @Test
    void theRequestsPerMinuteLimitCountsDownInTheHeadersThenRefusesWithRetryAfter() throws Exception {
        OpenAIClient openAi = gateway.sdkClient("key-per-minute-0123456789");
        for (int remaining = 2; remaining >= 0; remaining--) {
            openAiUpstream.enqueue(Reply.text("ok"));
            HttpResponseFor<ChatCompletion> answer = openAi.chat().completions().withRawResponse()
                    .create(chat("gpt-4o"));
            assertEquals(200, answer.statusCode());
            assertEquals(List.of("3"), answer.headers().values("x-ratelimit-limit-requests"));
            assertEquals(List.of(Integer.toString(remaining)), answer.headers().values("x-ratelimit-remaining-requests"));
            assertTrue(answer.headers().values("x-ratelimit-reset-requests").get(0).matches("[0-9.msh]+s|[0-9]+ms"),
                    answer.headers().values("x-ratelimit-reset-requests").toString());
        }
        int before = openAiUpstream.requestCount();
        RateLimitException refused = assertThrows(RateLimitException.class,
                () -> openAi.chat().completions().create(chat("gpt-4o")));
        assertEquals(before, openAiUpstream.requestCount(), "a refused request reaches no upstream");
        long retryAfter = Long.parseLong(refused.headers().values("retry-after").get(0));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After within the minute: " + retryAfter);
        assertEquals(List.of("0"), refused.headers().values("x-ratelimit-remaining-requests"));
        assertEquals("rate_limit_exceeded", refused.code().orElseThrow());
    }

    @Test
    void callersRacingForTheLastRequestsOfAMinuteAreAdmittedExactlyToTheLimit() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            racing.add(raw.http().sendAsync(raw.request(RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "race", false))
                    .setHeader("authorization", "Bearer key-racing-0123456789").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int admitted = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> answer : racing) {
            int status = answer.get(60, TimeUnit.SECONDS).statusCode();
            if (status == 200) {
                admitted++;
            } else if (status == 429) {
                refused++;
            }
        }
        assertEquals(10, admitted, "admitted");
        assertEquals(20, refused, "refused");
    }

    @Test
    void theConcurrencyCapRefusesTheFourthWhileThreeAreInFlight() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            openAiUpstream.enqueue(Reply.text("slow").delayed(Duration.ofSeconds(4)));
        }
        int before = openAiUpstream.requestCount();
        for (int i = 0; i < 3; i++) {
            held.add(raw.http().sendAsync(raw.request(RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "slow", false))
                    .setHeader("authorization", "Bearer key-concurrent-0123456789").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        openAiUpstream.awaitRequests(before + 3, Duration.ofSeconds(10));
        HttpResponse<String> fourth = post("key-concurrent-0123456789", RawClient.OPENAI_CHAT,
                RawClient.chat("gpt-4o", "one more", false));
        assertEquals(429, fourth.statusCode(), fourth.body());
        assertTrue(fourth.body().contains("concurrent"), fourth.body());
        assertEquals("1", fourth.headers().firstValue("retry-after").orElseThrow());
        for (CompletableFuture<HttpResponse<String>> answer : held) {
            assertEquals(200, answer.get(30, TimeUnit.SECONDS).statusCode());
        }
        openAiUpstream.enqueue(Reply.text("room again"));
        assertEquals(200, post("key-concurrent-0123456789", RawClient.OPENAI_CHAT,
                RawClient.chat("gpt-4o", "after", false)).statusCode(), "a slot is free once an answer is done");
    }

    @Test
    void aCallerWithOneSlotGetsItBackByTheTimeItHasEachAnswer() throws Exception {
        // The slot is freed before the answer's end is written: a request sent the moment the last one was answered
        // (as every sequential client does) is never refused for the one before.
        for (int i = 0; i < 20; i++) {
            boolean stream = i % 2 == 1;
            HttpResponse<String> answer = post("key-one-at-a-time-0123456789", RawClient.OPENAI_CHAT,
                    RawClient.chat("gpt-4o", "next " + i, stream));
            assertEquals(200, answer.statusCode(), "request " + i + (stream ? " (stream)" : "") + ": " + answer.body());
        }
    }

    @Test
    void theTokensPerMinuteLimitCountsTheUsageOfStreamsAndRefusesOnceReached() throws Exception {
        int spent = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 10 && (last == null || last.statusCode() == 200); i++) {
            openAiUpstream.enqueue(Reply.text("a few words of answer"));
            last = post("key-tokens-0123456789", RawClient.OPENAI_CHAT,
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}");
            if (last.statusCode() == 200) {
                assertTrue(spent < 40, "admitted only while under the limit, spent " + spent);
                spent += streamedTotalTokens(last.body());
                assertEquals("40", last.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow());
            }
        }
        assertEquals(429, last.statusCode(), last.body());
        assertTrue(spent >= 40, "refused once the minute's tokens reached the limit, spent " + spent);
        assertEquals("0", last.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertTrue(last.headers().firstValue("retry-after").isPresent());
    }

    @Test
    void aSpentBudgetIsRefusedWithInsufficientQuota() throws Exception {
        OpenAIClient openAi = gateway.sdkClient("key-budget-0123456789");
        int spent = 0;
        RateLimitException refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            openAiUpstream.enqueue(Reply.text("spend some tokens"));
            try {
                ChatCompletion completion = openAi.chat().completions().create(chat("gpt-4o"));
                assertTrue(spent < 60, "admitted only while the budget lasts, spent " + spent);
                spent += (int) completion.usage().orElseThrow().totalTokens();
            } catch (RateLimitException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "the budget ran out");
        assertTrue(spent >= 60, "spent " + spent);
        assertEquals("insufficient_quota", refused.code().orElseThrow());
        assertTrue(refused.getMessage().contains("budget"), refused.getMessage());
    }

    @Test
    void anAnthropicCallerWithASpentBudgetGetsARateLimitErrorSayingSo() throws Exception {
        HttpResponse<String> first = post("key-budget-anthropic-0123456789", RawClient.MESSAGES,
                RawClient.messages("claude-test", "spend", false));
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> second = post("key-budget-anthropic-0123456789", RawClient.MESSAGES,
                RawClient.messages("claude-test", "again", false));
        assertEquals(429, second.statusCode());
        JsonNode error = JSON.readTree(second.body());
        assertEquals("error", error.path("type").asText());
        assertEquals("rate_limit_error", error.at("/error/type").asText());
        assertTrue(error.at("/error/message").asText().contains("budget"), second.body());
    }

    @Test
    void aSpentBudgetStaysSpentAfterARestart() throws Exception {
        String carried = "  - name: carried\n    key: key-carried-0123456789\n    limits: {budget: {tokens: 30, per: month}}\n";
        UnaryOperator<TestGateway.Builder> database = databases.fresh();
        int status = 200;
        try (TestGateway first = database.apply(TestGateway.builder()).credential("openai", openAiUpstream, "[gpt-4o]")
                .clients(carried).start()) {
            RawClient client = new RawClient(first);
            for (int i = 0; i < 10 && status == 200; i++) {
                status = client.send(client.request(RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "spend it", false))
                        .setHeader("authorization", "Bearer key-carried-0123456789")).statusCode();
            }
        }
        assertEquals(429, status, "the budget ran out before the restart");
        try (TestGateway second = database.apply(TestGateway.builder()).credential("openai", openAiUpstream, "[gpt-4o]")
                .clients(carried).start()) {
            RawClient client = new RawClient(second);
            int before = openAiUpstream.requestCount();
            HttpResponse<String> refused = client.send(client.request(RawClient.OPENAI_CHAT,
                    RawClient.chat("gpt-4o", "after the restart", false)).setHeader("authorization", "Bearer key-carried-0123456789"));
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("insufficient_quota", JSON.readTree(refused.body()).at("/error/code").asText());
            assertEquals(before, openAiUpstream.requestCount());
        }
    }

    @Test
    void expiredAndDisabledKeysAreUnauthenticated() {
        OpenAIClient expired = gateway.sdkClient("key-expired-0123456789");
        OpenAIClient off = gateway.sdkClient("key-switched-off-0123456789");
        UnauthorizedException expiredRefusal = assertThrows(UnauthorizedException.class,
                () -> expired.chat().completions().create(chat("gpt-4o")));
        assertTrue(expiredRefusal.getMessage().contains("expired"), expiredRefusal.getMessage());
        UnauthorizedException offRefusal = assertThrows(UnauthorizedException.class,
                () -> off.chat().completions().create(chat("gpt-4o")));
        assertTrue(offRefusal.getMessage().contains("disabled"), offRefusal.getMessage());
        assertFalse(offRefusal.getMessage().contains("key-switched-off"), "the key is never echoed");
    }

    /** The total tokens of the usage chunk an OpenAI stream ends with. */
    private static int streamedTotalTokens(String body) throws Exception {
        int total = -1;
        for (String line : body.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode usage = JSON.readTree(line.substring(6)).get("usage");
                if (usage != null && usage.isObject()) {
                    total = usage.get("total_tokens").asInt();
                }
            }
        }
        assertTrue(total > 0, "the stream reported its usage: " + body);
        return total;
    }
}
