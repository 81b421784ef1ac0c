package io.caravan.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.SseEvent;
import io.caravan.dialects.Dialects;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassthroughStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SseEvent DONE = SseEvent.data("[DONE]");

    private static final SseEvent OPENAI_FIRST = SseEvent.data(
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    private static final SseEvent OPENAI_TEXT = SseEvent.data(
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}");
    private static final SseEvent OPENAI_FINISH = SseEvent.data(
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{},\"finish_reason\":\"stop\"}]}");
    private static final SseEvent OPENAI_USAGE = SseEvent.data(
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}");

    private static SseEvent anthropic(String type) {
        return SseEvent.named(type, "{\"type\":\"" + type + "\"}");
    }

    /** Feeds every event, then the end, and returns everything the caller would receive. */
    private static List<SseEvent> run(PassthroughStream stream, SseEvent... events) {
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent e : events) {
            out.addAll(stream.onEvent(e));
        }
        out.addAll(stream.onEnd());
        return out;
    }

    private static long doneCount(List<SseEvent> events) {
        return events.stream().filter(e -> "[DONE]".equals(e.data())).count();
    }

    // ---------------------------------------------------------------- OpenAI

    @Test
    void openAiEventsPassUnchanged() {
        PassthroughStream stream = new PassthroughStream(Dialects.OPENAI, "req_1");

        List<SseEvent> out = stream.onEvent(OPENAI_TEXT);

        assertEquals(1, out.size());
        assertSame(OPENAI_TEXT, out.get(0));
    }

    @Test
    void anOpenAiStreamThatFinishedButOmittedDoneGetsOne() {
        List<SseEvent> out = run(new PassthroughStream(Dialects.OPENAI, "req_1"),
                OPENAI_FIRST, OPENAI_TEXT, OPENAI_FINISH);

        assertEquals(List.of(OPENAI_FIRST, OPENAI_TEXT, OPENAI_FINISH, DONE), out);
    }

    @Test
    void aFinishReasonWrittenWithASpaceCountsToo() {
        SseEvent spaced = SseEvent.data("{\"choices\": [{\"index\": 0, \"delta\": {}, \"finish_reason\": \"length\"}]}");

        List<SseEvent> out = run(new PassthroughStream(Dialects.OPENAI, "req_1"), OPENAI_TEXT, spaced);

        assertEquals(List.of(OPENAI_TEXT, spaced, DONE), out);
    }

    @Test
    void aFinishedOpenAiStreamWithAUsageChunkGetsDoneAfterTheUsage() {
        List<SseEvent> out = run(new PassthroughStream(Dialects.OPENAI, "req_1"),
                OPENAI_TEXT, OPENAI_FINISH, OPENAI_USAGE);

        assertEquals(List.of(OPENAI_TEXT, OPENAI_FINISH, OPENAI_USAGE, DONE), out);
    }

    @Test
    void anUpstreamDoneIsPassedOnceAndNoneIsAdded() {
        List<SseEvent> out = run(new PassthroughStream(Dialects.OPENAI, "req_1"),
                OPENAI_TEXT, OPENAI_FINISH, DONE);

        assertEquals(List.of(OPENAI_TEXT, OPENAI_FINISH, DONE), out);
        assertEquals(1, doneCount(out));
    }

    @Test
    void nothingPassesAfterTheUpstreamDone() {
        PassthroughStream stream = new PassthroughStream(Dialects.OPENAI, "req_1");
        List<SseEvent> out = run(stream, OPENAI_FINISH, DONE, OPENAI_TEXT, DONE);

        assertEquals(List.of(OPENAI_FINISH, DONE), out);
        assertEquals(1, doneCount(out));
    }

    @Test
    void anOpenAiStreamCutBeforeItsFinishEndsWithAnInBandError() throws Exception {
        List<SseEvent> out = run(new PassthroughStream(Dialects.OPENAI, "req_7"), OPENAI_FIRST, OPENAI_TEXT);

        assertEquals(3, out.size());
        assertEquals(List.of(OPENAI_FIRST, OPENAI_TEXT), out.subList(0, 2));
        SseEvent error = out.get(2);
        assertNull(error.event(), "OpenAI streams carry no event names");
        JsonNode body = JSON.readTree(error.data());
        assertEquals("server_error", body.path("error").path("type").asText());
        assertTrue(body.path("error").path("message").asText().contains("before the answer was complete"),
                body.toString());
        assertTrue(body.path("error").has("param") && body.path("error").get("param").isNull());
        assertEquals(0, doneCount(out), "a cut stream must not look finished");
    }

    @Test
    void aNullFinishReasonIsNotAFinish() throws Exception {
        List<SseEvent> out = run(new PassthroughStream(Dialects.OPENAI, "req_1"), OPENAI_FIRST);

        assertEquals(2, out.size());
        assertTrue(JSON.readTree(out.get(1).data()).has("error"));
        assertEquals(0, doneCount(out));
    }

    @Test
    void aFinishReasonQuotedInsideTheAnswerTextIsNotAFinish() throws Exception {
        SseEvent sneaky = SseEvent.data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                + "\"say \\\"finish_reason\\\":\\\"stop\\\" please\"},\"finish_reason\":null}]}");
        JSON.readTree(sneaky.data()); // the fixture is valid JSON

        List<SseEvent> out = run(new PassthroughStream(Dialects.OPENAI, "req_1"), sneaky);

        assertEquals(2, out.size());
        assertTrue(JSON.readTree(out.get(1).data()).has("error"), out.get(1).data());
    }

    @Test
    void anEmptyOpenAiStreamEndsWithAnError() throws Exception {
        List<SseEvent> out = new PassthroughStream(Dialects.OPENAI, "req_1").onEnd();

        assertEquals(1, out.size());
        assertTrue(JSON.readTree(out.get(0).data()).has("error"));
    }

    // ---------------------------------------------------------------- Anthropic

    @Test
    void aCompleteAnthropicStreamPassesUnchangedWithNothingAdded() {
        SseEvent start = anthropic("message_start");
        SseEvent delta = anthropic("message_delta");
        SseEvent stop = anthropic("message_stop");

        List<SseEvent> out = run(new PassthroughStream(Dialects.ANTHROPIC, "req_1"), start, delta, stop);

        assertEquals(List.of(start, delta, stop), out);
    }

    @Test
    void anAnthropicStreamEndedWithoutMessageStopGetsAnErrorEvent() throws Exception {
        SseEvent start = anthropic("message_start");
        SseEvent delta = anthropic("content_block_delta");

        List<SseEvent> out = run(new PassthroughStream(Dialects.ANTHROPIC, "req_42"), start, delta);

        assertEquals(3, out.size());
        assertEquals(List.of(start, delta), out.subList(0, 2));
        SseEvent error = out.get(2);
        assertEquals("error", error.event());
        JsonNode body = JSON.readTree(error.data());
        assertEquals("error", body.path("type").asText());
        assertEquals("api_error", body.path("error").path("type").asText());
        assertTrue(body.path("error").path("message").asText().contains("before the answer was complete"),
                body.toString());
        assertEquals("req_42", body.path("request_id").asText());
    }

    @Test
    void anAnthropicMessageDeltaAloneIsNotTheEnd() {
        List<SseEvent> out = run(new PassthroughStream(Dialects.ANTHROPIC, "req_1"),
                anthropic("message_start"), anthropic("message_delta"));

        assertEquals("error", out.get(out.size() - 1).event());
    }

    @Test
    void anUpstreamAnthropicErrorEndsTheStreamWithoutASecondError() {
        SseEvent upstreamError = SseEvent.named("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");

        List<SseEvent> out = run(new PassthroughStream(Dialects.ANTHROPIC, "req_1"),
                anthropic("message_start"), upstreamError, anthropic("content_block_delta"));

        assertEquals(List.of(anthropic("message_start"), upstreamError), out);
    }

    @Test
    void anthropicPingsPassThrough() {
        SseEvent ping = SseEvent.named("ping", "{\"type\": \"ping\"}");
        PassthroughStream stream = new PassthroughStream(Dialects.ANTHROPIC, "req_1");

        assertEquals(List.of(ping), stream.onEvent(ping));
    }

    // ---------------------------------------------------------------- after the end

    @Test
    void nothingIsProducedAfterMessageStop() {
        PassthroughStream stream = new PassthroughStream(Dialects.ANTHROPIC, "req_1");
        stream.onEvent(anthropic("message_stop"));

        assertEquals(List.of(), stream.onEvent(anthropic("ping")));
        assertEquals(List.of(), stream.onEnd());
        assertEquals(List.of(), stream.onEnd());
    }

    @Test
    void nothingIsProducedAfterTheEndWasHandled() {
        for (Dialect dialect : Dialects.all()) {
            PassthroughStream stream = new PassthroughStream(dialect, "req_1");
            assertEquals(1, stream.onEnd().size(), dialect + ": the first end produces the closing event");

            assertEquals(List.of(), stream.onEvent(OPENAI_TEXT), dialect.toString());
            assertEquals(List.of(), stream.onEvent(anthropic("message_stop")), dialect.toString());
            assertEquals(List.of(), stream.onEnd(), dialect.toString());
        }
    }

    @Test
    void anAddedDoneIsNotRepeatedByASecondEnd() {
        PassthroughStream stream = new PassthroughStream(Dialects.OPENAI, "req_1");
        stream.onEvent(OPENAI_FINISH);

        assertEquals(List.of(DONE), stream.onEnd());
        assertEquals(List.of(), stream.onEnd());
        assertEquals(List.of(), stream.onEvent(DONE));
    }
}
