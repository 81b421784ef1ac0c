package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tokens every answer cost, read from the upstream's usage into the request's state and written on its access
 * line, for each dialect, whole and streamed, passed through and translated, with the numbers the fake upstream
 * reported (its prompt count is {@link FakeUpstream#estimateTokens} of the body it received, its output count one
 * per word). An OpenAI caller's stream is asked for usage by the gateway, and shows the caller the usage chunk only
 * when the caller asked for it.
 */
class UsageEndToEndTest {

    private static final String ANSWER = "one two three";
    private static final long ANSWER_TOKENS = 3;

    private static FakeUpstream chatUpstream;
    private static FakeUpstream anthropicUpstream;
    private static FakeUpstream responsesUpstream;
    private static FakeUpstream twinUpstream;
    private static TestGateway gateway;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;

    private LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        chatUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        responsesUpstream = FakeUpstream.openAiResponses();
        twinUpstream = FakeUpstream.openAi();
        gateway = TestGateway.builder()
                .credential("chat", chatUpstream, "[gpt-quiet, gpt-asks, gpt-whole, claude-over-chat, "
                        + "responses-over-chat, claude-over-chat-whole, responses-ws-over-chat, "
                        + "{name: gpt-alias, upstream: real-alias}]")
                // A failed attempt cools its credential down: the rotation test has an upstream of its own.
                .credential("twin-a", twinUpstream, "[gpt-retried]")
                .credential("twin-b", twinUpstream, "[gpt-retried]")
                .credential("claude", anthropicUpstream, "[claude-native, claude-native-whole, gpt-over-claude, "
                        + "gpt-over-claude-asks]")
                .rawCredential("  - name: responses\n"
                        + "    kind: openai\n"
                        + "    apis: [chat, responses]\n"
                        + "    base-url: " + responsesUpstream.baseUrl() + "\n"
                        + "    api-key: " + responsesUpstream.apiKey() + "\n"
                        + "    models: [responses-native, responses-native-whole, responses-ws-native]\n")
                .start();
        openAi = gateway.openAiClient();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(TestGateway.CLIENT_KEY)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(openAi, anthropic, gateway, chatUpstream, anthropicUpstream, responsesUpstream,
                twinUpstream);
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.capture();
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
        chatUpstream.discardPendingReplies();
        anthropicUpstream.discardPendingReplies();
        responsesUpstream.discardPendingReplies();
        twinUpstream.discardPendingReplies();
    }

    private static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Count to three");
    }

    private static MessageCreateParams message(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(64).addUserMessage("Count to three").build();
    }

    private static List<ChatCompletionChunk> streamed(ChatCompletionCreateParams params) {
        try (var stream = openAi.chat().completions().createStreaming(params)) {
            return stream.stream().toList();
        }
    }

    private static List<RawMessageStreamEvent> streamed(MessageCreateParams params) {
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(params)) {
            return stream.stream().toList();
        }
    }

    /** The prompt count the fake reported for the request it received. */
    private static long promptTokensOf(RecordedRequest received) {
        return FakeUpstream.estimateTokens(received.body());
    }

    private void assertRecorded(String model, long input, long output) throws InterruptedException {
        String line = logs.awaitLine("caravan.access", " model=" + model + " ", Duration.ofSeconds(10));
        assertTrue(line.endsWith(" tokens_in=" + input + " tokens_out=" + output), line);
    }

    @Test
    void anOpenAiStreamThatDidNotAskForUsageIsCountedWithoutShowingTheCallerTheUsageChunk() throws Exception {
        chatUpstream.enqueue(Reply.text(ANSWER));
        List<ChatCompletionChunk> chunks = streamed(chat("gpt-quiet").build());

        RecordedRequest received = chatUpstream.lastRequest();
        assertTrue(received.json().at("/stream_options/include_usage").asBoolean(), received.body());
        assertFalse(chunks.isEmpty());
        for (ChatCompletionChunk chunk : chunks) {
            assertTrue(chunk.usage().isEmpty(), "no usage for a caller that did not ask: " + chunk);
            assertFalse(chunk.choices().isEmpty(), "no usage-only chunk: " + chunk);
        }
        assertEquals(ANSWER, chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().content().stream()).reduce("", String::concat).trim());
        assertRecorded("gpt-quiet", promptTokensOf(received), ANSWER_TOKENS);
    }

    @Test
    void anOpenAiStreamThatAskedForUsageGetsTheUpstreamsChunkUnchanged() throws Exception {
        chatUpstream.enqueue(Reply.text(ANSWER));
        List<ChatCompletionChunk> chunks = streamed(chat("gpt-asks")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

        RecordedRequest received = chatUpstream.lastRequest();
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertTrue(last.choices().isEmpty(), "the usage chunk comes last: " + last);
        CompletionUsage usage = last.usage().orElseThrow();
        assertEquals(promptTokensOf(received), usage.promptTokens());
        assertEquals(ANSWER_TOKENS, usage.completionTokens());
        assertEquals(1, chunks.stream().filter(c -> c.usage().isPresent()).count());
        assertRecorded("gpt-asks", usage.promptTokens(), usage.completionTokens());
    }

    @Test
    void anAliasedStreamIsRenamedAndAskedForUsageKeepingTheCallersOtherStreamOptions() throws Exception {
        chatUpstream.enqueue(Reply.text(ANSWER));
        String body = "{\"model\":\"gpt-alias\",\"messages\":[{\"role\":\"user\",\"content\":\"Count to three\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_obfuscation\":false},\"temperature\":0.5}";
        RawClient.Capture capture = new RawClient(gateway).stream(RawClient.OPENAI_CHAT, body);
        assertEquals(200, capture.status());

        JsonNode received = chatUpstream.lastRequest().json();
        assertEquals("real-alias", received.path("model").asText());
        assertEquals(WebSocketCaller.JSON.readTree("{\"include_obfuscation\":false,\"include_usage\":true}"),
                received.path("stream_options"));
        assertEquals(0.5, received.path("temperature").asDouble());
        assertEquals("Count to three", received.at("/messages/0/content").asText());
        List<String> data = capture.dataLines();
        assertEquals("[DONE]", data.get(data.size() - 1));
        assertTrue(data.stream().noneMatch(d -> d.contains("\"choices\":[]")), "no usage-only chunk: " + data);
        assertRecorded("gpt-alias", promptTokensOf(chatUpstream.lastRequest()), ANSWER_TOKENS);
    }

    @Test
    void aWholeOpenAiAnswerIsCountedFromItsUsage() throws Exception {
        chatUpstream.enqueue(Reply.text(ANSWER));
        ChatCompletion completion = openAi.chat().completions().create(chat("gpt-whole").build());
        CompletionUsage usage = completion.usage().orElseThrow();
        assertEquals(promptTokensOf(chatUpstream.lastRequest()), usage.promptTokens());
        assertFalse(chatUpstream.lastRequest().json().has("stream_options"), "a whole answer is not asked anything");
        assertRecorded("gpt-whole", usage.promptTokens(), ANSWER_TOKENS);
    }

    @Test
    void anAnthropicStreamAndMessagePassedThroughAreCountedFromTheirUsage() throws Exception {
        anthropicUpstream.enqueue(Reply.text(ANSWER));
        List<RawMessageStreamEvent> events = streamed(message("claude-native"));
        long input = events.get(0).asMessageStart().message().usage().inputTokens();
        assertEquals(promptTokensOf(anthropicUpstream.lastRequest()), input);
        assertFalse(anthropicUpstream.lastRequest().json().has("stream_options"));
        assertRecorded("claude-native", input, ANSWER_TOKENS);

        anthropicUpstream.enqueue(Reply.text(ANSWER));
        Message whole = anthropic.messages().create(message("claude-native-whole"));
        assertEquals(promptTokensOf(anthropicUpstream.lastRequest()), whole.usage().inputTokens());
        assertRecorded("claude-native-whole", whole.usage().inputTokens(), whole.usage().outputTokens());
    }

    @Test
    void anAnthropicCallerOverAChatCredentialIsCountedFromTheChatUsageAndStillGetsItsOwn() throws Exception {
        chatUpstream.enqueue(Reply.text(ANSWER));
        List<RawMessageStreamEvent> events = streamed(message("claude-over-chat"));

        RecordedRequest received = chatUpstream.lastRequest();
        assertTrue(received.json().at("/stream_options/include_usage").asBoolean(), received.body());
        long outputTokens = events.stream().flatMap(e -> e.messageDelta().stream())
                .mapToLong(d -> d.usage().outputTokens()).reduce((a, b) -> b).orElseThrow();
        assertEquals(ANSWER_TOKENS, outputTokens, "the caller's message_delta carries the upstream's count");
        assertRecorded("claude-over-chat", promptTokensOf(received), ANSWER_TOKENS);

        chatUpstream.enqueue(Reply.text(ANSWER));
        Message whole = anthropic.messages().create(message("claude-over-chat-whole"));
        assertEquals(promptTokensOf(chatUpstream.lastRequest()), whole.usage().inputTokens());
        assertRecorded("claude-over-chat-whole", whole.usage().inputTokens(), ANSWER_TOKENS);
    }

    @Test
    void aChatCallerOverAnAnthropicCredentialIsCountedAndSeesUsageOnlyWhenItAsked() throws Exception {
        anthropicUpstream.enqueue(Reply.text(ANSWER));
        List<ChatCompletionChunk> quiet = streamed(chat("gpt-over-claude").build());
        assertTrue(quiet.stream().allMatch(c -> c.usage().isEmpty()), "no usage chunk unasked, as before");
        assertRecorded("gpt-over-claude", promptTokensOf(anthropicUpstream.lastRequest()), ANSWER_TOKENS);

        anthropicUpstream.enqueue(Reply.text(ANSWER));
        List<ChatCompletionChunk> asked = streamed(chat("gpt-over-claude-asks")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
        CompletionUsage usage = asked.get(asked.size() - 1).usage().orElseThrow();
        assertEquals(promptTokensOf(anthropicUpstream.lastRequest()), usage.promptTokens());
        assertEquals(ANSWER_TOKENS, usage.completionTokens());
        assertRecorded("gpt-over-claude-asks", usage.promptTokens(), ANSWER_TOKENS);
    }

    @Test
    void responsesServedNativelyAndOverAChatCredentialAreCounted() throws Exception {
        responsesUpstream.enqueue(Reply.text(ANSWER));
        Response nativeStream = streamedResponse("responses-native");
        assertEquals(promptTokensOf(responsesUpstream.lastRequest()), nativeStream.usage().orElseThrow().inputTokens());
        assertRecorded("responses-native", nativeStream.usage().orElseThrow().inputTokens(), ANSWER_TOKENS);

        responsesUpstream.enqueue(Reply.text(ANSWER));
        Response nativeWhole = openAi.responses().create(question("responses-native-whole"));
        assertRecorded("responses-native-whole", nativeWhole.usage().orElseThrow().inputTokens(), ANSWER_TOKENS);

        chatUpstream.enqueue(Reply.text(ANSWER));
        Response translated = streamedResponse("responses-over-chat");
        RecordedRequest received = chatUpstream.lastRequest();
        assertTrue(received.json().at("/stream_options/include_usage").asBoolean(), received.body());
        assertEquals(promptTokensOf(received), translated.usage().orElseThrow().inputTokens());
        assertRecorded("responses-over-chat", promptTokensOf(received), ANSWER_TOKENS);
    }

    @Test
    void webSocketTurnsAreCountedLikeTheirHttpTwins() throws Exception {
        chatUpstream.enqueue(Reply.text(ANSWER));
        responsesUpstream.enqueue(Reply.text(ANSWER));
        try (WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            caller.create("\"model\":\"responses-ws-over-chat\",\"input\":\"Count to three\"");
            List<JsonNode> translated = caller.turn();
            assertEquals("response.completed", translated.get(translated.size() - 1).path("type").asText());
            RecordedRequest received = chatUpstream.lastRequest();
            assertTrue(received.json().at("/stream_options/include_usage").asBoolean(), received.body());
            assertRecorded("responses-ws-over-chat", promptTokensOf(received), ANSWER_TOKENS);

            caller.create("\"model\":\"responses-ws-native\",\"input\":\"Count to three\"");
            List<JsonNode> passedThrough = caller.turn();
            JsonNode usage = passedThrough.get(passedThrough.size() - 1).path("response").path("usage");
            assertEquals(promptTokensOf(responsesUpstream.lastRequest()), usage.path("input_tokens").asLong());
            assertRecorded("responses-ws-native", usage.path("input_tokens").asLong(), ANSWER_TOKENS);
        }
    }

    @Test
    void onlyTheAttemptThatServedTheAnswerIsCounted() throws Exception {
        // Two credentials on one upstream: whichever is tried first gets an answer that is none (its choices are no
        // array) despite the usage it carries, and the other serves the caller.
        twinUpstream.enqueue(Reply.error(200, "{\"object\":\"chat.completion\",\"choices\":{},"
                + "\"usage\":{\"prompt_tokens\":999,\"completion_tokens\":999,\"total_tokens\":1998}}", Map.of()));
        twinUpstream.enqueue(Reply.text(ANSWER));
        ChatCompletion completion = openAi.chat().completions().create(chat("gpt-retried").build());
        assertEquals(ANSWER, completion.choices().get(0).message().content().orElseThrow());
        String line = logs.awaitLine("caravan.access", " model=" + "gpt-retried" + " ", Duration.ofSeconds(10));
        assertTrue(line.contains(" attempts=2 "), line);
        assertRecorded("gpt-retried", promptTokensOf(twinUpstream.lastRequest()), ANSWER_TOKENS);
    }

    private static ResponseCreateParams question(String model) {
        return ResponseCreateParams.builder().model(model).input("Count to three").maxOutputTokens(64L).build();
    }

    private static Response streamedResponse(String model) {
        try (com.openai.core.http.StreamResponse<ResponseStreamEvent> stream =
                     openAi.responses().createStreaming(question(model))) {
            return stream.stream().filter(ResponseStreamEvent::isCompleted).map(e -> e.asCompleted().response())
                    .findFirst().orElseThrow();
        }
    }
}
