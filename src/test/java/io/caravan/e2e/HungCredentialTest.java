package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A credential whose upstream never answers, among healthy ones, and callers who give up long before the first-byte
 * time-out: the hung credential must be taken out of rotation by the callers' leaving alone. And the split
 * time-outs: a non-stream answer whose head came but whose body never ends is bounded by the answer time-out.
 */
class HungCredentialTest {

    /** How long an impatient caller waits for the status line before it closes its connection. */
    private static final int PATIENCE_MS = 1000;

    private final FakeUpstream hung = FakeUpstream.openAi();
    private final FakeUpstream healthyA = FakeUpstream.openAi();
    private final FakeUpstream healthyB = FakeUpstream.openAi();
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        hung.close();
        healthyA.close();
        healthyB.close();
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void impatientCallersLeavingAHungCredentialTakeItOutOfRotation(boolean stream) throws Exception {
        hung.setDefault(Reply.hang());
        // The first-byte time-out stays at its default: only the callers' leaving can tell that the credential hangs.
        gateway = TestGateway.builder()
                .credential("hung", hung, "[m]").credential("a", healthyA, "[m]").credential("b", healthyB, "[m]")
                .set("caravan.timeout.stall-ms", "300")
                .set("caravan.cooldown.transient-ms", "600000")
                .start();
        int answered = 0;
        for (int i = 0; i < 9; i++) {
            if (askImpatiently(RawClient.chat("m", "hello " + i, stream))) {
                answered++;
            }
            gateway.awaitLeasesBalanced(Duration.ofSeconds(5));
        }
        assertEquals(1, hung.requestCount(), "the hung credential got no traffic after the first caller left it");
        assertEquals(8, answered, "every other caller was answered by a healthy credential");
        assertEquals(8, healthyA.requestCount() + healthyB.requestCount());
        assertTrue(gateway.pool().credential("hung").coolingRemainingNanos(System.nanoTime()) > 0);
    }

    @Test
    void aCallerLeavingBeforeTheStallThresholdDoesNotPenaliseTheCredential() throws Exception {
        hung.setDefault(Reply.hang());
        gateway = TestGateway.builder().credential("hung", hung, "[m]")
                .set("caravan.timeout.stall-ms", "60000")
                .start();
        assertFalse(askImpatiently(RawClient.chat("m", "hello", false)));
        gateway.awaitLeasesBalanced(Duration.ofSeconds(5));
        assertFalse(gateway.pool().credential("hung").coolingRemainingNanos(System.nanoTime()) > 0,
                "a caller's impatience alone is not the credential's fault");
    }

    @Test
    void anAnswerWhoseBodyNeverEndsIsBoundedByTheAnswerTimeOutAndRotates() throws Exception {
        // Its head arrives at once: the first-byte time-out is met; the body then stops half-way, connection open.
        hung.enqueue(Reply.oversizedUndeclared(1000));
        gateway = TestGateway.builder().credential("hung", hung, "[m]").credential("a", healthyA, "[m]")
                .set("caravan.timeout.answer-ms", "800")
                .start();
        HttpResponse<String> r = new RawClient(gateway).post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("Hello from " + healthyA.name()), r.body());
        assertEquals(1, hung.requestCount());
    }

    /**
     * Sends a request on a plain socket and waits {@value #PATIENCE_MS} ms for the status line; closes the
     * connection either way. Returns whether a 200 arrived in time.
     */
    private boolean askImpatiently(String body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(PATIENCE_MS);
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + RawClient.OPENAI_CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nAuthorization: Bearer " + TestGateway.CLIENT_KEY + "\r\n"
                    + "Content-Length: " + payload.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder status = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                status.append((char) c);
            }
            return status.toString().startsWith("HTTP/1.1 200");
        } catch (SocketTimeoutException gaveUp) {
            return false;
        }
    }
}
