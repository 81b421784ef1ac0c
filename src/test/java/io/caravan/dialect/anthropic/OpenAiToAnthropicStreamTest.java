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

class OpenAiToAnthropicStreamTest {

    /** The request id every stream under test serves; the golden files' error events quote it. */
    private static final String REQUEST_ID = "req_test";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text-usage-late", "tool-calls", "reasoning", "error", "rate-limit-error",
            "no-usage-done", "truncated", "gemini-tool-call", "done-without-finish", "finish-without-done",
            "malformed-event"})
    void reframesTheStreamAsTheGoldenFileSays(String name) {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/" + name);
        StreamTranslator stream = new OpenAiToAnthropicStream(golden.get("model").textValue(), REQUEST_ID, GoldenFiles.sequentialIds());

        List<SseEvent> produced = GoldenFiles.run(stream, golden.get("input"));

        GoldenFiles.assertEvents(golden.get("expected"), produced);
    }

    @Test
    void everyEventIsNamedAfterItsType() {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/tool-calls");
        StreamTranslator stream = new OpenAiToAnthropicStream("m", REQUEST_ID, GoldenFiles.sequentialIds());

        for (SseEvent event : GoldenFiles.run(stream, golden.get("input"))) {
            assertEquals(event.event(), JsonTrees.text(JsonTrees.parseOrNull(event.data()), "type"), event.data());
        }
    }

    @Test
    void messageDeltaWaitsForTheUsageThatFollowsTheFinishChunk() {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/text-usage-late");
        StreamTranslator stream = new OpenAiToAnthropicStream("m", REQUEST_ID, GoldenFiles.sequentialIds());
        List<SseEvent> upstream = GoldenFiles.events(golden.get("input"));
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

    @Test
    void aStreamThatProducedNothingEndsWithNothingSoTheRelayCanFailTheAttempt() {
        StreamTranslator silent = new OpenAiToAnthropicStream("m", REQUEST_ID, GoldenFiles.sequentialIds());
        StreamTranslator onlyDone = new OpenAiToAnthropicStream("m", REQUEST_ID, GoldenFiles.sequentialIds());

        assertEquals(List.of(), onlyDone.onEvent(SseEvent.data("[DONE]")));
        assertEquals(List.of(), silent.onEnd());
        assertEquals(List.of(), onlyDone.onEnd());
    }

    @Test
    void aStreamCutShortEndsWithExactlyOneErrorAndNothingAfterIt() {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/truncated");
        StreamTranslator stream = new OpenAiToAnthropicStream("m", REQUEST_ID, GoldenFiles.sequentialIds());
        List<SseEvent> produced = GoldenFiles.run(stream, golden.get("input"));

        SseEvent last = produced.get(produced.size() - 1);
        JsonNode error = JsonTrees.parseOrNull(last.data());
        assertEquals("error", last.event());
        assertEquals("api_error", error.path("error").path("type").asText(), last.data());
        assertEquals(UpstreamStreamFaults.ENDED_EARLY, error.path("error").path("message").asText(), last.data());
        assertEquals(REQUEST_ID, error.path("request_id").asText(), last.data());
        assertTrue(produced.stream().noneMatch(e -> e.event().startsWith("message_") && !e.event().equals("message_start")),
                "no message_delta or message_stop: " + produced);
        assertTrue(stream.onEnd().isEmpty(), "a second end adds nothing");
        assertTrue(stream.onEvent(SseEvent.data("[DONE]")).isEmpty(), "nor a late [DONE]");
    }

    @Test
    void theUsageChunkAfterTheFinishChunkIsAwaitedButNotRequired() {
        JsonNode golden = Golden.load("stream/openai-to-anthropic/text-usage-late");
        List<SseEvent> upstream = GoldenFiles.events(golden.get("input"));
        StreamTranslator stream = new OpenAiToAnthropicStream("m", REQUEST_ID, GoldenFiles.sequentialIds());
        for (SseEvent event : upstream.subList(0, 4)) {
            stream.onEvent(event);
        }

        List<SseEvent> atEnd = stream.onEnd();

        assertEquals(List.of("message_delta", "message_stop"), atEnd.stream().map(SseEvent::event).toList(),
                "a finish_reason finished the answer; only its usage is missing");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<html><body>Bad Gateway</body></html>", "{\"id\": \"chatcmpl-1\", \"choi",
            "[1, 2]", "42", "\"text\"", "null", "DONE"})
    void dataThatIsNotAJsonObjectEndsTheStreamWithAnInBandError(String data) {
        StreamTranslator stream = startedStream();

        List<SseEvent> out = stream.onEvent(SseEvent.data(data));

        assertEquals(1, out.size(), out.toString());
        assertEquals("error", out.get(0).event());
        assertEquals(UpstreamStreamFaults.MALFORMED_EVENT,
                JsonTrees.parseOrNull(out.get(0).data()).path("error").path("message").asText(), out.toString());
        assertTrue(stream.onEnd().isEmpty(), "nothing after the error");
    }

    @Test
    void anEventWithoutDataCarriesNothingAndIsNoFault() {
        StreamTranslator stream = startedStream();

        assertEquals(List.of(), stream.onEvent(SseEvent.data("")));
        assertEquals(List.of(), stream.onEvent(SseEvent.data("  ")));
    }

    /** Every field a chunk, its choice, delta and tool call may carry, set to every wrong kind of value: none may throw. */
    @Test
    void wronglyTypedFieldsNeverThrow() {
        List<String> wrongValues = List.of("\"s\"", "1", "-1", "1.5", "[]", "[1]", "[{}]", "null", "true", "{}");
        List<String> templates = new ArrayList<>();
        for (String field : List.of("id", "choices", "usage", "error")) {
            templates.add("{\"" + field + "\": %s}");
        }
        for (String field : List.of("index", "delta", "finish_reason")) {
            templates.add("{\"choices\": [{\"" + field + "\": %s}]}");
        }
        for (String field : List.of("content", "reasoning_content", "reasoning", "reasoning_signature", "tool_calls")) {
            templates.add("{\"choices\": [{\"delta\": {\"" + field + "\": %s}}]}");
        }
        for (String field : List.of("index", "id", "function")) {
            templates.add("{\"choices\": [{\"delta\": {\"tool_calls\": [{\"" + field + "\": %s}]}}]}");
        }
        templates.add("{\"choices\": [{\"delta\": {\"tool_calls\": [{\"function\": {\"name\": %1$s, "
                + "\"arguments\": %1$s}}]}}]}");
        templates.add("{\"choices\": [], \"usage\": {\"prompt_tokens\": %1$s, \"completion_tokens\": %1$s, "
                + "\"prompt_tokens_details\": %1$s}}");
        int runs = 0;
        for (String template : templates) {
            for (String value : wrongValues) {
                StreamTranslator stream = startedStream();
                String data = String.format(template, value);
                List<SseEvent> out = new ArrayList<>(stream.onEvent(SseEvent.data(data)));
                out.addAll(stream.onEvent(SseEvent.data("{\"choices\": [{\"delta\": {}, \"finish_reason\": \"stop\"}]}")));
                out.addAll(stream.onEnd());
                for (SseEvent event : out) {
                    assertTrue(JsonTrees.parseOrNull(event.data()) != null, data + " -> " + event.data());
                }
                runs++;
            }
        }
        assertEquals(templates.size() * wrongValues.size(), runs);
    }

    /** A translator that has seen the role chunk, so it has sent the caller message_start. */
    private static StreamTranslator startedStream() {
        StreamTranslator stream = new OpenAiToAnthropicStream("m", REQUEST_ID, GoldenFiles.sequentialIds());
        stream.onEvent(GoldenFiles.events(Golden.load("stream/openai-to-anthropic/truncated").get("input")).get(0));
        return stream;
    }
}
