package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every answered request is metered with the tokens its upstream reported, whatever the caller's dialect, streamed
 * or not, passed through or translated; refused and failed requests are metered with none. Read back the way an
 * operator reads them: the admin usage API, and the caller's own {@code /caravan/v1/me}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageMeteringEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_KEY = "caravan-test-admin-key-0123456789";
    private static final String ANSWER = "four words of answer";
    private static final int ANSWER_TOKENS = 4;
    private static final String CLIENTS = """
              - name: chat-whole
                key: key-chat-whole-0123456789
              - name: chat-stream
                key: key-chat-stream-0123456789
              - name: messages-stream
                key: key-messages-stream-0123456789
              - name: messages-over-chat
                key: key-messages-over-chat-0123456789
              - name: chat-over-messages
                key: key-chat-over-messages-0123456789
              - name: responses-over-chat
                key: key-responses-over-chat-0123456789
              - name: refused
                key: key-refused-0123456789
                models: [gpt-only]
              - name: failed
                key: key-failed-0123456789
              - name: me
                key: key-me-0123456789
                models: ["gpt-*"]
                limits: {requests-per-minute: 100, budget: {tokens: 100000, per: month}}
            """;

    private FakeUpstream openAiUpstream;
    private FakeUpstream anthropicUpstream;
    private TestGateway gateway;
    private RawClient raw;
    private MeteringDatabase databases;

    /** The kind of database this suite meters into; {@code UsageMeteringOnPostgresTest} runs it against PostgreSQL. */
    MeteringDatabase databases() {
        return MeteringDatabase.sqlite();
    }

    @BeforeAll
    void start() throws Exception {
        openAiUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        databases = databases();
        gateway = databases.fresh().apply(TestGateway.builder())
                .credential("openai", openAiUpstream, "[gpt-4o]")
                .credential("anthropic", anthropicUpstream, "[claude-test]")
                .clients(CLIENTS)
                .set("caravan.admin-keys", ADMIN_KEY)
                .set("caravan.store.flush-interval-ms", "50")
                .start();
        raw = new RawClient(gateway);
    }

    @AfterAll
    void stop() throws Exception {
        TestGateway.closeAll(gateway, openAiUpstream, anthropicUpstream, databases);
    }

    @BeforeEach
    void noRepliesLeftOver() {
        openAiUpstream.discardPendingReplies();
        anthropicUpstream.discardPendingReplies();
    }

    private HttpResponse<String> post(String key, String path, String body) throws Exception {
        return raw.send(raw.request(path, body).setHeader("authorization", "Bearer " + key));
    }

    @Test
    void aWholeChatAnswerIsMeteredWithTheTokensTheUpstreamReported() throws Exception {
        openAiUpstream.enqueue(Reply.text(ANSWER));
        OpenAIClient openAi = gateway.sdkClient("key-chat-whole-0123456789");
        ChatCompletion completion = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("meter me").build());
        JsonNode row = awaitOneRow("chat-whole");
        assertEquals(completion.usage().orElseThrow().promptTokens(), row.get("input_tokens").asLong());
        assertEquals(completion.usage().orElseThrow().completionTokens(), row.get("output_tokens").asLong());
        assertEquals("gpt-4o", row.get("model").asText());
        assertEquals("openai", row.get("credential").asText());
        assertEquals(0, row.get("errors").asInt());
    }

    @Test
    void aChatStreamIsMeteredEvenWhenItsCallerAskedForNoUsage() throws Exception {
        openAiUpstream.enqueue(Reply.text(ANSWER));
        HttpResponse<String> answer = post("key-chat-stream-0123456789", RawClient.OPENAI_CHAT,
                RawClient.chat("gpt-4o", "stream and meter me", true));
        assertEquals(200, answer.statusCode(), answer.body());
        assertFalse(answer.body().contains("\"prompt_tokens\""), "the caller asked for no usage chunk: " + answer.body());
        assertMeteredAsReported("chat-stream", openAiUpstream);
    }

    @Test
    void aMessagesStreamIsMeteredFromItsStartAndDeltaEvents() throws Exception {
        anthropicUpstream.enqueue(Reply.text(ANSWER));
        HttpResponse<String> answer = post("key-messages-stream-0123456789", RawClient.MESSAGES,
                RawClient.messages("claude-test", "stream and meter me", true));
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode row = assertMeteredAsReported("messages-stream", anthropicUpstream);
        assertEquals("anthropic", row.get("credential").asText());
    }

    @Test
    void aTranslatedStreamIsMeteredWithTheUpstreamsNumbers() throws Exception {
        // An Anthropic caller of a model only the OpenAI credential serves: translated both ways.
        openAiUpstream.enqueue(Reply.text(ANSWER));
        HttpResponse<String> answer = post("key-messages-over-chat-0123456789", RawClient.MESSAGES,
                RawClient.messages("gpt-4o", "translate and meter me", true));
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode row = assertMeteredAsReported("messages-over-chat", openAiUpstream);
        assertEquals("openai", row.get("credential").asText());
    }

    @Test
    void aTranslatedWholeAnswerIsMeteredWithTheUpstreamsNumbers() throws Exception {
        anthropicUpstream.enqueue(Reply.text(ANSWER));
        HttpResponse<String> answer = post("key-chat-over-messages-0123456789", RawClient.OPENAI_CHAT,
                RawClient.chat("claude-test", "translate and meter me", false));
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode row = assertMeteredAsReported("chat-over-messages", anthropicUpstream);
        assertEquals(JSON.readTree(answer.body()).at("/usage/prompt_tokens").asLong(), row.get("input_tokens").asLong());
    }

    @Test
    void aResponsesStreamServedByAChatCredentialIsMetered() throws Exception {
        openAiUpstream.enqueue(Reply.text(ANSWER));
        HttpResponse<String> answer = post("key-responses-over-chat-0123456789", "/v1/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"meter me\",\"stream\":true}");
        assertEquals(200, answer.statusCode(), answer.body());
        assertMeteredAsReported("responses-over-chat", openAiUpstream);
    }

    @Test
    void refusedAndFailedRequestsAreMeteredWithoutTokens() throws Exception {
        assertEquals(403, post("key-refused-0123456789", RawClient.OPENAI_CHAT,
                RawClient.chat("gpt-4o", "not allowed", false)).statusCode());
        JsonNode refused = awaitOneRow("refused");
        assertEquals(1, refused.get("errors").asInt());
        assertEquals("gpt-4o", refused.get("model").asText(), "metered under the model it asked for");
        assertFalse(refused.has("credential"), "no credential served it: " + refused);
        assertEquals(0, refused.get("input_tokens").asLong() + refused.get("output_tokens").asLong());

        openAiUpstream.enqueue(Reply.openAiError(400, "invalid_request_error", "bad request upstream"));
        assertEquals(400, post("key-failed-0123456789", RawClient.OPENAI_CHAT,
                RawClient.chat("gpt-4o", "fail", false)).statusCode());
        JsonNode failed = awaitOneRow("failed");
        assertEquals(1, failed.get("errors").asInt());
        assertEquals("openai", failed.get("credential").asText());
    }

    @Test
    void theCallerSeesItsOwnAllowListLimitsAndUsage() throws Exception {
        openAiUpstream.enqueue(Reply.text(ANSWER));
        HttpResponse<String> answer = post("key-me-0123456789", RawClient.OPENAI_CHAT,
                RawClient.chat("gpt-4o", "count me", false));
        assertEquals(200, answer.statusCode());
        long tokens = JSON.readTree(answer.body()).at("/usage/total_tokens").asLong();

        HttpResponse<String> me = raw.get("/caravan/v1/me", "authorization", "Bearer key-me-0123456789");
        assertEquals(200, me.statusCode(), me.body());
        JsonNode view = JSON.readTree(me.body());
        assertEquals("me", view.get("name").asText());
        assertEquals("gpt-*", view.at("/models/0").asText());
        assertEquals(100, view.at("/limits/requests-per-minute").asInt());
        assertEquals(1, view.at("/usage/minute/requests").asInt());
        assertEquals(tokens, view.at("/usage/day/tokens").asLong());
        assertEquals(tokens, view.at("/usage/month/tokens").asLong());
        assertEquals(100000 - tokens, view.at("/budget/remaining").asLong());
        assertFalse(me.body().contains("key-me"), "the key is never shown again");

        assertEquals(401, raw.get("/caravan/v1/me", "authorization", "Bearer not-a-key").statusCode());
    }

    /**
     * The client's one usage row, once written, holds the tokens the fake upstream reported for the request it
     * received last: its prompt's estimate in, the answer's words out.
     */
    private JsonNode assertMeteredAsReported(String client, FakeUpstream upstream) throws Exception {
        JsonNode row = awaitOneRow(client);
        assertEquals(FakeUpstream.estimateTokens(upstream.lastRequest().body()), row.get("input_tokens").asLong(),
                "input tokens of " + row);
        assertEquals(ANSWER_TOKENS, row.get("output_tokens").asLong(), "output tokens of " + row);
        return row;
    }

    /** The one usage row of a client once the store has written it (records are written behind). */
    JsonNode awaitOneRow(String client) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        JsonNode rows;
        do {
            HttpResponse<String> usage = raw.get("/admin/v1/usage?client=" + client + "&group_by=client,model,credential",
                    "authorization", "Bearer " + ADMIN_KEY);
            assertEquals(200, usage.statusCode(), usage.body());
            rows = JSON.readTree(usage.body()).get("data");
            if (rows.size() == 1 && rows.get(0).get("requests").asInt() == 1) {
                return rows.get(0);
            }
            Thread.sleep(25);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no single usage row for " + client + ": " + rows);
    }
}
