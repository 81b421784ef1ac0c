package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What many open requests cost the gateway, and what it answers when it is full. */
class CapacityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STREAMS = 200;

    @Test
    void openStreamsHoldNoThreads() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[m]", STREAMS).start()) {
            upstream.setDefault(Reply.text("one two three four five six seven eight").paced(Duration.ofMillis(250)));
            RawClient client = new RawClient(gateway);
            List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                streams.add(client.postAsync(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi " + i, true)));
            }
            upstream.awaitRequests(STREAMS, Duration.ofSeconds(20));

            // Every stream is now open upstream and still has seconds to run. A thread serving one of them would sit
            // in Camel's routing engine, waiting for the route to finish.
            long threadsInRoutes = Thread.getAllStackTraces().values().stream()
                    .filter(frames -> Arrays.stream(frames).anyMatch(f -> f.getClassName().startsWith("org.apache.camel.")))
                    .count();
            assertTrue(threadsInRoutes < 10, threadsInRoutes + " threads inside Camel routes while " + STREAMS + " streams are open");

            for (CompletableFuture<HttpResponse<String>> stream : streams) {
                HttpResponse<String> answer = stream.get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode());
                assertTrue(answer.body().contains("eight") && answer.body().endsWith("data: [DONE]\n\n"), answer.body());
            }
            gateway.awaitLeasesBalanced(Duration.ofSeconds(3));
            assertEquals(0, gateway.awaitNothingInFlight(Duration.ofSeconds(3)), "every stream left the in-flight count");
        }
    }

    @Test
    void callersAreSpreadOverEveryEventLoop() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[m]", STREAMS)
                        .set("caravan.event-loops", "2").start()) {
            upstream.setDefault(Reply.text("one two three four five six seven eight nine ten").paced(Duration.ofMillis(20)));
            RawClient client = new RawClient(gateway);
            List<Long> before = gateway.eventLoopCpuNanos();
            List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                streams.add(client.postAsync(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi " + i, true)));
            }
            for (CompletableFuture<HttpResponse<String>> stream : streams) {
                assertEquals(200, stream.get(30, TimeUnit.SECONDS).statusCode());
            }
            List<Long> after = gateway.eventLoopCpuNanos();

            // Each loop relays the streams of the callers it accepted; a loop left without callers stays near zero.
            long total = 0;
            long least = Long.MAX_VALUE;
            for (int i = 0; i < after.size(); i++) {
                long used = after.get(i) - before.get(i);
                total += used;
                least = Math.min(least, used);
            }
            assertEquals(2, after.size());
            assertTrue(least > total / 5, "event-loop CPU split " + before + " -> " + after);
        }
    }

    @Test
    void requestsBeyondTheInFlightLimitGet503WithRetryAfterInTheCallersDialect() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.anthropic();
                TestGateway gateway = TestGateway.builder().credential("anthropic", upstream, "[m]")
                        .set("caravan.max-in-flight", "2").start()) {
            upstream.setDefault(Reply.text("slow but sure").delayed(Duration.ofMillis(1500)));
            RawClient client = new RawClient(gateway);
            CompletableFuture<HttpResponse<String>> first = client.postAsync(RawClient.MESSAGES, RawClient.messages("m", "a", false));
            CompletableFuture<HttpResponse<String>> second = client.postAsync(RawClient.MESSAGES, RawClient.messages("m", "b", true));
            upstream.awaitRequests(2, Duration.ofSeconds(5));

            HttpResponse<String> turnedAway = client.post(RawClient.MESSAGES, RawClient.messages("m", "c", false));
            assertEquals(503, turnedAway.statusCode());
            assertEquals("1", turnedAway.headers().firstValue("retry-after").orElseThrow());
            Map<?, ?> error = JSON.readValue(turnedAway.body(), Map.class);
            assertEquals("error", error.get("type"));
            assertEquals("api_error", ((Map<?, ?>) error.get("error")).get("type"));
            assertEquals(2, upstream.requests().size(), "the turned-away request never reached the upstream");

            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(200, second.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(200, client.post(RawClient.MESSAGES, RawClient.messages("m", "d", false)).statusCode(),
                    "room again once the first two were answered");
        }
    }
}
