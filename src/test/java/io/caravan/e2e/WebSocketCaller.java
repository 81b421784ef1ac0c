package io.caravan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A caller of the Responses WebSocket, with the JDK's own WebSocket client over 127.0.0.1: sends frames, collects
 * the text frames the gateway sends (one JSON payload each) and learns how the socket was closed.
 */
final class WebSocketCaller implements WebSocket.Listener, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Codex CLI's flag on the handshake. */
    static final String CODEX_BETA = "responses_websockets=2026-02-06";
    /** The events that end a turn's answer. */
    private static final Set<String> TERMINAL = Set.of("response.completed", "response.failed", "response.incomplete",
            "error");

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    private WebSocket socket;

    private WebSocketCaller() {
    }

    /** Opens a socket to the gateway's {@code /v1/responses} with its client key, as Codex CLI does. */
    static WebSocketCaller open(TestGateway gateway) {
        return open(gateway, CODEX_BETA);
    }

    /** Opens a socket with this {@code OpenAI-Beta} header on its handshake. */
    static WebSocketCaller open(TestGateway gateway, String openAiBeta) {
        WebSocketCaller caller = new WebSocketCaller();
        caller.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestGateway.CLIENT_KEY)
                .header("OpenAI-Beta", openAiBeta)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/v1/responses"), caller)
                .orTimeout(10, TimeUnit.SECONDS).join();
        return caller;
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Sends one frame of a message that {@code last} ends. */
    void sendPart(String text, boolean last) {
        socket.sendText(text, last).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Sends {@code {"type":"response.create", …request}}. */
    void create(String requestFields) {
        send("{\"type\":\"response.create\"," + requestFields + "}");
    }

    /** The next text frame; fails when none comes within ten seconds. */
    JsonNode next() throws Exception {
        String frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s (closed: " + closed.getNow(null) + ")");
        }
        return JSON.readTree(frame);
    }

    /** The frames of one turn, up to and including its terminal event or error. */
    List<JsonNode> turn() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            events.add(frame);
            if (TERMINAL.contains(frame.path("type").asText())) {
                return events;
            }
        }
    }

    /** Frames received and not read yet. */
    int unread() {
        return frames.size();
    }

    /** The close code the gateway sent, waiting up to {@code timeout}; fails when the socket stays open. */
    int awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Whether the socket ends within {@code timeout}, with a close frame or with its connection dropped. */
    boolean awaitCloseOrFailure(Duration timeout) {
        try {
            closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
            return true;
        } catch (CompletionException e) {
            return !(e.getCause() instanceof java.util.concurrent.TimeoutException);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close handshake, as a caller that goes away does. */
    void abort() {
        socket.abort();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
        pings.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    /** Pings received so far (the JDK client answers each with a pong itself). */
    int pings() {
        return pings.get();
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }

    /** A handshake's answer when it is refused: status line, and body. */
    record Refusal(int status, String head, String body) {
    }

    /**
     * A WebSocket handshake on {@code path} over a plain socket, for the answers the JDK client does not show (the
     * body of a refused upgrade); {@code headers} are extra header lines.
     */
    static Refusal handshake(TestGateway gateway, String path, String... headers) throws Exception {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return exchange(gateway, request.append("\r\n").toString());
    }

    /** A plain {@code GET} of {@code path}, no upgrade asked. */
    static Refusal plainGet(TestGateway gateway, String path) throws Exception {
        return exchange(gateway, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + TestGateway.CLIENT_KEY + "\r\n\r\n");
    }

    private static Refusal exchange(TestGateway gateway, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int status = Integer.parseInt(head.substring(9, 12));
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return new Refusal(status, head, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
