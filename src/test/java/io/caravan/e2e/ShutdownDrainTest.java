package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM drains the gateway: new requests get a 503 with {@code Retry-After} in their dialect, open streams run
 * until the drain time is over and then end with an in-band error in theirs, and only then does the gateway stop.
 */
class ShutdownDrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG_ANSWER = IntStream.range(0, 100).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));

    @Test
    void sigtermLetsStreamsRunForTheDrainThenEndsThemInBandAndRefusesNewRequestsInTheirDialect() throws Exception {
        try (FakeUpstream openAi = FakeUpstream.openAi(); FakeUpstream anthropic = FakeUpstream.anthropic()) {
            TestGateway gateway = TestGateway.builder().credential("openai", openAi, "[gpt-m]")
                    .credential("anthropic", anthropic, "[claude-m]")
                    .set("caravan.shutdown.drain-ms", "1500").set("caravan.keep-alive-ms", "200").startRunning();
            try {
                RawClient client = new RawClient(gateway);
                // Streams of 100 words at 100 ms each: far longer than the drain.
                openAi.enqueue(Reply.text(LONG_ANSWER).paced(Duration.ofMillis(100)));
                anthropic.enqueue(Reply.text(LONG_ANSWER).paced(Duration.ofMillis(100)));
                CompletableFuture<RawClient.Capture> openAiStream = CompletableFuture.supplyAsync(
                        () -> stream(client, RawClient.OPENAI_CHAT, RawClient.chat("gpt-m", "hi", true)));
                CompletableFuture<RawClient.Capture> anthropicStream = CompletableFuture.supplyAsync(
                        () -> stream(client, RawClient.MESSAGES, RawClient.messages("claude-m", "hi", true)));
                openAi.awaitRequests(1, Duration.ofSeconds(10));
                anthropic.awaitRequests(1, Duration.ofSeconds(10));

                gateway.terminate();
                HttpResponse<String> refused = awaitRefused(client, RawClient.OPENAI_CHAT, RawClient.chat("gpt-m", "late", false));
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("1", refused.headers().firstValue("retry-after").orElse(""), refused.headers().toString());
                assertTrue(refused.headers().firstValue("content-type").orElse("").startsWith("application/json"));
                assertEquals("server_error", JSON.readTree(refused.body()).path("error").path("type").asText(), refused.body());
                HttpResponse<String> refusedAnthropic = client.post(RawClient.MESSAGES, RawClient.messages("claude-m", "late", true));
                assertEquals(503, refusedAnthropic.statusCode(), refusedAnthropic.body());
                assertEquals("error", JSON.readTree(refusedAnthropic.body()).path("type").asText(), refusedAnthropic.body());
                assertEquals(2, openAi.requestCount() + anthropic.requestCount(), "refused requests never went upstream");

                RawClient.Capture openAiEnd = openAiStream.get(20, TimeUnit.SECONDS);
                assertEquals(200, openAiEnd.status());
                assertTrue(openAiEnd.text().contains("w3"), "the stream ran on during the drain: " + openAiEnd.text());
                assertEquals(0, openAiEnd.count("data: [DONE]"), "an unfinished stream is not presented as finished");
                List<String> data = openAiEnd.dataLines();
                JsonNode last = JSON.readTree(data.get(data.size() - 1));
                assertTrue(last.path("error").path("message").asText().contains("shutting down"), last.toString());

                RawClient.Capture anthropicEnd = anthropicStream.get(20, TimeUnit.SECONDS);
                List<String> events = anthropicEnd.eventNames();
                assertEquals("error", events.get(events.size() - 1), anthropicEnd.text());
                JsonNode error = JSON.readTree(anthropicEnd.dataLines().get(anthropicEnd.dataLines().size() - 1));
                assertEquals("error", error.path("type").asText());
                assertTrue(error.path("error").path("message").asText().contains("shutting down"), error.toString());

                assertTrue(gateway.awaitTerminated(Duration.ofSeconds(20)), "the gateway stopped after the drain");
            } finally {
                gateway.close();
            }
        }
    }

    /** Sends requests until the drain has begun (bounded), and returns the first one refused. */
    private static HttpResponse<String> awaitRefused(RawClient client, String path, String body) throws Exception {
        HttpResponse<String> last = null;
        for (int i = 0; i < 100; i++) {
            last = client.get("/healthz");
            if (last.statusCode() == 503) {
                return client.post(path, body);
            }
            Thread.sleep(20);
        }
        return last;
    }

    private static RawClient.Capture stream(RawClient client, String path, String body) {
        try {
            return client.stream(path, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
