package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A Responses WebSocket's life beyond its turns: one turn at a time, the idle time-out, the frame size bound, and
 * the shutdown drain, each against the booted gateway and the JDK's WebSocket client.
 */
class ResponsesWebSocketLifecycleTest {

    private static final String MODEL = "gpt-life";

    private static String words(int n) {
        return IntStream.range(0, n).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    }

    private static String request(String input) {
        return "\"model\":\"" + MODEL + "\",\"input\":\"" + input + "\"";
    }

    private static String lastType(List<JsonNode> frames) {
        return frames.get(frames.size() - 1).path("type").asText();
    }

    @Test
    void aFrameSentDuringATurnWaitsForItAndASecondOneWaitingIsRefused() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[" + MODEL + "]").start();
                WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            upstream.enqueue(Reply.text(words(10)).paced(Duration.ofMillis(100))).enqueue(Reply.text("second"));
            caller.create(request("first"));
            caller.create(request("second"));
            caller.create(request("third"));

            List<JsonNode> frames = new ArrayList<>();
            while (frames.stream().filter(f -> f.path("type").asText().equals("response.completed")).count() < 2) {
                frames.add(caller.next());
            }
            List<JsonNode> errors = frames.stream().filter(f -> f.path("type").asText().equals("error")).toList();
            assertEquals(1, errors.size(), "only the third frame, the second one waiting, is refused: " + frames);
            assertEquals(409, errors.get(0).path("status").asInt(), errors.get(0).toString());
            List<JsonNode> completed = frames.stream()
                    .filter(f -> f.path("type").asText().equals("response.completed")).toList();
            assertEquals(words(10), completed.get(0).path("response").path("output").path(0).path("content").path(0)
                    .path("text").asText());
            assertEquals("second", completed.get(1).path("response").path("output").path(0).path("content").path(0)
                    .path("text").asText());
            assertEquals(2, upstream.requestCount());
        }
    }

    @Test
    void keepAlivesArePingsAndLeaveAnErrorBeforeTheFirstEventWhole() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[" + MODEL + "]")
                        .set("caravan.keep-alive-ms", "100").start();
                WebSocketCaller caller = WebSocketCaller.open(gateway)) {
            // Over HTTP the keep-alives would have sent the stream's head, and this error would go in-band.
            upstream.enqueue(Reply.openAiError(400, "invalid_request_error", "Too late but whole")
                    .delayed(Duration.ofMillis(800)));
            caller.create(request("hi"));

            List<JsonNode> frames = caller.turn();
            assertEquals(1, frames.size(), "no keep-alive is a frame: " + frames);
            assertEquals("error", frames.get(0).path("type").asText(), frames.toString());
            assertEquals(400, frames.get(0).path("status").asInt(), frames.toString());
            assertEquals("Too late but whole", frames.get(0).path("error").path("message").asText());
            assertTrue(caller.pings() > 0, "the silence was filled with pings");
        }
    }

    @Test
    void anIdleSocketIsClosedButNotWhileATurnRuns() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[" + MODEL + "]")
                        .set("caravan.responses.websocket.idle-timeout-ms", "300").start()) {
            WebSocketCaller busy = WebSocketCaller.open(gateway);
            // The turn lasts well over the idle time-out: a socket answering a turn is not idle.
            upstream.enqueue(Reply.text(words(10)).paced(Duration.ofMillis(100)));
            busy.create(request("hi"));
            assertEquals("response.completed", lastType(busy.turn()));
            assertEquals(1000, busy.awaitClose(Duration.ofSeconds(10)), "closed once idle after its turn");

            WebSocketCaller idle = WebSocketCaller.open(gateway);
            assertEquals(1000, idle.awaitClose(Duration.ofSeconds(10)));
            assertEquals(0, gateway.awaitNothingInFlight(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aMessageLargerThanTheBodyLimitIsRefusedAndTheSocketClosed() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[" + MODEL + "]")
                        .set("camel.server.max-body-size", "4096").start()) {
            WebSocketCaller fits = WebSocketCaller.open(gateway);
            upstream.enqueue(Reply.text("fits"));
            fits.create(request("x".repeat(3000)));
            assertEquals("response.completed", lastType(fits.turn()));
            fits.close();

            // A message in two frames, each within the limit, together over it: the gateway says why, then closes.
            WebSocketCaller fragmented = WebSocketCaller.open(gateway);
            fragmented.sendPart("{\"type\":\"response.create\",\"model\":\"" + MODEL + "\",\"input\":\""
                    + "x".repeat(3000), false);
            fragmented.sendPart("x".repeat(3000) + "\"}", true);
            JsonNode refused = fragmented.next();
            assertEquals("error", refused.path("type").asText(), refused.toString());
            assertEquals(413, refused.path("status").asInt(), refused.toString());
            assertEquals(1009, fragmented.awaitClose(Duration.ofSeconds(10)));

            // One frame over the limit is refused by the WebSocket codec from its length alone, before it is read.
            WebSocketCaller oversized = WebSocketCaller.open(gateway);
            try {
                oversized.create(request("x".repeat(10_000)));
            } catch (CompletionException closedWhileSending) {
                // The gateway may close the socket before the client has sent the whole frame.
            }
            assertTrue(oversized.awaitCloseOrFailure(Duration.ofSeconds(10)), "the socket is closed");
            assertEquals(1, upstream.requestCount(), "no message over the limit went upstream");
        }
    }

    @Test
    void shutdownLetsTurnsFinishWithinTheDrainClosesSocketsGoingAwayAndEndsLongerTurnsInBand() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi()) {
            TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[" + MODEL + "]")
                    .set("caravan.shutdown.drain-ms", "2000").startRunning();
            try {
                WebSocketCaller idle = WebSocketCaller.open(gateway);
                WebSocketCaller shortTurn = WebSocketCaller.open(gateway);
                WebSocketCaller longTurn = WebSocketCaller.open(gateway);
                upstream.enqueue(Reply.text(words(5)).paced(Duration.ofMillis(100)))
                        .enqueue(Reply.text(words(100)).paced(Duration.ofMillis(100)));
                shortTurn.create(request("short"));
                assertEquals("response.created", shortTurn.next().path("type").asText());
                longTurn.create(request("long"));
                assertEquals("response.created", longTurn.next().path("type").asText());

                gateway.terminate();

                assertEquals(1001, idle.awaitClose(Duration.ofSeconds(10)), "an idle socket goes away at once");
                List<JsonNode> shortEnd = shortTurn.turn();
                assertEquals("response.completed", lastType(shortEnd), "a turn within the drain finishes");
                assertEquals(1001, shortTurn.awaitClose(Duration.ofSeconds(10)));

                List<JsonNode> longEnd = longTurn.turn();
                String last = lastType(longEnd);
                assertTrue(last.equals("response.failed") || last.equals("error"), longEnd.toString());
                assertTrue(longEnd.get(longEnd.size() - 1).toString().contains("shutting down"), longEnd.toString());
                assertFalse(longEnd.stream().anyMatch(f -> f.path("type").asText().equals("response.completed")));
                assertEquals(1001, longTurn.awaitClose(Duration.ofSeconds(10)));

                assertTrue(gateway.awaitTerminated(Duration.ofSeconds(20)), "the gateway stopped after the drain");
            } finally {
                gateway.close();
            }
        }
    }
}
