package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Caller connections that send nothing useful are closed by the listener time-outs, and a flood of them over the
 * connection cap only displaces itself: {@code /healthz} and real requests keep being answered.
 */
class ListenerTimeoutsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IDLE_MS = 800;
    private static final int HEADER_MS = 600;
    private static final int BODY_MS = 800;

    private static FakeUpstream upstream;
    private static TestGateway gateway;
    private static RawClient client;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.openAi();
        gateway = TestGateway.builder().credential("openai", upstream, "[m]")
                .set("caravan.listener.idle-timeout-ms", Integer.toString(IDLE_MS))
                .set("caravan.listener.header-timeout-ms", Integer.toString(HEADER_MS))
                .set("caravan.listener.body-timeout-ms", Integer.toString(BODY_MS))
                .set("caravan.keep-alive-ms", "200")
                .start();
        client = new RawClient(gateway);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    @Test
    void connectionsThatNeverSendAHeadAreClosedAfterTheHeaderTimeout() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                silent.add(connect(gateway));
            }
            for (Socket socket : silent) {
                assertTrue(closedByServerWithin(socket, Duration.ofSeconds(5)), "a silent connection was closed");
            }
        } finally {
            closeAll(silent);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = connect(gateway)) {
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            String answer = readUntil(socket.getInputStream(), "{\"status\":\"ok\"}", Duration.ofSeconds(5));
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(closedByServerWithin(socket, Duration.ofSeconds(5)), "the idle keep-alive connection was closed");
        }
    }

    @Test
    void aHeadTrickledByteByByteIsCutOff() throws Exception {
        byte[] head = ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(100) + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect(gateway)) {
            assertTrue(trickleUntilCut(socket, head, Duration.ofMillis(200)), "the slow head was cut off");
        }
    }

    @Test
    void aBodyTrickledByteByByteGets408InTheCallersDialectAndTheConnectionCloses() throws Exception {
        for (String path : List.of(RawClient.OPENAI_CHAT, RawClient.MESSAGES)) {
            try (Socket socket = connect(gateway)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + TestGateway.CLIENT_KEY + "\r\nContent-Length: 400\r\n\r\n{")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertTrue(trickleUntilCut(socket, " ".repeat(100).getBytes(StandardCharsets.UTF_8), Duration.ofMillis(200)),
                        "the slow body was cut off");
                String answer = readAll(socket.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
                assertTrue(answer.toLowerCase().contains("x-request-id:"), answer);
                JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                if (path.equals(RawClient.MESSAGES)) {
                    assertEquals("error", error.path("type").asText(), answer);
                } else {
                    assertEquals("invalid_request_error", error.path("error").path("type").asText(), answer);
                }
                assertTrue(error.path("error").path("message").asText().contains("did not arrive"), answer);
            }
        }
    }

    @Test
    void requestsInFlightAreNotIdle() throws Exception {
        // A whole answer that takes twice the idle time-out, and a stream that lasts four times as long.
        upstream.enqueue(Reply.text("worth the wait").delayed(Duration.ofMillis(2 * IDLE_MS)));
        HttpResponse<String> slow = client.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false));
        assertEquals(200, slow.statusCode(), slow.body());
        upstream.enqueue(Reply.text("one two three four five six seven eight nine ten eleven").paced(Duration.ofMillis(300)));
        RawClient.Capture stream = client.stream(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true));
        assertEquals(1, stream.count("data: [DONE]"), stream.text());
    }

    @Test
    void aFloodOfIdleConnectionsOverTheCapNeverStarvesHealthOrCallers() throws Exception {
        int cap = 40;
        try (FakeUpstream own = FakeUpstream.openAi();
                TestGateway capped = TestGateway.builder().credential("openai", own, "[m]")
                        .set("caravan.listener.max-connections", Integer.toString(cap))
                        .set("caravan.listener.header-timeout-ms", "60000")
                        .set("caravan.listener.idle-timeout-ms", "60000")
                        .start()) {
            RawClient capClient = new RawClient(capped);
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    flood.add(connect(capped));
                }
                assertEquals(200, capClient.get("/healthz").statusCode());
                own.enqueue(Reply.text("still served"));
                HttpResponse<String> chat = capClient.post(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", false));
                assertEquals(200, chat.statusCode(), chat.body());
                assertTrue(chat.body().contains("still served"), chat.body());
                for (int i = 0; i < 100; i++) {
                    flood.add(connect(capped));
                }
                assertEquals(200, capClient.get("/healthz").statusCode(), "/healthz answers throughout the flood");

                int stillOpen = 0;
                for (Socket socket : flood) {
                    if (!closedByServerWithin(socket, Duration.ofMillis(20))) {
                        stillOpen++;
                    }
                }
                assertTrue(stillOpen <= cap, stillOpen + " flood connections still open, cap " + cap);
            } finally {
                closeAll(flood);
            }
        }
    }

    private static Socket connect(TestGateway gateway) throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Whether the server closes the connection (or resets it) within the bound, reading whatever it sends. */
    private static boolean closedByServerWithin(Socket socket, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                // nothing yet
            } catch (IOException reset) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends one byte per interval; true once the server answered or closed the connection (a write after the close
     * fails), false if every byte went out.
     */
    private static boolean trickleUntilCut(Socket socket, byte[] bytes, Duration interval) throws Exception {
        OutputStream out = socket.getOutputStream();
        for (byte b : bytes) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException cut) {
                return true;
            }
            if (socket.getInputStream().available() > 0) {
                return true;
            }
            Thread.sleep(interval.toMillis());
        }
        return false;
    }

    private static String readUntil(InputStream in, String text, Duration bound) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + bound.toNanos();
        byte[] buffer = new byte[1024];
        while (System.nanoTime() < deadline && !seen.toString(StandardCharsets.UTF_8).contains(text)) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            seen.write(buffer, 0, n);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                seen.write(buffer, 0, n);
            }
        } catch (IOException closed) {
            // what arrived before the close is the answer
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed by the server
            }
        }
    }
}
