package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import io.caravan.testing.RecordedRequest;
import io.caravan.testing.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Responses API's WebSocket mode through the booted gateway, with the JDK's WebSocket client: each
 * {@code response.create} frame is one turn through the Responses route (translated to Chat Completions here),
 * answered with one frame per event, and errors as {@code {"type":"error","status":N,"error":{…}}} frames.
 */
class ResponsesWebSocketTest {

    private static final String MODEL = "gpt-w";
    /** Served by the first credential (which fails) and then the second one. */
    private static final String ROTATED = "gpt-w-rotated";
    /** Served by one credential only. */
    private static final String ALONE = "gpt-w-alone";
    /** Served by a credential with {@code apis: [chat, responses]}: Responses requests go to it unchanged. */
    private static final String NATIVE = "gpt-w-native";
    private static final String WORDS = "one two three four five six seven eight nine ten eleven twelve";
    private static final List<String> TEXT_HEAD = List.of("response.created", "response.in_progress",
            "response.output_item.added", "response.content_part.added");
    private static final List<String> TEXT_TAIL = List.of("response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed");

    private static FakeUpstream upstream;
    private static FakeUpstream failing;
    private static FakeUpstream lonely;
    private static FakeUpstream account;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.openAi();
        failing = FakeUpstream.openAi();
        lonely = FakeUpstream.openAi();
        account = FakeUpstream.openAiResponses();
        gateway = TestGateway.builder()
                .rawCredential("  - name: account\n    kind: openai\n    apis: [chat, responses]\n"
                        + "    base-url: " + account.baseUrl() + "\n    api-key: " + account.apiKey() + "\n"
                        + "    models: [" + NATIVE + "]\n")
                .credential("failing", failing, "[" + ROTATED + "]")
                .credential("openai-w", upstream, "[" + MODEL + ", " + ROTATED + "]")
                .credential("lonely", lonely, "[" + ALONE + "]")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (FakeUpstream fake : new FakeUpstream[] {upstream, failing, lonely, account}) {
            if (fake != null) {
                fake.close();
            }
        }
    }

    /** Replies a failed test left queued are used up straight at the fake, so they cannot answer the next test. */
    @AfterEach
    void drainUnusedReplies() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (FakeUpstream fake : new FakeUpstream[] {upstream, failing, lonely}) {
            while (fake.pendingReplies() > 0) {
                http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
                        .header("authorization", "Bearer " + fake.apiKey())
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(RawClient.chat("drain", "drain", false)))
                        .build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    private static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    /** Every frame is one event payload, numbered from 0 upwards as the SSE stream numbers them. */
    private static void assertNumbered(List<JsonNode> frames) {
        long previous = -1;
        for (JsonNode frame : frames) {
            assertTrue(frame.path("sequence_number").isIntegralNumber(), frame.toString());
            long number = frame.path("sequence_number").asLong();
            assertTrue(number > previous, "sequence_number not increasing at " + frame);
            previous = number;
        }
        assertEquals(0, frames.get(0).path("sequence_number").asLong());
    }

    private static void assertTextAnswer(List<JsonNode> frames, String text) {
        assertNumbered(frames);
        List<String> types = types(frames);
        assertEquals(TEXT_HEAD, types.subList(0, 4), types.toString());
        assertEquals(TEXT_TAIL, types.subList(types.size() - 4, types.size()), types.toString());
        assertTrue(types.subList(4, types.size() - 4).stream().allMatch("response.output_text.delta"::equals),
                types.toString());
        StringBuilder deltas = new StringBuilder();
        frames.stream().filter(f -> f.path("type").asText().equals("response.output_text.delta"))
                .forEach(f -> deltas.append(f.path("delta").asText()));
        assertEquals(text, deltas.toString());
        JsonNode completed = frames.get(frames.size() - 1).path("response");
        assertEquals(frames.get(0).path("response").path("id").asText(), completed.path("id").asText());
        assertEquals("completed", completed.path("status").asText());
        assertEquals(text, completed.path("output").path(0).path("content").path(0).path("text").asText());
    }

    private static String completedId(List<JsonNode> frames) {
        return frames.get(frames.size() - 1).path("response").path("id").asText();
    }

    private static JsonNode messages(RecordedRequest request) {
        return request.json().path("messages");
    }

    // ---- turns -----------------------------------------------------------------------------------------------

    @Test
    void aTextTurnComesBackOneEventPerFrame() throws Exception {
        upstream.enqueue(Reply.text("one two three"));
        int before = upstream.requestCount();
        try (WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            caller.create("\"model\":\"" + MODEL + "\",\"input\":\"hi\"");

            assertTextAnswer(caller.turn(), "one two three");
        }
        RecordedRequest sent = upstream.awaitRequests(before + 1, Duration.ofSeconds(5)).get(before);
        assertTrue(sent.json().path("stream").asBoolean(), "a turn streams from the upstream: " + sent.body());
        assertEquals("hi", messages(sent).path(0).path("content").asText(), sent.body());
        assertFalse(sent.body().contains("response.create"), sent.body());
        assertFalse(sent.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("openai-beta")),
                "the socket's beta flag is not the upstream's: " + sent.headers());
    }

    @Test
    void oneSocketCarriesSeveralTurnsAndTheNextContinuesThePrevious() throws Exception {
        upstream.enqueue(Reply.text("Sunny in Paris")).enqueue(Reply.text("Rain tomorrow"));
        int before = upstream.requestCount();
        try (WebSocketCaller caller = WebSocketCaller.open(gateway);
                LogCapture logs = LogCapture.capture()) {
            caller.create("\"model\":\"" + MODEL + "\",\"input\":\"Weather in Paris?\"");
            List<JsonNode> first = caller.turn();
            assertTextAnswer(first, "Sunny in Paris");

            // As Codex CLI continues on its socket: the previous response by id, and only what is new.
            caller.create("\"model\":\"" + MODEL + "\",\"previous_response_id\":\"" + completedId(first) + "\","
                    + "\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"And tomorrow?\"}]");
            assertTextAnswer(caller.turn(), "Rain tomorrow");

            RecordedRequest second = upstream.awaitRequests(before + 2, Duration.ofSeconds(5)).get(before + 1);
            JsonNode messages = messages(second);
            assertEquals(3, messages.size(), second.body());
            assertEquals("Weather in Paris?", messages.path(0).path("content").asText(), second.body());
            assertEquals("assistant", messages.path(1).path("role").asText(), second.body());
            assertTrue(messages.path(1).toString().contains("Sunny in Paris"), second.body());
            assertEquals("And tomorrow?", messages.path(2).path("content").asText(), second.body());

            gateway.awaitNothingInFlight(Duration.ofSeconds(5));
            List<String> lines = logs.of("caravan.access").stream().filter(l -> l.contains(" endpoint=responses "))
                    .toList();
            assertEquals(2, lines.size(), "one access-log line per turn: " + lines);
            assertTrue(lines.stream().allMatch(l -> l.contains(" stream=true ") && l.contains(" status=200 ")
                    && l.contains(" credential=openai-w ")), lines.toString());
        }
    }

    @Test
    void aPrewarmIsAnsweredWithoutTheUpstreamAndTheFirstTurnContinuesIt() throws Exception {
        upstream.enqueue(Reply.text("Hello there"));
        int before = upstream.requestCount();
        try (WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            String request = "\"model\":\"" + MODEL + "\",\"instructions\":\"Be brief.\","
                    + "\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"Say hello\"}]";
            caller.create(request + ",\"generate\":false");
            List<JsonNode> prewarm = caller.turn();
            assertEquals(List.of("response.created", "response.completed"), types(prewarm));
            assertNumbered(prewarm);
            String prewarmId = completedId(prewarm);
            assertTrue(prewarmId.startsWith("resp_"), prewarmId);
            assertEquals(0, prewarm.get(1).path("response").path("output").size());
            assertEquals(before, upstream.requestCount(), "a prewarm does not reach the upstream");

            // Codex's first real turn after its prewarm: the same request, as the prewarm's continuation, no new input.
            caller.create("\"model\":\"" + MODEL + "\",\"instructions\":\"Be brief.\",\"previous_response_id\":\""
                    + prewarmId + "\",\"input\":[]");
            assertTextAnswer(caller.turn(), "Hello there");
        }
        RecordedRequest sent = upstream.awaitRequests(before + 1, Duration.ofSeconds(5)).get(before);
        assertTrue(sent.body().contains("Say hello"), sent.body());
        assertFalse(sent.body().contains("generate"), sent.body());
    }

    @Test
    void aFunctionCallTurnAndItsOutputMakeARoundTrip() throws Exception {
        upstream.enqueue(Reply.toolCall("get_weather", "{\"city\":\"Paris\"}")).enqueue(Reply.text("Sunny, 21 degrees"));
        int before = upstream.requestCount();
        String tools = "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
        try (WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            caller.create("\"model\":\"" + MODEL + "\",\"input\":\"Weather in Paris?\"," + tools);
            List<JsonNode> call = caller.turn();
            assertNumbered(call);
            assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                    "response.function_call_arguments.delta", "response.function_call_arguments.done",
                    "response.output_item.done", "response.completed"), types(call).stream().distinct().toList());
            JsonNode item = call.get(call.size() - 1).path("response").path("output").path(0);
            assertEquals("function_call", item.path("type").asText());
            assertEquals("get_weather", item.path("name").asText());
            String callId = item.path("call_id").asText();

            caller.create("\"model\":\"" + MODEL + "\",\"previous_response_id\":\"" + completedId(call) + "\","
                    + "\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"" + callId + "\","
                    + "\"output\":\"sunny, 21 degrees\"}]," + tools);
            assertTextAnswer(caller.turn(), "Sunny, 21 degrees");
        }
        RecordedRequest second = upstream.awaitRequests(before + 2, Duration.ofSeconds(5)).get(before + 1);
        JsonNode messages = messages(second);
        assertEquals(3, messages.size(), second.body());
        assertEquals(callId(messages.path(1)), messages.path(2).path("tool_call_id").asText(), second.body());
        assertEquals("tool", messages.path(2).path("role").asText(), second.body());
    }

    private static String callId(JsonNode assistant) {
        return assistant.path("tool_calls").path(0).path("id").asText();
    }

    @Test
    void aTurnForANativeCredentialReachesItUnchangedAndItsContinuationCarriesTheConversation() throws Exception {
        int before = account.requestCount();
        String codexish = "\"model\":\"" + NATIVE + "\",\"store\":false,\"input\":[{\"type\":\"message\",\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_text\",\"text\":\"list files\"}]}],\"tools\":[{\"type\":\"local_shell\"}]";
        try (WebSocketCaller caller = WebSocketCaller.open(gateway, WebSocketCaller.CODEX_BETA + ", responses=v1")) {
            caller.create(codexish);
            List<JsonNode> first = caller.turn();
            assertNumbered(first);
            assertEquals("response.completed", types(first).get(first.size() - 1), types(first).toString());

            RecordedRequest sent = account.awaitRequests(before + 1, Duration.ofSeconds(5)).get(before);
            assertEquals("/v1/responses", sent.path());
            JsonNode expected = WebSocketCaller.JSON.readTree("{" + codexish + ",\"stream\":true}");
            assertEquals(expected, sent.json(), "the request as the frame carried it, streamed");
            assertEquals("responses=v1", sent.header("openai-beta"), "the socket's own beta flag stays here");

            caller.create("\"model\":\"" + NATIVE + "\",\"store\":false,\"previous_response_id\":\""
                    + completedId(first) + "\",\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"more\"}]");
            List<JsonNode> second = caller.turn();
            assertEquals("response.completed", types(second).get(second.size() - 1), types(second).toString());
            RecordedRequest next = account.awaitRequests(before + 2, Duration.ofSeconds(5)).get(before + 1);
            assertFalse(next.json().has("previous_response_id"), next.body());
            JsonNode input = next.json().path("input");
            assertEquals("list files", input.path(0).path("content").path(0).path("text").asText(), next.body());
            assertEquals("more", input.path(input.size() - 1).path("content").asText(), next.body());
            assertTrue(input.size() >= 3, "the first answer's output sits between the two inputs: " + next.body());
        }
    }

    // ---- the handshake ---------------------------------------------------------------------------------------

    @Test
    void aHandshakeWithoutTheClientKeyIsRefused401BeforeUpgrading() throws Exception {
        WebSocketCaller.Refusal refusal = WebSocketCaller.handshake(gateway, "/v1/responses");

        assertEquals(401, refusal.status(), refusal.head());
        JsonNode error = WebSocketCaller.JSON.readTree(refusal.body()).path("error");
        assertEquals("invalid_api_key", error.path("code").asText(), refusal.body());
        assertFalse(refusal.head().toLowerCase().contains("upgrade: websocket"), refusal.head());

        WebSocketCaller.Refusal wrongKey = WebSocketCaller.handshake(gateway, "/v1/responses",
                "Authorization: Bearer not-the-key");
        assertEquals(401, wrongKey.status(), wrongKey.head());
    }

    @Test
    void aPlainGetOfTheEndpointIsStillAWrongMethod() throws Exception {
        WebSocketCaller.Refusal answer = WebSocketCaller.plainGet(gateway, "/v1/responses");

        assertEquals(405, answer.status(), answer.head());
        assertTrue(WebSocketCaller.JSON.readTree(answer.body()).path("error").path("message").isTextual(), answer.body());
    }

    @Test
    void withTheModeDisabledTheUpgradeIsRefused426() throws Exception {
        try (FakeUpstream quiet = FakeUpstream.openAi();
                TestGateway off = TestGateway.builder().credential("quiet", quiet, "[" + MODEL + "]")
                        .set("caravan.responses.websocket.enabled", "false").start()) {
            WebSocketCaller.Refusal refusal = WebSocketCaller.handshake(off, "/v1/responses",
                    "Authorization: Bearer " + TestGateway.CLIENT_KEY, "OpenAI-Beta: " + WebSocketCaller.CODEX_BETA);

            assertEquals(426, refusal.status(), refusal.head());
            assertTrue(WebSocketCaller.JSON.readTree(refusal.body()).path("error").path("message").asText()
                    .contains("POST /v1/responses"), refusal.body());
            assertEquals(0, quiet.requestCount());
        }
    }

    // ---- failures --------------------------------------------------------------------------------------------

    @Test
    void aRateLimitedFirstCredentialIsRotatedAwayBeforeAnyFrame() throws Exception {
        failing.enqueue(Reply.rateLimited(1));
        upstream.enqueue(Reply.text("from the second"));
        int failingBefore = failing.requestCount();
        try (WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            caller.create("\"model\":\"" + ROTATED + "\",\"input\":\"hi\"");

            List<JsonNode> frames = caller.turn();
            assertTextAnswer(frames, "from the second");
            assertTrue(types(frames).stream().noneMatch("error"::equals), types(frames).toString());
        }
        assertEquals(failingBefore + 1, failing.requestCount());
    }

    @Test
    void anUpstreamErrorWithNoOtherCredentialIsAnErrorFrameWithItsStatus() throws Exception {
        lonely.enqueue(Reply.openAiError(400, "invalid_request_error", "The upstream does not like this"));
        try (WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            caller.create("\"model\":\"" + ALONE + "\",\"input\":\"hi\"");

            List<JsonNode> frames = caller.turn();
            assertEquals(1, frames.size(), frames.toString());
            JsonNode error = frames.get(0);
            assertEquals("error", error.path("type").asText());
            assertEquals(400, error.path("status").asInt(), error.toString());
            assertEquals("The upstream does not like this", error.path("error").path("message").asText(),
                    error.toString());
            assertTrue(error.path("headers").path("x-request-id").asText().startsWith("req_"), error.toString());

            // The socket is still there for the next turn.
            lonely.enqueue(Reply.text("fine now"));
            caller.create("\"model\":\"" + ALONE + "\",\"input\":\"hi again\"");
            assertTextAnswer(caller.turn(), "fine now");
        }
    }

    @Test
    void aBadFrameGetsAnErrorFrameAndTheSocketServesTheNextTurn() throws Exception {
        try (WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            caller.send("{not json");
            JsonNode notJson = caller.next();
            assertEquals("error", notJson.path("type").asText(), notJson.toString());
            assertEquals(400, notJson.path("status").asInt(), notJson.toString());

            caller.send("{\"type\":\"session.update\"}");
            JsonNode unknown = caller.next();
            assertEquals(400, unknown.path("status").asInt(), unknown.toString());
            assertTrue(unknown.path("error").path("message").asText().contains("session.update"), unknown.toString());

            // The gate's own checks answer as error frames too.
            caller.create("\"input\":\"no model\"");
            JsonNode noModel = caller.next();
            assertEquals(400, noModel.path("status").asInt(), noModel.toString());
            assertTrue(noModel.path("error").path("message").asText().contains("model"), noModel.toString());

            // Codex acknowledges a response it has processed: that needs no answer.
            caller.send("{\"type\":\"response.processed\",\"response_id\":\"resp_1\"}");

            upstream.enqueue(Reply.text("still here"));
            caller.create("\"model\":\"" + MODEL + "\",\"input\":\"hi\"");
            assertTextAnswer(caller.turn(), "still here");
            assertFalse(caller.isClosed());
        }
    }

    @Test
    void aCallerLeavingMidStreamCancelsTheUpstreamAndReturnsTheLease() throws Exception {
        upstream.enqueue(Reply.text(WORDS).paced(Duration.ofMillis(100)));
        try (LogCapture logs = LogCapture.capture()) {
            WebSocketCaller caller = WebSocketCaller.open(gateway);
            caller.create("\"model\":\"" + MODEL + "\",\"input\":\"hi\"");
            JsonNode frame;
            do {
                frame = caller.next();
            } while (!frame.path("type").asText().equals("response.output_text.delta"));
            caller.abort();

            upstream.awaitAbort(Duration.ofSeconds(5));
            assertEquals(0, gateway.awaitNothingInFlight(Duration.ofSeconds(5)));
            gateway.awaitLeasesBalanced(Duration.ofSeconds(5));
            assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount());
            List<String> errors = logs.atLeast(Level.ERROR);
            assertTrue(errors.isEmpty(), "nothing logged at ERROR: " + errors);
            assertTrue(logs.of("caravan.access").stream().anyMatch(l -> l.contains(" endpoint=responses ")
                    && l.contains(" status=499 ")), logs.of("caravan.access").toString());
        }
    }
}
