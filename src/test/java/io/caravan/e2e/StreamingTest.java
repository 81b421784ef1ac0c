package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streaming on the wire: event order, terminators, incremental delivery, keep-alives, in-band errors, disconnects. */
class StreamingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WORDS = IntStream.range(0, 20).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));

    private static FakeUpstream openAi;
    private static FakeUpstream anthropic;
    private static TestGateway gateway;
    private static RawClient client;

    @BeforeAll
    static void start() throws Exception {
        openAi = FakeUpstream.openAi();
        anthropic = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai", openAi, "[gpt-s]")
                .credential("anthropic", anthropic, "[claude-s]")
                .set("caravan.keep-alive-ms", "200")
                .set("caravan.timeout.idle-ms", "1000")
                .set("caravan.timeout.first-byte-ms", "5000")
                .start();
        client = new RawClient(gateway);
    }

    /** Mid-stream failures cool a credential down; every test starts from a rested pool. */
    @BeforeEach
    void restPool() throws InterruptedException {
        // A stream's lease goes back just after its last byte: let the previous test's settle first.
        gateway.awaitLeasesBalanced(java.time.Duration.ofSeconds(3));
        gateway.pool().setEnabled("openai", true);
        gateway.pool().setEnabled("anthropic", true);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        openAi.close();
        anthropic.close();
    }

    @Test
    void openAiStreamArrivesIncrementallyAndEndsWithExactlyOneDone() throws Exception {
        openAi.enqueue(Reply.text(WORDS).paced(Duration.ofMillis(50)));
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("gpt-s", "hi", true));
        assertEquals(200, c.status());
        assertTrue(c.response().headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertTrue(c.response().headers().firstValue("x-request-id").isPresent());
        assertEquals(1, c.count("data: [DONE]"));
        List<String> data = c.dataLines();
        assertEquals("[DONE]", data.get(data.size() - 1));
        String text = data.stream().filter(d -> !d.equals("[DONE]"))
                .map(d -> readTree(d).path("choices").path(0).path("delta").path("content").asText(""))
                .collect(Collectors.joining());
        assertEquals(WORDS, text.trim());
        // 20 words paced 50 ms apart leave the upstream over ~1 s: they must reach the caller spread the same way,
        // not in one burst at the end.
        List<RawClient.Line> timed = c.dataLinesTimed();
        long spread = timed.get(timed.size() - 2).atMillis() - timed.get(1).atMillis();
        assertTrue(spread >= 700, "events spread over " + spread + " ms");
        long largestGap = IntStream.range(2, timed.size() - 1)
                .mapToLong(i -> timed.get(i).atMillis() - timed.get(i - 1).atMillis()).max().orElse(0);
        assertTrue(largestGap < 400, "no event was held back: largest gap " + largestGap + " ms");
    }

    @Test
    void anthropicStreamKeepsTheEventOrderTheSdkNeeds() throws Exception {
        anthropic.enqueue(Reply.text("one two three"));
        RawClient.Capture c = client.stream(RawClient.MESSAGES, RawClient.messages("claude-s", "hi", true));
        assertEquals(200, c.status());
        List<String> events = c.eventNames().stream().filter(e -> !e.equals("ping")).toList();
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"), events);
    }

    @Test
    void upstreamDroppedMidStreamBecomesAnInBandOpenAiError() throws Exception {
        openAi.enqueue(Reply.dropAfter(3));
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("gpt-s", "hi", true));
        assertEquals(200, c.status());
        List<String> data = c.dataLines();
        JsonNode last = readTree(data.get(data.size() - 1));
        assertTrue(last.has("error"), "last event: " + last);
        assertEquals(0, c.count("data: [DONE]"));
    }

    @Test
    void upstreamDroppedMidStreamBecomesAnAnthropicErrorEvent() throws Exception {
        anthropic.enqueue(Reply.dropAfter(2));
        RawClient.Capture c = client.stream(RawClient.MESSAGES, RawClient.messages("claude-s", "hi", true));
        List<String> events = c.eventNames();
        assertEquals("error", events.get(events.size() - 1));
        JsonNode error = readTree(c.dataLines().get(c.dataLines().size() - 1));
        assertEquals("error", error.path("type").asText());
        assertFalse(events.contains("message_stop"));
    }

    @Test
    void aStreamOutlivingTheRequestDeadlineEndsWithAnInBandTimeoutAndFreesItsCredential() throws Exception {
        try (FakeUpstream slow = FakeUpstream.anthropic();
                TestGateway bounded = TestGateway.builder().credential("slow", slow, "[claude-d]")
                        .set("caravan.timeout.request-ms", "1500").start()) {
            slow.enqueue(Reply.text(WORDS).paced(Duration.ofMillis(200)));
            long t0 = System.nanoTime();
            RawClient.Capture c = new RawClient(bounded).stream(RawClient.MESSAGES, RawClient.messages("claude-d", "hi", true));
            long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertEquals(200, c.status());
            assertTrue(c.text().contains("w2"), "the answer flowed until the deadline: " + c.text());
            List<String> events = c.eventNames();
            assertEquals("error", events.get(events.size() - 1));
            JsonNode error = readTree(c.dataLines().get(c.dataLines().size() - 1));
            assertEquals("timeout_error", error.path("error").path("type").asText());
            assertTrue(error.path("error").path("message").asText().contains("deadline"), error.toString());
            assertTrue(took < 3500, "cut at the 1.5 s deadline, not after the whole 4 s answer: took " + took + " ms");
            assertNotNull(slow.awaitAbort(Duration.ofSeconds(2)), "the upstream call was closed");
            bounded.awaitLeasesBalanced(Duration.ofSeconds(2));
            assertEquals(bounded.pool().leasedCount(), bounded.pool().releasedCount());
        }
    }

    @Test
    void stalledStreamEndsWithAnInBandErrorAfterTheIdleTimeout() throws Exception {
        openAi.enqueue(Reply.stallAfter(2));
        long t0 = System.nanoTime();
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("gpt-s", "hi", true));
        long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        JsonNode last = readTree(c.dataLines().get(c.dataLines().size() - 1));
        assertTrue(last.path("error").path("message").asText().contains("stalled"), last.toString());
        assertTrue(took < 4000, "the stall was cut after the idle time-out, took " + took + " ms");
        assertNotNull(openAi.awaitAbort(Duration.ofSeconds(2)), "the stalled upstream call was closed");
    }

    @Test
    void keepAlivesFillTheWaitForTheFirstByteAndIdleGaps() throws Exception {
        openAi.enqueue(Reply.text("slow answer here").delayed(Duration.ofMillis(700)).paced(Duration.ofMillis(600)));
        RawClient.Capture c = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("gpt-s", "hi", true));
        List<String> lines = c.lines().stream().map(RawClient.Line::text).toList();
        int firstData = lines.indexOf(lines.stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow());
        assertTrue(lines.subList(0, firstData).contains(": keep-alive"), "keep-alive before the first byte: " + lines);
        int secondData = firstData + 1 + lines.subList(firstData + 1, lines.size()).indexOf(
                lines.subList(firstData + 1, lines.size()).stream().filter(l -> l.startsWith("data: ")).skip(1).findFirst().orElseThrow());
        assertTrue(lines.subList(firstData, secondData).contains(": keep-alive"), "keep-alive in an idle gap: " + lines);
        assertEquals(1, c.count("data: [DONE]"));
    }

    @Test
    void callerDisconnectAbortsTheUpstreamWithinASecondAndFreesTheLease() throws Exception {
        openAi.enqueue(Reply.text(WORDS + " " + WORDS).paced(Duration.ofMillis(100)));
        RawClient.openAndAbandon(gateway, RawClient.OPENAI_CHAT, RawClient.chat("gpt-s", "hi", true), "w2");
        Instant disconnected = Instant.now();
        Instant aborted = openAi.awaitAbort(Duration.ofSeconds(3));
        long millis = Duration.between(disconnected, aborted).toMillis();
        assertTrue(millis < 1000, "upstream closed " + millis + " ms after the caller left");
        gateway.awaitLeasesBalanced(Duration.ofSeconds(3));
        assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount());
        assertTrue(gateway.pool().credential("openai").coolingRemainingNanos(System.nanoTime()) <= 0,
                "a caller leaving is not the credential's fault");
    }

    @Test
    void aClientAskingForHttp2InClearTextStreamsOverHttp11() throws Exception {
        // Cleartext HTTP/2 is off on the listeners (see ListenerPerEventLoop): the h2c upgrade is declined and the
        // client carries on with HTTP/1.1, streaming as usual.
        RawClient h2 = new RawClient(gateway.baseUrl(), HttpClient.Version.HTTP_2);
        assertEquals(200, h2.get("/healthz").statusCode());
        openAi.enqueue(Reply.text(WORDS).paced(Duration.ofMillis(30)));
        RawClient.Capture c = h2.stream(RawClient.OPENAI_CHAT, RawClient.chat("gpt-s", "hi", true));
        assertEquals(HttpClient.Version.HTTP_1_1, c.response().version());
        assertEquals(1, c.count("data: [DONE]"));
        List<RawClient.Line> timed = c.dataLinesTimed();
        assertTrue(timed.get(timed.size() - 2).atMillis() - timed.get(1).atMillis() >= 350, "incremental");
    }

    @Test
    void nonStreamingAnthropicRequestsGetAWholeMessage() throws Exception {
        anthropic.enqueue(Reply.text("a complete answer"));
        HttpResponse<String> r = client.post(RawClient.MESSAGES, RawClient.messages("claude-s", "hi", false));
        assertEquals(200, r.statusCode());
        JsonNode message = JSON.readTree(r.body());
        assertEquals("message", message.path("type").asText());
        assertEquals("a complete answer", message.path("content").path(0).path("text").asText());
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
