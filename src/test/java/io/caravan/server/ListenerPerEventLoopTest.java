package io.caravan.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.e2e.TestGateway;
import io.caravan.testing.FakeUpstream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every event loop has a listener of its own, and new caller connections are spread over all of them: a route that
 * runs on the event loop answers with the name of the thread that serves its caller, and a run of fresh connections
 * must be served by every loop. (Vert.x once placed all listeners on the loop platform-http already used, which left
 * the other loops idle.)
 */
class ListenerPerEventLoopTest {

    private static final int LOOPS = 3;
    private static final int CONNECTIONS = 4 * LOOPS;
    private static final String ROUTES = """
            - route:
                id: test-thread
                from:
                  uri: platform-http:/test/thread
                  steps:
                    - setBody:
                        simple: "${threadName}"
            """;

    @Test
    void freshConnectionsAreServedByEveryEventLoopInTurn() throws Exception {
        Path routes = Files.createTempDirectory("caravan-routes");
        Files.writeString(routes.resolve("thread.camel.yaml"), ROUTES);
        try (FakeUpstream upstream = FakeUpstream.openAi();
                TestGateway gateway = TestGateway.builder().credential("openai", upstream, "[m]")
                        .set("caravan.event-loops", Integer.toString(LOOPS))
                        .set("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml").start()) {
            Map<String, Integer> servedBy = new TreeMap<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                servedBy.merge(threadServing(gateway.port()), 1, Integer::sum);
            }
            assertEquals(LOOPS, servedBy.size(), "threads that served " + CONNECTIONS + " connections: " + servedBy);
            for (Map.Entry<String, Integer> loop : servedBy.entrySet()) {
                assertTrue(loop.getKey().startsWith("vert.x-eventloop-thread-"), "served by " + servedBy);
                // Vert.x hands new connections to the listening loops in turn.
                assertEquals(CONNECTIONS / LOOPS, loop.getValue(), "connections per loop: " + servedBy);
            }
        } finally {
            Files.deleteIfExists(routes.resolve("thread.camel.yaml"));
            Files.deleteIfExists(routes);
        }
    }

    /** One request on a connection of its own; the answer's body. */
    private static String threadServing(int port) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /test/thread HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 200"), text);
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }
    }
}
