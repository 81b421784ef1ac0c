package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import io.caravan.testing.Reply;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Callers that go away before their answer is complete are an everyday event, not an error: nothing is logged at
 * ERROR, and the access log records each such request as 499 (client closed request), never 0.
 */
class CallerDisconnectTest {

    private static final String WORDS = "one two three four five six seven eight nine ten eleven twelve";

    @Test
    void disconnectingCallersLogNoErrorAndAreRecordedAs499() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[m]").start();
                LogCapture logs = LogCapture.capture()) {
            // A stream left in the middle, over HTTP/1.1.
            upstream.enqueue(Reply.text(WORDS).paced(Duration.ofMillis(100)));
            RawClient.openAndAbandon(gateway, RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true), "three");
            upstream.awaitAbort(Duration.ofSeconds(3));

            // A whole answer given up on while the upstream still thinks.
            upstream.enqueue(Reply.text(WORDS).delayed(Duration.ofMillis(800)));
            sendAndLeave(gateway, RawClient.chat("m", "hi", false), 300);

            // A stream cancelled over HTTP/2 (the caller resets its stream, the connection stays).
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            assertEquals(200, h2.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            upstream.enqueue(Reply.text(WORDS).delayed(Duration.ofMillis(800)));
            CompletableFuture<HttpResponse<String>> cancelled = h2.sendAsync(new RawClient(gateway)
                    .request(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false)).build(), HttpResponse.BodyHandlers.ofString());
            upstream.awaitRequests(3, Duration.ofSeconds(5));
            cancelled.cancel(true);

            // A body that never arrives in full.
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + TestGateway.CLIENT_KEY + "\r\nContent-Length: 500\r\n\r\n{\"model\":")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(200);
            }

            gateway.awaitNothingInFlight(Duration.ofSeconds(5));
            gateway.awaitLeasesBalanced(Duration.ofSeconds(5));
            Thread.sleep(300);
            List<String> errors = logs.atLeast(Level.ERROR);
            assertTrue(errors.isEmpty(), "nothing logged at ERROR: " + errors);
            List<String> access = logs.of("caravan.access");
            assertTrue(access.stream().noneMatch(l -> l.contains(" status=0 ")), "no status 0: " + access);
            long gone = access.stream().filter(l -> l.contains(" status=499 ")).count();
            assertTrue(gone >= 2, "the stream and the whole answer left by their callers are 499: " + access);
            assertEquals(gateway.pool().leasedCount(), gateway.pool().releasedCount());
        }
    }

    /** Sends a whole request on a plain socket and closes it after {@code millis}, before the answer came. */
    private static void sendAndLeave(TestGateway gateway, String body, long millis) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + TestGateway.CLIENT_KEY + "\r\nContent-Length: " + payload.length
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(payload);
            out.flush();
            Thread.sleep(millis);
        }
    }
}
