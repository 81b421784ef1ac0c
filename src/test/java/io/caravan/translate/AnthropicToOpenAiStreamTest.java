package io.caravan.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicToOpenAiStreamTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "text-include-usage", "tool-calls", "thinking", "error", "truncated"})
    void reframesTheStreamAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/" + name);
        StreamTranslator stream = new AnthropicToOpenAiStream(golden.get("model").textValue(),
                golden.get("includeUsage").asBoolean(), Golden.sequentialIds(), Golden.CLOCK);

        List<SseEvent> produced = Golden.run(stream, golden.get("input"));

        Golden.assertEvents(golden.get("expected"), produced);
    }

    @Test
    void eachUpstreamEventIsAnsweredAtOnceAndDoneComesExactlyOnce() {
        JsonNode golden = Golden.load("stream/anthropic-to-openai/text");
        StreamTranslator stream = new AnthropicToOpenAiStream("m", false, Golden.sequentialIds(), Golden.CLOCK);
        List<SseEvent> upstream = Golden.events(golden.get("input"));

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
        StreamTranslator stream = new AnthropicToOpenAiStream("m", true, Golden.sequentialIds(), Golden.CLOCK);

        for (SseEvent event : Golden.run(stream, golden.get("input"))) {
            assertEquals(null, event.event(), event.data());
        }
    }
}
