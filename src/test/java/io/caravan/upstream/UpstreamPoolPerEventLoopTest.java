package io.caravan.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.e2e.RawClient;
import io.caravan.e2e.TestGateway;
import io.caravan.testing.FakeUpstream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The upstream client keeps one connection pool per event loop: callers on fresh connections (which the listeners
 * take in turn on each loop) reuse the upstream connection of their loop, so a run of sequential calls opens one
 * upstream connection per loop. A pool per request would open one per call; one pool shared by every loop, one in
 * all, with most answers crossing to another loop's thread.
 */
class UpstreamPoolPerEventLoopTest {

    private static final int LOOPS = 2;
    private static final int CALLS = 5 * LOOPS;

    @Test
    void sequentialCallersReuseOneUpstreamConnectionPerEventLoop() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[m]")
                        .set("caravan.event-loops", Integer.toString(LOOPS)).start()) {
            for (int i = 0; i < CALLS; i++) {
                String answer = callOnFreshConnection(gateway.port(), RawClient.chat("m", "hi " + i, false));
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
            assertEquals(CALLS, upstream.requestCount());
            assertEquals(LOOPS, upstream.acceptedConnections(), "upstream connections for " + CALLS + " calls");
        }
    }

    private static String callOnFreshConnection(int port, String body) throws Exception {
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + RawClient.OPENAI_CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + TestGateway.CLIENT_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
