package io.caravan.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.dialect.UpstreamStreamFaults;
import io.caravan.testing.GoldenFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicToOpenAiStreamTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "text-include-usage", "tool-calls", "thinking", "error", "truncated",
            "cut-before-message-stop", "malformed-event"})
    void reframesTheStreamAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/" + name);
        StreamTranslator stream = new AnthropicToOpenAiStream(golden.get("model").textValue(),
                golden.get("includeUsage").asBoolean(), GoldenFiles.sequentialIds(), Golden.CLOCK);

        List<SseEvent> produced = GoldenFiles.run(stream, golden.get("input"));

        GoldenFiles.assertEvents(golden.get("expected"), produced);
    }

    @Test
    void eachUpstreamEventIsAnsweredAtOnceAndDoneComesExactlyOnce() {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/text");
        StreamTranslator stream = new AnthropicToOpenAiStream("m", false, GoldenFiles.sequentialIds(), Golden.CLOCK);
        List<SseEvent> upstream = GoldenFiles.events(golden.get("input"));

        assertEquals(1, stream.onEvent(upstream.get(0)).size(), "message_start yields the role chunk");
        stream.onEvent(upstream.get(1));
        stream.onEvent(upstream.get(2));
        assertEquals(1, stream.onEvent(upstream.get(3)).size(), "a text delta is forwarded immediately");
        for (SseEvent event : upstream.subList(4, upstream.size())) {
            stream.onEvent(event);
        }

        assertTrue(stream.onEnd().isEmpty(), "no second [DONE] after message_stop");
        assertTrue(stream.onEvent(upstream.get(3)).isEmpty(), "nothing after the stream closed");
    }

    @Test
    void openAiChunksCarryNoEventName() {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/tool-calls");
        StreamTranslator stream = new AnthropicToOpenAiStream("m", true, GoldenFiles.sequentialIds(), Golden.CLOCK);

        for (SseEvent event : GoldenFiles.run(stream, golden.get("input"))) {
            assertEquals(null, event.event(), event.data());
        }
    }

    @Test
    void theFinishChunkWaitsForMessageStop() {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/text");
        StreamTranslator stream = new AnthropicToOpenAiStream("m", false, GoldenFiles.sequentialIds(), Golden.CLOCK);
        List<SseEvent> upstream = GoldenFiles.events(golden.get("input"));
        for (SseEvent event : upstream.subList(0, 6)) {
            stream.onEvent(event);
        }

        List<SseEvent> onMessageDelta = stream.onEvent(upstream.get(6));
        List<SseEvent> onMessageStop = stream.onEvent(upstream.get(7));

        assertEquals(List.of(), onMessageDelta, "message_delta alone does not finish the answer");
        assertEquals("stop", finishReason(onMessageStop.get(0)));
        assertEquals("[DONE]", onMessageStop.get(1).data());
    }

    @Test
    void aStreamThatProducedNothingEndsWithNothingSoTheRelayCanFailTheAttempt() {
        StreamTranslator silent = new AnthropicToOpenAiStream("m", true, GoldenFiles.sequentialIds(), Golden.CLOCK);
        StreamTranslator onlyPings = new AnthropicToOpenAiStream("m", true, GoldenFiles.sequentialIds(), Golden.CLOCK);

        assertEquals(List.of(), onlyPings.onEvent(SseEvent.named("ping", "{\"type\": \"ping\"}")));
        assertEquals(List.of(), silent.onEnd());
        assertEquals(List.of(), onlyPings.onEnd());
    }

    @Test
    void aStreamCutShortEndsWithExactlyOneErrorAndNothingAfterIt() {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/truncated");
        StreamTranslator stream = new AnthropicToOpenAiStream("m", true, GoldenFiles.sequentialIds(), Golden.CLOCK);
        List<SseEvent> produced = GoldenFiles.run(stream, golden.get("input"));

        SseEvent last = produced.get(produced.size() - 1);
        JsonNode error = JsonTrees.parseOrNull(last.data()).path("error");
        assertEquals(UpstreamStreamFaults.ENDED_EARLY, error.path("message").asText(), last.data());
        assertEquals("server_error", error.path("type").asText(), last.data());
        assertTrue(produced.stream().noneMatch(e -> "[DONE]".equals(e.data())), produced.toString());
        assertTrue(produced.stream().limit(produced.size() - 1).allMatch(e -> finishReason(e) == null),
                "no finish_reason before the error: " + produced);
        assertTrue(stream.onEnd().isEmpty(), "a second end adds nothing");
        assertTrue(stream.onEvent(GoldenFiles.events(golden.get("input")).get(2)).isEmpty(), "nor a late event");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<html><body>Bad Gateway</body></html>", "{\"type\": \"content_block_delta\", \"ind",
            "[1, 2]", "42", "\"text\"", "null", "[DONE]"})
    void dataThatIsNotAJsonObjectEndsTheStreamWithAnInBandError(String data) {
        StreamTranslator stream = startedStream();

        List<SseEvent> out = stream.onEvent(SseEvent.named("content_block_delta", data));

        assertEquals(1, out.size(), out.toString());
        assertEquals(UpstreamStreamFaults.MALFORMED_EVENT,
                JsonTrees.parseOrNull(out.get(0).data()).path("error").path("message").asText(), out.toString());
        assertTrue(stream.onEnd().isEmpty(), "nothing after the error");
    }

    @Test
    void anEventWithoutDataCarriesNothingAndIsNoFault() {
        StreamTranslator stream = startedStream();

        assertEquals(List.of(), stream.onEvent(SseEvent.named("ping", "")));
        assertEquals(List.of(), stream.onEvent(SseEvent.named("ping", "  ")));
    }

    /** Every event type with every field it reads set to every wrong kind of JSON value: none may throw. */
    @Test
    void wronglyTypedFieldsNeverThrow() {
        List<String> types = List.of("message_start", "content_block_start", "content_block_delta", "message_delta",
                "message_stop", "error", "ping", "content_block_stop");
        List<String> fields = List.of("message", "content_block", "delta", "index", "usage", "error");
        List<String> wrongValues = List.of("\"s\"", "1", "-1", "1.5", "[]", "[1]", "null", "true", "{}",
                "{\"type\": 1, \"id\": [], \"text\": {}, \"name\": 2, \"partial_json\": [], \"stop_reason\": 3,"
                        + " \"input_tokens\": \"x\", \"output_tokens\": -5, \"message\": 4}");
        int runs = 0;
        for (String type : types) {
            for (String field : fields) {
                for (String value : wrongValues) {
                    StreamTranslator stream = startedStream();
                    String data = "{\"type\": \"" + type + "\", \"" + field + "\": " + value + "}";
                    List<SseEvent> out = new ArrayList<>(stream.onEvent(SseEvent.named(type, data)));
                    out.addAll(stream.onEnd());
                    for (SseEvent event : out) {
                        assertTrue(JsonTrees.parseOrNull(event.data()) != null || "[DONE]".equals(event.data()),
                                data + " -> " + event.data());
                    }
                    runs++;
                }
            }
        }
        assertEquals(types.size() * fields.size() * wrongValues.size(), runs);
    }

    /** A translator that has seen message_start, so it has sent the caller its role chunk. */
    private static StreamTranslator startedStream() {
        StreamTranslator stream = new AnthropicToOpenAiStream("m", true, GoldenFiles.sequentialIds(), Golden.CLOCK);
        stream.onEvent(GoldenFiles.events(Golden.load("stream/anthropic-to-openai/truncated").get("input")).get(0));
        return stream;
    }

    private static String finishReason(SseEvent chunk) {
        JsonNode data = JsonTrees.parseOrNull(chunk.data());
        JsonNode reason = data == null ? null : data.path("choices").path(0).path("finish_reason");
        return reason != null && reason.isTextual() ? reason.textValue() : null;
    }
}
