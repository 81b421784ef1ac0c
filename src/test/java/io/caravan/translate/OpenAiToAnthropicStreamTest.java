package io.caravan.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiToAnthropicStreamTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text-usage-late", "tool-calls", "reasoning", "error", "rate-limit-error",
            "no-usage-done", "truncated", "gemini-tool-call"})
    void reframesTheStreamAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/" + name);
        StreamTranslator stream = new OpenAiToAnthropicStream(golden.get("model").textValue(), Golden.sequentialIds());

        List<SseEvent> produced = Golden.run(stream, golden.get("input"));

        Golden.assertEvents(golden.get("expected"), produced);
    }

    @Test
    void everyEventIsNamedAfterItsType() {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/tool-calls");
        StreamTranslator stream = new OpenAiToAnthropicStream("m", Golden.sequentialIds());

        for (SseEvent event : Golden.run(stream, golden.get("input"))) {
            assertEquals(event.event(), Json.text(Json.parseOrNull(event.data()), "type"), event.data());
        }
    }

    @Test
    void messageDeltaWaitsForTheUsageThatFollowsTheFinishChunk() {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/text-usage-late");
        StreamTranslator stream = new OpenAiToAnthropicStream("m", Golden.sequentialIds());
        List<SseEvent> upstream = Golden.events(golden.get("input"));
        for (SseEvent event : upstream.subList(0, 3)) {
            stream.onEvent(event);
        }

        List<SseEvent> onFinish = stream.onEvent(upstream.get(3));
        List<SseEvent> onUsage = stream.onEvent(upstream.get(4));

        assertEquals(List.of("content_block_stop"), onFinish.stream().map(SseEvent::event).toList());
        assertEquals(List.of("message_delta", "message_stop"), onUsage.stream().map(SseEvent::event).toList());
        assertTrue(stream.onEvent(upstream.get(5)).isEmpty(), "[DONE] after message_stop adds nothing");
        assertTrue(stream.onEnd().isEmpty(), "nothing at the end of a closed stream");
    }
}
