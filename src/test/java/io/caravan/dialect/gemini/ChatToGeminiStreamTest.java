package io.caravan.dialect.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.testing.GoldenFiles;
import io.caravan.testing.ShippedSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatToGeminiStreamTest {

    private final GeminiCallerTranslator translator =
            new GeminiCallerTranslator(ShippedSettings.translation(), GoldenFiles.sequentialIds());

    private static SseEvent chunk(String json) {
        return SseEvent.data(Json.object(json).toString());
    }

    private static String delta(String delta, String finish) {
        return "{\"id\": \"chatcmpl-9\", \"object\": \"chat.completion.chunk\", \"choices\": [{\"index\": 0, \"delta\": "
                + delta + ", \"finish_reason\": " + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    private static final String USAGE = """
            {"id": "chatcmpl-9", "object": "chat.completion.chunk", "choices": [],
             "usage": {"prompt_tokens": 10, "completion_tokens": 8, "total_tokens": 18,
               "completion_tokens_details": {"reasoning_tokens": 3}}}
            """;

    private static List<SseEvent> run(StreamTranslator stream, List<SseEvent> events, boolean end) {
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent event : events) {
            out.addAll(stream.onEvent(event));
        }
        if (end) {
            out.addAll(stream.onEnd());
        }
        return out;
    }

    @Test
    void textAndReasoningStreamAsPartsAndTheLastChunkCarriesTheFinishAndTheUsage() {
        StreamTranslator stream = translator.stream(Json.object("{}"), "gemini-2.5-flash", "req_1");
        List<SseEvent> out = run(stream, List.of(
                chunk(delta("{\"role\": \"assistant\", \"content\": \"\"}", null)),
                chunk(delta("{\"reasoning_content\": \"Hmm.\"}", null)),
                chunk(delta("{\"reasoning_signature\": \"sig-1\"}", null)),
                chunk(delta("{\"content\": \"Hel\"}", null)),
                chunk(delta("{\"content\": \"lo\"}", null)),
                chunk(delta("{}", "stop")),
                chunk(USAGE),
                SseEvent.data("[DONE]")), true);

        GoldenFiles.assertEvents(Json.object("""
                {"e": [
                 {"data": {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hmm.", "thought": true}]}, "index": 0}],
                   "modelVersion": "gemini-2.5-flash", "responseId": "chatcmpl-9"}},
                 {"data": {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hel", "thoughtSignature": "%s"}]}, "index": 0}],
                   "modelVersion": "gemini-2.5-flash", "responseId": "chatcmpl-9"}},
                 {"data": {"candidates": [{"content": {"role": "model", "parts": [{"text": "lo"}]}, "index": 0}],
                   "modelVersion": "gemini-2.5-flash", "responseId": "chatcmpl-9"}},
                 {"data": {"candidates": [{"content": {"role": "model", "parts": []}, "finishReason": "STOP", "index": 0}],
                   "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 18, "thoughtsTokenCount": 3},
                   "modelVersion": "gemini-2.5-flash", "responseId": "chatcmpl-9"}}]}
                """.formatted(GeminiThoughtSeal.seal("Hmm.", "sig-1"))).get("e"), out);
    }

    @Test
    void toolCallArgumentsAreGatheredAndSentWholeInTheLastChunk() {
        StreamTranslator stream = translator.stream("gemini-2.5-flash");
        List<SseEvent> out = run(stream, List.of(
                chunk(delta("{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"index\": 0, \"id\": \"call_a\","
                        + " \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": \"\"}}]}", null)),
                chunk(delta("{\"tool_calls\": [{\"index\": 0, \"function\": {\"arguments\": \"{\\\"city\\\":\"}}]}", null)),
                chunk(delta("{\"tool_calls\": [{\"index\": 0, \"function\": {\"arguments\": \"\\\"Paris\\\"}\"}}]}", null)),
                chunk(delta("{\"tool_calls\": [{\"index\": 1, \"id\": \"call_b\", \"function\": {\"name\": \"get_time\","
                        + " \"arguments\": \"{}\"}}]}", null)),
                chunk(delta("{}", "tool_calls"))), false);

        assertTrue(out.isEmpty(), out.toString());
        out = run(stream, List.of(chunk(USAGE)), true);

        GoldenFiles.assertEvents(Json.object("""
                {"e": [{"data": {"candidates": [{"content": {"role": "model", "parts": [
                    {"functionCall": {"id": "call_a", "name": "get_weather", "args": {"city": "Paris"}}},
                    {"functionCall": {"id": "call_b", "name": "get_time", "args": {}}}]},
                  "finishReason": "STOP", "index": 0}],
                  "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 18, "thoughtsTokenCount": 3},
                  "modelVersion": "gemini-2.5-flash", "responseId": "chatcmpl-9"}}]}
                """).get("e"), out);
        assertTrue(stream.onEnd().isEmpty());
        assertTrue(stream.onEvent(chunk(delta("{\"content\": \"late\"}", null))).isEmpty());
    }

    @Test
    void theSignatureOfAToolTurnRidesOnTheFirstCall() {
        List<SseEvent> out = run(translator.stream("g"), List.of(
                chunk(delta("{\"reasoning_content\": \"Plan.\"}", null)),
                chunk(delta("{\"reasoning_signature\": \"sig-2\"}", null)),
                chunk(delta("{\"tool_calls\": [{\"index\": 0, \"id\": \"c\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]}", null)),
                chunk(delta("{}", "tool_calls"))), true);

        JsonNode last = GoldenFiles.rendered(out).get(out.size() - 1).get("data");
        assertEquals(GeminiThoughtSeal.seal("Plan.", "sig-2"), last.at("/candidates/0/content/parts/0/thoughtSignature").asText(),
                last.toString());
        assertEquals(false, last.has("usageMetadata"), "no usage came: none is made up");
    }

    @Test
    void aSignatureNoPartCarriedEndsOnAThoughtPartOfTheLastChunk() {
        List<SseEvent> out = run(translator.stream("g"), List.of(
                chunk(delta("{\"reasoning_content\": \"Only thinking.\"}", null)),
                chunk(delta("{\"reasoning_signature\": \"sig-3\"}", null)),
                chunk(delta("{}", "length")),
                SseEvent.data("[DONE]")), false);

        JsonNode last = GoldenFiles.rendered(out).get(out.size() - 1).get("data");
        GoldenFiles.assertJson(Json.object("{\"text\": \"\", \"thought\": true, \"thoughtSignature\": \"sig-3\"}"),
                last.at("/candidates/0/content/parts/0"));
        assertEquals("MAX_TOKENS", last.at("/candidates/0/finishReason").asText());
    }

    @Test
    void aRefusalStreamsAsTextAndFinishesWithSafety() {
        List<SseEvent> out = run(translator.stream("g"), List.of(
                chunk(delta("{\"refusal\": \"No.\"}", null)), chunk(delta("{}", "stop"))), true);

        ArrayNode rendered = GoldenFiles.rendered(out);
        assertEquals("No.", rendered.get(0).at("/data/candidates/0/content/parts/0/text").asText());
        assertEquals("SAFETY", rendered.get(1).at("/data/candidates/0/finishReason").asText());
    }

    @Test
    void aStreamCutShortEndsWithAGeminiErrorChunkAndNothingAfter() {
        StreamTranslator stream = translator.stream("g");
        List<SseEvent> out = run(stream, List.of(chunk(delta("{\"content\": \"Par\"}", null))), true);

        assertEquals(2, out.size(), out.toString());
        GoldenFiles.assertJson(Json.object("""
                {"error": {"code": 502, "message": "The upstream ended the stream before the answer was complete",
                  "status": "UNAVAILABLE"}}
                """), GoldenFiles.rendered(out).get(1).get("data"));
        assertTrue(out.get(1).isError());
        assertTrue(stream.onEnd().isEmpty());
    }

    @Test
    void doneBeforeAnyFinishIsAnErrorToo() {
        List<SseEvent> out = run(translator.stream("g"), List.of(chunk(delta("{\"content\": \"Par\"}", null)),
                SseEvent.data("[DONE]")), false);

        assertEquals(502, GoldenFiles.rendered(out).get(1).at("/data/error/code").asInt());
    }

    @Test
    void aStreamThatProducedNothingEndsWithNothing() {
        List<SseEvent> out = run(translator.stream("g"),
                List.of(chunk(delta("{\"role\": \"assistant\", \"content\": \"\"}", null))), true);

        assertTrue(out.isEmpty(), out.toString());
    }

    @Test
    void anUpstreamErrorChunkBecomesAGeminiErrorChunkWithTheStatusItsTypeTells() {
        StreamTranslator stream = translator.stream("g");
        List<SseEvent> out = run(stream, List.of(chunk(delta("{\"content\": \"Par\"}", null)),
                chunk("{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"rate_limit_error\", \"code\": null}}"),
                chunk(delta("{\"content\": \"is\"}", null))), true);

        assertEquals(2, out.size(), out.toString());
        GoldenFiles.assertJson(Json.object("""
                {"error": {"code": 429, "message": "Rate limit reached", "status": "RESOURCE_EXHAUSTED"}}
                """), GoldenFiles.rendered(out).get(1).get("data"));
    }

    @Test
    void anEventThatIsNoJsonEndsTheStreamWithAnError() {
        List<SseEvent> out = run(translator.stream("g"), List.of(SseEvent.data("<html>")), true);

        assertEquals(1, out.size());
        assertEquals("The upstream sent a stream event that is not valid JSON",
                GoldenFiles.rendered(out).get(0).at("/data/error/message").asText());
    }
}
