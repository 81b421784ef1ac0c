package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access log as an operator reads it, captured from the {@code caravan.access} logger of the booted gateway:
 * one line per request whatever answered it, and no caller-chosen value can forge a line or flood the log.
 */
class AccessLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("caravan.access");
    private final FakeUpstream upstream = FakeUpstream.openAi();

    @BeforeEach
    void capture() {
        captured.start();
        accessLogger.addAppender(captured);
    }

    @AfterEach
    void release() {
        accessLogger.detachAppender(captured);
        upstream.close();
    }

    /** The first access line that names the request id, waiting a little: the line may follow the answer. */
    private String lineOf(String requestId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            List<ILoggingEvent> events;
            synchronized (captured) {
                events = new ArrayList<>(captured.list);
            }
            for (ILoggingEvent e : events) {
                if (e.getFormattedMessage().startsWith(requestId + " ")) {
                    return e.getFormattedMessage();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access-log line for " + requestId);
    }

    private static String requestId(HttpResponse<?> r) {
        return r.headers().firstValue("x-request-id").orElseThrow();
    }

    private static void assertOneSafeLine(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            assertFalse(c < 0x20 || c == 0x7f, "control character " + (int) c + " at " + i + " in " + line);
        }
        assertTrue(line.length() < 1000, "a line of " + line.length() + " characters");
    }

    @Test
    void modelNamesAreEscapedAndTruncatedSoThatNoCallerForgesOrFloodsTheLog() throws Exception {
        try (TestGateway gateway = TestGateway.builder().credential("oa", upstream, "[m]").start()) {
            RawClient client = new RawClient(gateway);
            String forged = "m\r\nreq_forged dialect=openai endpoint=chat.completions model=m stream=false "
                    + "credential=oa attempts=1 status=200 total_ms=1.0 ttfb_ms=1.0";
            String huge = "x".repeat(100_000);
            for (String model : List.of(forged, "m\u0000nul", "m\u001b[31mred", huge)) {
                String body = JSON.writeValueAsString(Map.of("model", model,
                        "messages", List.of(Map.of("role", "user", "content", "hi"))));
                HttpResponse<String> r = client.post(RawClient.OPENAI_CHAT, body);
                assertEquals(404, r.statusCode(), r.body());
                assertOneSafeLine(lineOf(requestId(r)));
            }
            synchronized (captured) {
                for (ILoggingEvent e : captured.list) {
                    assertFalse(e.getFormattedMessage().startsWith("req_forged"), "a forged line: " + e.getFormattedMessage());
                }
            }
            String hugeBody = JSON.writeValueAsString(Map.of("model", huge,
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));
            String line = lineOf(requestId(client.post(RawClient.OPENAI_CHAT, hugeBody)));
            assertTrue(line.contains(" model=" + "x".repeat(200) + "…[+99800 chars] "), line);
            String crlf = lineOf(requestId(client.post(RawClient.OPENAI_CHAT, RawClient.chat("a\\r\\nb c\\\\d", "hi", false))));
            assertTrue(crlf.contains(" model=a\\r\\nb\\x20c\\\\d "), crlf);

            // A model name that is just a name is written as it is.
            HttpResponse<String> plain = client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false));
            assertEquals(200, plain.statusCode());
            assertTrue(lineOf(requestId(plain)).contains(" model=m stream=false credential=oa attempts=1 status=200 "));
        }
    }

    @Test
    void answersTheRouterGivesItselfHaveTheirAccessLogLine() throws Exception {
        upstream.setDefault(Reply.hang());
        try (TestGateway gateway = TestGateway.builder().credential("oa", upstream, "[m]")
                .set("camel.server.max-body-size", "4096").set("caravan.max-in-flight", "1")
                .set("caravan.timeout.first-byte-ms", "3000").start()) {
            RawClient client = new RawClient(gateway);
            HttpResponse<String> unknown = client.get("/v1/no-such-path");
            assertEquals(404, unknown.statusCode());
            String line = lineOf(requestId(unknown));
            assertTrue(line.contains(" status=404 ") && line.endsWith(" method=GET path=/v1/no-such-path"), line);

            HttpResponse<String> wrongMethod = client.get(RawClient.OPENAI_CHAT);
            assertEquals(405, wrongMethod.statusCode());
            assertTrue(lineOf(requestId(wrongMethod)).contains(" status=405 "));

            HttpResponse<String> tooLarge = client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "y".repeat(10_000), false));
            assertEquals(413, tooLarge.statusCode());
            assertTrue(lineOf(requestId(tooLarge)).contains(" status=413 "));

            CompletableFuture<HttpResponse<String>> hanging = client.postAsync(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false));
            upstream.awaitRequests(1, Duration.ofSeconds(10));
            HttpResponse<String> overloaded = new RawClient(gateway).send(HttpRequest.newBuilder(
                    URI.create(gateway.baseUrl() + "/v1/messages")).timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(503, overloaded.statusCode());
            String overloadedLine = lineOf(requestId(overloaded));
            assertTrue(overloadedLine.contains(" dialect=anthropic ") && overloadedLine.contains(" status=503 "), overloadedLine);
            // The request holding the only slot ends by its time-out, and the gateway is whole again.
            assertEquals(504, hanging.get(15, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        }
    }
}
