package io.caravan.dialect.gemini;

import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.assertJson;
import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.json;
import static io.caravan.dialect.gemini.ChatToGeminiRequestTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.UpstreamStreamFaults;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiToChatStreamTest {

    private static final String ASKS_FOR_USAGE = """
            {"messages": [{"role": "user", "content": "Count"}], "stream": true,
             "stream_options": {"include_usage": true}}""";

    private final GeminiUpstreamTranslator translator = new GeminiUpstreamTranslator(ShippedSettings.translation(),
            GoldenFiles.sequentialIds(), GeminiToChatResponseTest.CLOCK);

    @Test
    void aTextStreamBecomesChunksThenTheFinishTheUsageAndDone() {
        StreamTranslator stream = translator.stream(json(ASKS_FOR_USAGE), "alias", "req_1");

        List<SseEvent> out = run(stream,
                """
                {"candidates": [{"content": {"role": "model", "parts": [{"text": "1, 2"}]}, "index": 0}],
                 "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 2, "totalTokenCount": 9},
                 "responseId": "r1"}""",
                """
                {"candidates": [{"content": {"role": "model", "parts": [{"text": ", 3"}]}, "finishReason": "STOP",
                   "index": 0}],
                 "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 4, "totalTokenCount": 11},
                 "responseId": "r1"}""");

        String header = "\"id\": \"chatcmpl-r1\", \"object\": \"chat.completion.chunk\", \"created\": "
                + GeminiToChatResponseTest.CREATED + ", \"model\": \"alias\"";
        GoldenFiles.assertEvents(parse("""
                [{"data": {%1$s, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                    "logprobs": null, "finish_reason": null}], "usage": null}},
                 {"data": {%1$s, "choices": [{"index": 0, "delta": {"content": "1, 2"}, "logprobs": null,
                    "finish_reason": null}], "usage": null}},
                 {"data": {%1$s, "choices": [{"index": 0, "delta": {"content": ", 3"}, "logprobs": null,
                    "finish_reason": null}], "usage": null}},
                 {"data": {%1$s, "choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}],
                    "usage": null}},
                 {"data": {%1$s, "choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 4,
                    "total_tokens": 11, "prompt_tokens_details": {"cached_tokens": 0},
                    "completion_tokens_details": {"reasoning_tokens": 0}}}},
                 {"data": "[DONE]"}]""".formatted(header)), out);
    }

    /** Thoughts, the first signature once, and each call whole in one delta; no usage chunk unless asked. */
    @Test
    void thoughtsSignaturesAndCallsBecomeTheirDeltas() {
        StreamTranslator stream = translator.stream("alias");

        List<SseEvent> out = run(stream,
                """
                {"candidates": [{"content": {"role": "model", "parts": [{"text": "Thinking.", "thought": true}]}}]}""",
                """
                {"candidates": [{"content": {"role": "model", "parts": [
                    {"functionCall": {"name": "weather", "args": {"city": "Paris"}}, "thoughtSignature": "c2ln"},
                    {"functionCall": {"name": "weather", "args": {"city": "Rome"}}}]}, "finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 9, "thoughtsTokenCount": 3}}""");

        List<JsonNode> deltas = new ArrayList<>();
        for (SseEvent event : out.subList(0, out.size() - 1)) {
            deltas.add(parse(event.data()).path("choices").path(0).path("delta"));
        }
        assertEquals(6, deltas.size(), out.toString());
        assertEquals("assistant", deltas.get(0).path("role").asText());
        assertJson("{\"reasoning_content\": \"Thinking.\"}", deltas.get(1));
        assertJson("""
                {"tool_calls": [{"index": 0, "id": "call_test2", "type": "function",
                   "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]}""", deltas.get(2));
        assertJson("{\"reasoning_signature\": \"gemini.c2ln\"}", deltas.get(3));
        assertEquals(1, deltas.get(4).path("tool_calls").path(0).path("index").asInt());
        assertEquals("tool_calls", parse(out.get(5).data()).path("choices").path(0).path("finish_reason").asText());
        assertEquals("chatcmpl-test1", parse(out.get(0).data()).path("id").asText());
        assertEquals("[DONE]", out.get(out.size() - 1).data());
    }

    @Test
    void anErrorChunkBecomesTheInBandErrorAndEndsTheStream() {
        StreamTranslator stream = translator.stream("alias");

        List<SseEvent> out = run(stream,
                "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hel\"}]}}]}",
                """
                {"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"}}""",
                "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"lo\"}]}, \"finishReason\": \"STOP\"}]}");

        assertEquals(3, out.size(), out.toString());
        SseEvent error = out.get(2);
        assertTrue(error.isError(), error.toString());
        assertJson("""
                {"error": {"message": "Resource has been exhausted", "type": "rate_limit_error", "param": null,
                   "code": "rate_limit_exceeded"}}""", parse(error.data()));
    }

    @Test
    void aBlockedPromptIsAnInBandErrorSayingWhy() {
        List<SseEvent> out = run(translator.stream("alias"),
                "{\"promptFeedback\": {\"blockReason\": \"SAFETY\"}, \"usageMetadata\": {\"promptTokenCount\": 5}}");

        assertEquals(1, out.size(), out.toString());
        JsonNode error = parse(out.get(0).data()).path("error");
        assertEquals("prompt_blocked", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("blockReason SAFETY"), error.toString());
    }

    /** A stream cut before its finishing chunk is never presented as finished; one that said nothing says nothing. */
    @Test
    void aStreamThatEndsUnfinishedEndsInError() {
        List<SseEvent> cut = run(translator.stream("alias"),
                "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hel\"}]}}]}");
        List<SseEvent> silent = run(translator.stream("alias"), "{\"usageMetadata\": {\"promptTokenCount\": 5}}");
        List<SseEvent> garbage = run(translator.stream("alias"), "<html>");

        assertEquals(3, cut.size(), cut.toString());
        assertEquals(UpstreamStreamFaults.ENDED_EARLY,
                parse(cut.get(2).data()).path("error").path("message").asText());
        assertEquals(List.of(), silent);
        assertEquals(UpstreamStreamFaults.MALFORMED_EVENT,
                parse(garbage.get(0).data()).path("error").path("message").asText());
    }

    @Test
    void afterTheFinishNothingMoreIsProduced() {
        StreamTranslator stream = translator.stream("alias");
        run(stream, "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"x\"}]}, \"finishReason\": \"MAX_TOKENS\"}]}");

        assertEquals(List.of(), stream.onEvent(SseEvent.data("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"y\"}]}}]}")));
        assertEquals(List.of(), stream.onEnd());
    }

    private static List<SseEvent> run(StreamTranslator stream, String... chunks) {
        List<SseEvent> out = new ArrayList<>();
        for (String chunk : chunks) {
            // One line per chunk, as Gemini sends them; what is no JSON goes as it is.
            JsonNode json = chunk.startsWith("{") ? parse(chunk) : null;
            out.addAll(stream.onEvent(SseEvent.data(json == null ? chunk : json.toString())));
        }
        out.addAll(stream.onEnd());
        return out;
    }
}
