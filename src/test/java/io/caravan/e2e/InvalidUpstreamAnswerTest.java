package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 2xx answers that are no answers, through the booted gateway: larger than the gateway's limits, not an answer of
 * the upstream's dialect, or a stream that starts with the provider's error. Before anything reached the caller each
 * is an upstream fault (the credential cooled, the next one asked); after the first event, an in-band error. A fresh
 * gateway per test makes the first lease deterministic: round-robin starts with the first credential of the file.
 * The limits are lowered so that the test bodies stay small.
 */
class InvalidUpstreamAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final int MAX_EVENT_BYTES = 16 * 1024;
    private static final String EVENT_STREAM = "text/event-stream";

    private FakeUpstream first;
    private FakeUpstream second;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private RawClient start(FakeUpstream firstUpstream, FakeUpstream secondUpstream, String... settings) throws Exception {
        first = firstUpstream;
        second = secondUpstream;
        TestGateway.Builder b = TestGateway.builder()
                .credential("first", first, "[m]").credential("second", second, "[m]")
                .set("caravan.limits.max-answer-bytes", Integer.toString(MAX_ANSWER_BYTES))
                .set("caravan.limits.max-event-bytes", Integer.toString(MAX_EVENT_BYTES));
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        gateway = b.start();
        return new RawClient(gateway);
    }

    private RawClient startOpenAi(String... settings) throws Exception {
        return start(FakeUpstream.openAi(), FakeUpstream.openAi(), settings);
    }

    private boolean cooling(String credential) {
        return gateway.pool().credential(credential).coolingRemainingNanos(System.nanoTime()) > 0;
    }

    private void assertAnsweredBySecond(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Hello from " + second.name(),
                JSON.readTree(r.body()).path("choices").path(0).path("message").path("content").asText(), r.body());
        assertEquals(1, first.requestCount());
        assertEquals(1, second.requestCount());
        assertTrue(cooling("first"), "the credential that sent no answer cools down like after a 5xx");
    }

    // ---- bounded buffers ------------------------------------------------------------------------------------

    @Test
    void anAnswerDeclaredLargerThanTheLimitIsRefusedAndTheNextCredentialAnswers() throws Exception {
        RawClient client = startOpenAi();
        first.enqueue(Reply.oversized(4 * MAX_ANSWER_BYTES));
        assertAnsweredBySecond(client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false)));
    }

    @Test
    void anAnswerGrowingPastTheLimitIsCutOffNotDrainedAndTheNextCredentialAnswers() throws Exception {
        RawClient client = startOpenAi();
        first.enqueue(Reply.oversizedUndeclared(4 * MAX_ANSWER_BYTES));
        assertAnsweredBySecond(client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false)));
        assertNotNull(first.awaitAbort(Duration.ofSeconds(5)), "the gateway closed the oversized answer's connection");
    }

    @Test
    void everyCredentialOverTheLimitGivesA502SayingTheAnswerWasNotValid() throws Exception {
        RawClient client = startOpenAi();
        first.enqueue(Reply.oversizedUndeclared(4 * MAX_ANSWER_BYTES));
        second.enqueue(Reply.oversized(4 * MAX_ANSWER_BYTES));
        HttpResponse<String> r = client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false));
        assertEquals(502, r.statusCode(), r.body());
        String message = JSON.readTree(r.body()).path("error").path("message").asText();
        assertTrue(message.contains("not valid") && message.contains("larger than"), r.body());
    }

    @Test
    void aStreamLineThatNeverEndsIsRefusedBeforeTheFirstEventAndTheNextCredentialStreams() throws Exception {
        RawClient client = startOpenAi();
        first.enqueue(Reply.unterminatedLineAfter(-1, 8 * MAX_EVENT_BYTES));
        Instant asked = Instant.now();
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true));
        // Liveness, not speed: the line is refused when it passes the limit, not when the first-byte time-out ends it.
        assertTrue(Duration.between(asked, Instant.now()).toSeconds() < 20, "answered long before any time-out");
        assertEquals(200, c.status());
        assertEquals(List.of("Hello", "from", second.name()), words(c), c.text());
        assertEquals(1, c.count("data: [DONE]"));
        assertNotNull(first.awaitAbort(Duration.ofSeconds(5)), "the gateway closed the endless line's connection");
        assertTrue(cooling("first"));
    }

    @Test
    void aLineBeyondTheLimitAfterTheFirstEventEndsTheStreamWithAnInBandError() throws Exception {
        RawClient client = startOpenAi();
        first.enqueue(Reply.unterminatedLineAfter(2, 8 * MAX_EVENT_BYTES));
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true));
        assertEquals(200, c.status());
        List<String> data = c.dataLines();
        JsonNode error = JSON.readTree(data.get(data.size() - 1)).path("error");
        assertTrue(error.path("message").asText().contains("larger than"), c.text());
        assertEquals(0, c.count("data: [DONE]"), "a stream cut short is not presented as finished");
        assertNotNull(first.awaitAbort(Duration.ofSeconds(5)), "the upstream was cut off");
        assertEquals(0, second.requestCount(), "no rotation once the caller has events");
    }

    @Test
    void anAnthropicEventBeyondTheLimitAfterTheFirstEventEndsWithAnErrorEvent() throws Exception {
        RawClient client = start(FakeUpstream.anthropic(), FakeUpstream.anthropic());
        first.enqueue(Reply.unterminatedLineAfter(1, 8 * MAX_EVENT_BYTES));
        RawClient.Capture c = client.stream(RawClient.MESSAGES, RawClient.messages("m", "hi", true));
        assertEquals(200, c.status());
        List<String> events = c.eventNames();
        assertEquals("error", events.get(events.size() - 1), c.text());
        List<String> data = c.dataLines();
        assertTrue(JSON.readTree(data.get(data.size() - 1)).path("error").path("message").asText().contains("larger than"),
                c.text());
        assertFalse(events.contains("message_stop"), c.text());
    }

    // ---- 2xx answers that are not answers -------------------------------------------------------------------

    static Stream<Arguments> notAnswers() {
        return Stream.of(
                Arguments.of("an HTML login page", Reply.html(200)),
                Arguments.of("garbage", Reply.error(200, "garbage \u0000\u0001 not json", Map.of())),
                Arguments.of("truncated JSON", Reply.error(200,
                        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,", Map.of())),
                Arguments.of("JSON with trailing bytes", Reply.error(200, "{\"choices\":[]} <html>", Map.of())),
                Arguments.of("JSON of another shape", Reply.error(200, "{\"object\":\"list\",\"data\":[]}", Map.of())),
                Arguments.of("a JSON array", Reply.error(200, "[{\"choices\":[]}]", Map.of())),
                Arguments.of("JSON nested deeper than any parser takes", Reply.error(200,
                        "{\"choices\":[" + "[".repeat(2000) + "]".repeat(2000) + "]}", Map.of())),
                Arguments.of("an empty body", Reply.error(200, "", Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notAnswers")
    void aSuccessThatIsNoAnswerRotatesAndCoolsTheCredential(String what, Reply notAnAnswer) throws Exception {
        RawClient client = startOpenAi();
        first.enqueue(notAnAnswer);
        assertAnsweredBySecond(client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false)));
    }

    @Test
    void everyCredentialAnsweringALoginPageGivesA502InTheCallersDialect() throws Exception {
        RawClient client = start(FakeUpstream.anthropic(), FakeUpstream.anthropic());
        first.enqueue(Reply.html(200));
        second.enqueue(Reply.html(200));
        HttpResponse<String> r = client.post(RawClient.MESSAGES, RawClient.messages("m", "hi", false));
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("error", body.path("type").asText(), r.body());
        assertTrue(body.path("error").path("message").asText().contains("not valid"), r.body());
        assertFalse(r.body().contains("<html"), r.body());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notAnswers")
    void aTranslatedSuccessThatIsNoAnswerGivesAClean502(String what, Reply notAnAnswer) throws Exception {
        RawClient client = startOpenAi("caravan.request-retry", "0");
        first.enqueue(notAnAnswer);
        HttpResponse<String> r = client.post(RawClient.MESSAGES, RawClient.messages("m", "hi", false));
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("error", body.path("type").asText(), r.body());
        assertTrue(body.path("error").path("message").asText().contains("not valid"), r.body());
        assertFalse(r.body().contains("anthropic-version"), "no request header is reflected: " + r.body());
        assertTrue(cooling("first"));
        gateway.awaitLeasesBalanced(Duration.ofSeconds(5));
        assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount(), "no lease leaked");
    }

    @Test
    void aTokenCountThatIsNoTokenCountRotates() throws Exception {
        RawClient client = start(FakeUpstream.anthropic(), FakeUpstream.anthropic());
        first.enqueue(Reply.html(200));
        HttpResponse<String> r = client.post("/v1/messages/count_tokens",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).path("input_tokens").isInt(), r.body());
        assertEquals(1, second.requestCount());
    }

    static Stream<Arguments> notStreams() {
        return Stream.of(
                Arguments.of("an HTML page", Reply.html(200)),
                Arguments.of("a whole JSON answer", Reply.error(200,
                        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}", Map.of())),
                Arguments.of("an event stream of garbage", Reply.error(200, "data: <html>garbage</html>\n\n",
                        Map.of("content-type", EVENT_STREAM))),
                Arguments.of("an event stream of JSON of another shape", Reply.error(200,
                        "data: {\"object\":\"list\"}\n\ndata: [DONE]\n\n", Map.of("content-type", EVENT_STREAM))),
                Arguments.of("an event stream with no event", Reply.error(200, "<html><body>login</body></html>\n",
                        Map.of("content-type", EVENT_STREAM))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notStreams")
    void aStreamSuccessThatIsNoStreamRotatesBeforeTheFirstEvent(String what, Reply notAStream) throws Exception {
        RawClient client = startOpenAi();
        first.enqueue(notAStream);
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true));
        assertEquals(200, c.status());
        assertEquals(List.of("Hello", "from", second.name()), words(c), c.text());
        assertEquals(1, c.count("data: [DONE]"));
        assertFalse(c.text().contains("html"), c.text());
        assertTrue(cooling("first"));
    }

    // ---- a stream whose first event is the provider's error -------------------------------------------------

    @Test
    void anAnthropicStreamStartingWithAnOverloadedErrorRotates() throws Exception {
        RawClient client = start(FakeUpstream.anthropic(), FakeUpstream.anthropic());
        first.enqueue(Reply.streamErrorFirst());
        RawClient.Capture c = client.stream(RawClient.MESSAGES, RawClient.messages("m", "hi", true));
        assertEquals(200, c.status());
        assertFalse(c.eventNames().contains("error"), c.text());
        assertEquals("message_stop", c.eventNames().get(c.eventNames().size() - 1), c.text());
        assertEquals(1, second.requestCount());
        assertTrue(cooling("first"));
    }

    @Test
    void everyAnthropicStreamStartingWithAnOverloadedErrorGives529() throws Exception {
        RawClient client = start(FakeUpstream.anthropic(), FakeUpstream.anthropic());
        first.enqueue(Reply.streamErrorFirst());
        second.enqueue(Reply.streamErrorFirst());
        HttpResponse<String> r = client.post(RawClient.MESSAGES, RawClient.messages("m", "hi", true));
        assertEquals(529, r.statusCode(), r.body());
        assertEquals("overloaded_error", JSON.readTree(r.body()).path("error").path("type").asText(), r.body());
    }

    @Test
    void anOpenAiStreamStartingWithAnErrorRotates() throws Exception {
        RawClient client = startOpenAi();
        first.enqueue(Reply.streamErrorFirst());
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true));
        assertEquals(200, c.status());
        assertEquals(List.of("Hello", "from", second.name()), words(c), c.text());
        assertFalse(c.text().contains("\"error\""), c.text());
        assertTrue(cooling("first"));
    }

    @Test
    void aStreamStartingWithARateLimitErrorIsA429WithoutSpendingARetry() throws Exception {
        RawClient client = start(FakeUpstream.anthropic(), FakeUpstream.anthropic(), "caravan.request-retry", "0");
        first.enqueue(Reply.error(200, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"Too many requests\"}}\n\n", Map.of("content-type", EVENT_STREAM)));
        second.enqueue(Reply.error(200, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"Internal error\"}}\n\n", Map.of("content-type", EVENT_STREAM)));
        HttpResponse<String> r = client.post(RawClient.MESSAGES, RawClient.messages("m", "hi", true));
        assertEquals(500, r.statusCode(), r.body());
        assertEquals("api_error", JSON.readTree(r.body()).path("error").path("type").asText(), r.body());
        assertEquals(1, second.requestCount(), "the 429 rotated although no retry was left");
    }

    private static List<String> words(RawClient.Capture c) {
        StringBuilder text = new StringBuilder();
        for (String d : c.dataLines()) {
            if (!d.equals("[DONE]")) {
                text.append(readTree(d).path("choices").path(0).path("delta").path("content").asText(""));
            }
        }
        return List.of(text.toString().trim().split(" "));
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
