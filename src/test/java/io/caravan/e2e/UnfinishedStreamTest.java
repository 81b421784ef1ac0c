package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9, defect 3, end to end: a stream that did not finish is never presented to the caller as finished, whichever
 * dialects the caller and the upstream speak. The fake upstreams end their responses cleanly (no network error)
 * after a few events, without the event that finishes the answer; the callers are the official SDKs and a raw SSE
 * reader. "Finished" is the upstream's own definition: an OpenAI choice with a finish_reason ({@code [DONE]} only
 * ends the stream), an Anthropic {@code message_stop}.
 */
class UnfinishedStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GPT = "gpt-u";
    private static final String CLAUDE = "claude-u";
    /** The same words from the same-dialect relay and from both translators, so a caller reads one error. */
    private static final String ENDED_EARLY = "The upstream ended the stream before the answer was complete";
    private static final String MALFORMED = "The upstream sent a stream event that is not valid JSON";
    private static final String PARTIAL = "word1 word2 word3";

    private static FakeUpstream openAiUpstream;
    private static FakeUpstream anthropicUpstream;
    private static TestGateway gateway;
    private static RawClient raw;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() throws Exception {
        openAiUpstream = FakeUpstream.openAi();
        anthropicUpstream = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai-u", openAiUpstream, "[" + GPT + "]")
                .credential("anthropic-u", anthropicUpstream, "[" + CLAUDE + "]")
                .start();
        raw = new RawClient(gateway);
        openAi = gateway.openAiClient();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(TestGateway.CLIENT_KEY)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    /** A stream that ends in an error cools its credential down; every test starts from a rested pool. */
    @BeforeEach
    void restPool() throws InterruptedException {
        gateway.awaitLeasesBalanced(Duration.ofSeconds(3));
        gateway.pool().setEnabled("openai-u", true);
        gateway.pool().setEnabled("anthropic-u", true);
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(openAi, anthropic, gateway, openAiUpstream, anthropicUpstream);
    }

    // ---- every path, on the wire ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} caller, {1} upstream")
    @CsvSource({"openai, openai", "openai, anthropic", "anthropic, openai", "anthropic, anthropic"})
    void aStreamEndedCleanlyBeforeItsFinishIsAnErrorOnEveryPath(String caller, String upstream) throws Exception {
        upstreamOf(upstream).enqueue(Reply.endAfter(3));

        RawClient.Capture capture = streamAs(caller, modelOf(upstream));

        assertEquals(200, capture.status(), capture.text());
        if (caller.equals("openai")) {
            assertOpenAiStreamEndsInError(capture, ENDED_EARLY);
        } else {
            assertAnthropicStreamEndsInError(capture, ENDED_EARLY);
        }
        assertEquals(PARTIAL, textOf(caller, capture), "what the upstream did send still arrives");
    }

    @Test
    void anAnthropicUpstreamWithoutMessageStopHasNotFinishedEvenAfterItsStopReason() throws Exception {
        anthropicUpstream.enqueue(Reply.textWithoutLastEvent("one two three"));

        RawClient.Capture capture = streamAs("openai", CLAUDE);

        assertOpenAiStreamEndsInError(capture, ENDED_EARLY);
        assertEquals("one two three", textOf("openai", capture));
    }

    @Test
    void anOpenAiUpstreamWithAFinishReasonButNoDoneHasFinished() throws Exception {
        openAiUpstream.enqueue(Reply.textWithoutLastEvent("one two three"));

        RawClient.Capture capture = streamAs("anthropic", GPT);

        List<String> names = withoutPings(capture.eventNames());
        assertEquals("message_stop", names.get(names.size() - 1), capture.text());
        assertFalse(names.contains("error"), capture.text());
        JsonNode messageDelta = JSON.readTree(capture.dataLines().get(capture.eventNames().lastIndexOf("message_delta")));
        assertEquals("end_turn", messageDelta.path("delta").path("stop_reason").asText(), messageDelta.toString());
        assertTrue(messageDelta.path("usage").path("output_tokens").asLong() > 0,
                "the usage chunk after the finish chunk still counts: " + messageDelta);
        assertEquals("one two three", textOf("anthropic", capture));
    }

    @ParameterizedTest(name = "{0} caller, {1} upstream")
    @CsvSource({"openai, anthropic", "anthropic, openai"})
    void anEventThatIsNotJsonEndsATranslatedStreamInAnErrorThoughTheUpstreamGoesOnToFinish(String caller,
                                                                                           String upstream)
            throws Exception {
        upstreamOf(upstream).enqueue(Reply.malformedEventAfter(3));

        RawClient.Capture capture = streamAs(caller, modelOf(upstream));

        assertEquals(200, capture.status(), capture.text());
        if (caller.equals("openai")) {
            assertOpenAiStreamEndsInError(capture, MALFORMED);
        } else {
            assertAnthropicStreamEndsInError(capture, MALFORMED);
        }
        assertEquals(PARTIAL, textOf(caller, capture));
    }

    @Test
    void anAnthropicErrorEventMidStreamReachesAnOpenAiCallerTranslated() throws Exception {
        anthropicUpstream.enqueue(Reply.streamErrorAfter(2));

        RawClient.Capture capture = streamAs("openai", CLAUDE);

        JsonNode error = assertOpenAiStreamEndsInError(capture, "Overloaded");
        assertEquals("overloaded_error", error.path("code").asText(), "the Anthropic type is kept: " + error);
    }

    @Test
    void anOpenAiErrorChunkMidStreamReachesAnAnthropicCallerTranslated() throws Exception {
        openAiUpstream.enqueue(Reply.streamErrorAfter(2));

        RawClient.Capture capture = streamAs("anthropic", GPT);

        JsonNode error = assertAnthropicStreamEndsInError(capture,
                "The server had an error while processing your request. Sorry about that!");
        assertEquals("api_error", error.path("error").path("type").asText(), error.toString());
    }

    // ---- what the official SDKs make of it -----------------------------------------------------------------------

    @Test
    void theOpenAiSdkThrowsInsteadOfFinishingWhenAnAnthropicUpstreamEndsEarly() {
        anthropicUpstream.enqueue(Reply.endAfter(3));
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        var thrown = assertThrows(com.openai.errors.SseException.class, () -> {
            try (var stream = openAi.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                    .model(CLAUDE).addUserMessage("Say three words")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
                stream.stream().forEach(chunks::add);
            }
        });

        assertTrue(String.valueOf(thrown.getMessage()).contains(ENDED_EARLY)
                || String.valueOf(thrown.body()).contains(ENDED_EARLY), thrown + " " + thrown.body());
        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk chunk : chunks) {
            assertTrue(chunk.usage().isEmpty(), "no usage chunk for an unfinished answer: " + chunk);
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                assertTrue(choice.finishReason().isEmpty(), "no finish_reason for an unfinished answer: " + chunk);
                choice.delta().content().ifPresent(text::append);
            }
        }
        assertEquals(PARTIAL, text.toString());
    }

    @Test
    void theAnthropicSdkThrowsInsteadOfFinishingWhenAnOpenAiUpstreamEndsEarly() {
        openAiUpstream.enqueue(Reply.endAfter(3));
        List<RawMessageStreamEvent> events = new ArrayList<>();

        var thrown = assertThrows(com.anthropic.errors.SseException.class, () -> {
            try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(
                    MessageCreateParams.builder().model(GPT).maxTokens(64).addUserMessage("Say three words").build())) {
                stream.stream().forEach(events::add);
            }
        });

        assertTrue(String.valueOf(thrown.getMessage()).contains(ENDED_EARLY)
                || String.valueOf(thrown.body()).contains(ENDED_EARLY), thrown + " " + thrown.body());
        assertTrue(events.stream().noneMatch(e -> e.messageDelta().isPresent() || e.messageStop().isPresent()),
                "no message_delta or message_stop for an unfinished answer: " + events);
        StringBuilder text = new StringBuilder();
        events.forEach(e -> e.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text())));
        assertEquals(PARTIAL, text.toString());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static FakeUpstream upstreamOf(String dialect) {
        return dialect.equals("openai") ? openAiUpstream : anthropicUpstream;
    }

    /** The model only a credential of this dialect serves. */
    private static String modelOf(String upstreamDialect) {
        return upstreamDialect.equals("openai") ? GPT : CLAUDE;
    }

    /** A streamed request in the caller's dialect; an OpenAI caller asks for the usage chunk too. */
    private static RawClient.Capture streamAs(String caller, String model) throws Exception {
        if (caller.equals("openai")) {
            return raw.stream(RawClient.OPENAI_CHAT, "{\"model\":\"" + model + "\",\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Say three words\"}]}");
        }
        return raw.stream(RawClient.MESSAGES, RawClient.messages(model, "Say three words", true));
    }

    /**
     * The stream's last data line is an OpenAI error with this message; before it no finish_reason, no usage
     * chunk, and there is no {@code [DONE]} at all. Returns the error object.
     */
    private static JsonNode assertOpenAiStreamEndsInError(RawClient.Capture capture, String message) throws IOException {
        List<String> data = capture.dataLines();
        assertFalse(data.isEmpty(), capture.text());
        assertEquals(0, capture.count("data: [DONE]"), "no [DONE]: " + capture.text());
        JsonNode error = JSON.readTree(data.get(data.size() - 1)).path("error");
        assertTrue(error.isObject(), "the last data line is an error: " + capture.text());
        assertTrue(error.path("message").asText().contains(message), error.toString());
        for (String line : data.subList(0, data.size() - 1)) {
            JsonNode chunk = JSON.readTree(line);
            assertFalse(chunk.path("usage").isObject(), "no usage chunk for an unfinished answer: " + line);
            for (JsonNode choice : chunk.path("choices")) {
                assertTrue(choice.path("finish_reason").isNull(), "no finish_reason for an unfinished answer: " + line);
            }
        }
        return error;
    }

    /**
     * The stream's last event is an Anthropic {@code error} event with this message and no message_delta or
     * message_stop came before it. A gateway-written error quotes the request id the response header carries.
     * Returns the error event's data.
     */
    private static JsonNode assertAnthropicStreamEndsInError(RawClient.Capture capture, String message)
            throws IOException {
        List<String> names = capture.eventNames();
        assertFalse(names.isEmpty(), capture.text());
        assertEquals("error", names.get(names.size() - 1), capture.text());
        assertFalse(names.contains("message_delta") || names.contains("message_stop"),
                "nothing that finishes the message: " + capture.text());
        List<String> data = capture.dataLines();
        JsonNode event = JSON.readTree(data.get(data.size() - 1));
        assertEquals("error", event.path("type").asText(), event.toString());
        assertTrue(event.path("error").path("message").asText().contains(message), event.toString());
        if (event.has("request_id")) {
            assertEquals(capture.response().headers().firstValue("x-request-id").orElse(null),
                    event.path("request_id").asText(), event.toString());
        }
        return event;
    }

    /** The answer's text as the caller received it. */
    private static String textOf(String caller, RawClient.Capture capture) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : capture.dataLines()) {
            if (line.equals("[DONE]")) {
                continue;
            }
            JsonNode data = JSON.readTree(line);
            if (caller.equals("openai")) {
                for (JsonNode choice : data.path("choices")) {
                    text.append(choice.path("delta").path("content").asText(""));
                }
            } else if (data.path("delta").path("type").asText().equals("text_delta")) {
                text.append(data.path("delta").path("text").asText());
            }
        }
        return text.toString();
    }

    private static List<String> withoutPings(List<String> names) {
        return names.stream().filter(n -> !n.equals("ping")).toList();
    }
}
