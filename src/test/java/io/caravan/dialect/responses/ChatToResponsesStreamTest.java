package io.caravan.dialect.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamTranslator;
import io.caravan.testing.GoldenFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatToResponsesStreamTest {

    private static final List<String> CASES = List.of("text", "tool-calls", "text-then-tool", "length", "truncated",
            "done-without-finish", "error", "malformed-event", "finish-without-done", "reasoning",
            "reasoning-then-tool");

    private static StreamTranslator stream() {
        return Golden.translator().stream("gpt-caller");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "tool-calls", "text-then-tool", "length", "truncated", "done-without-finish",
            "error", "malformed-event", "finish-without-done", "reasoning", "reasoning-then-tool"})
    void reframesTheStreamAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("stream/" + name);

        List<SseEvent> produced = GoldenFiles.run(stream(), golden.get("input"));

        GoldenFiles.assertEvents(golden.get("expected"), produced);
    }

    /** Every case: named by its type, numbered 0, 1, 2 …, exactly one terminal event and it is the last. */
    @Test
    void everyStreamIsNamedNumberedAndEndsInExactlyOneTerminalEvent() {
        for (String name : CASES) {
            List<SseEvent> produced = GoldenFiles.run(stream(), Golden.load("stream/" + name).get("input"));
            for (int i = 0; i < produced.size(); i++) {
                JsonNode data = JsonTrees.parseOrNull(produced.get(i).data());
                assertEquals(produced.get(i).event(), data.path("type").asText(), name);
                assertEquals(i, data.path("sequence_number").asInt(), name + ": " + produced.get(i).data());
            }
            long terminals = produced.stream().filter(e -> ResponsesStreamEnding.INSTANCE.closes(e)).count();
            assertEquals(1, terminals, name);
            assertTrue(ResponsesStreamEnding.INSTANCE.closes(produced.get(produced.size() - 1)), name);
        }
    }

    @Test
    void theCompletedEventWaitsForTheUsageThatFollowsTheFinishChunk() {
        List<SseEvent> upstream = GoldenFiles.events(Golden.load("stream/text").get("input"));
        StreamTranslator stream = stream();
        for (SseEvent event : upstream.subList(0, 3)) {
            stream.onEvent(event);
        }

        List<SseEvent> onFinish = stream.onEvent(upstream.get(3));
        List<SseEvent> onUsage = stream.onEvent(upstream.get(4));

        assertEquals(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done"),
                onFinish.stream().map(SseEvent::event).toList());
        assertEquals(List.of("response.completed"), onUsage.stream().map(SseEvent::event).toList());
        assertTrue(stream.onEvent(upstream.get(5)).isEmpty(), "[DONE] after the terminal event adds nothing");
        assertTrue(stream.onEnd().isEmpty(), "nothing at the end of a closed stream");
    }

    @Test
    void aStreamThatProducedNothingEndsWithNothingSoTheRelayCanFailTheAttempt() {
        StreamTranslator silent = stream();
        StreamTranslator onlyDone = stream();

        assertEquals(List.of(), onlyDone.onEvent(SseEvent.data("[DONE]")));
        assertEquals(List.of(), silent.onEnd());
        assertEquals(List.of(), onlyDone.onEnd());
    }

    @Test
    void theGatewayCuttingAStreamShortIsTheNextNumberedEventAndTheLast() {
        List<SseEvent> upstream = GoldenFiles.events(Golden.load("stream/text").get("input"));
        StreamTranslator stream = stream();
        List<SseEvent> produced = new ArrayList<>();
        for (SseEvent event : upstream.subList(0, 2)) {
            produced.addAll(stream.onEvent(event));
        }

        SseEvent cut = stream.cutShort(504, "The upstream stalled");

        assertEquals("response.failed", cut.event());
        JsonNode data = JsonTrees.parseOrNull(cut.data());
        assertEquals(produced.size(), data.path("sequence_number").asInt(), cut.data());
        assertEquals("server_error", data.path("response").path("error").path("code").asText());
        assertEquals("The upstream stalled", data.path("response").path("error").path("message").asText());
        assertEquals("failed", data.path("response").path("status").asText());
        assertEquals("in_progress", data.path("response").path("output").path(0).path("status").asText(),
                "the message never closed is not reported as complete: " + cut.data());
        assertTrue(stream.onEnd().isEmpty());
        assertTrue(stream.onEvent(upstream.get(2)).isEmpty());
        assertNull(stream.cutShort(504, "again"), "a closed stream has nothing more to say");
    }

    @Test
    void aRateLimitInTheMiddleKeepsItsCodeForCodex() {
        List<SseEvent> produced = GoldenFiles.run(stream(), Golden.load("stream/error").get("input"));

        JsonNode failed = JsonTrees.parseOrNull(produced.get(produced.size() - 1).data());
        assertEquals("rate_limit_exceeded", failed.path("response").path("error").path("code").asText());
        assertTrue(failed.path("response").path("error").path("message").asText().contains("try again in 20s"));
    }

    @Test
    void aStreamFailedBeforeAnyEventIsFramedAsItsFirstEvent() {
        SseEvent failed = ResponsesDialect.INSTANCE.streamError(
                "{\"error\":{\"message\":\"No credential\",\"type\":\"rate_limit_error\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}");

        assertEquals("response.failed", failed.event());
        assertTrue(failed.isError(), "the relay and the key masking treat it as an error");
        JsonNode data = JsonTrees.parseOrNull(failed.data());
        assertEquals(0, data.path("sequence_number").asInt());
        assertEquals("rate_limit_exceeded", data.path("response").path("error").path("code").asText());
        assertEquals("No credential", data.path("response").path("error").path("message").asText());
        assertNotNull(data.path("response").path("id").textValue());
    }
}
