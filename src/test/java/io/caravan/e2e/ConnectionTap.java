package io.caravan.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback relay in front of the gateway that records the HTTP requests a client sends through it, exactly as they
 * left the client: the way to see what Codex itself put on the wire, and which transport it chose, without asking
 * the gateway. A WebSocket connection starts with {@code GET … Upgrade: websocket} and carries no HTTP request after
 * it (its frames are passed on unread), so a client that made every request over its socket sent no {@code POST}.
 * Bytes pass through unchanged both ways; everything listens and connects on 127.0.0.1.
 */
final class ConnectionTap implements AutoCloseable {

    /** Longest request head kept (a head is a few hundred bytes); past it the connection is passed on unread. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Largest body kept (Codex's first request is about 40 KB); a larger one is passed on unread. */
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String CONTENT_LENGTH = "content-length:";

    /**
     * One request as the client sent it.
     *
     * @param head the request line and headers, lines ending in CRLF
     * @param body the body as UTF-8 text; empty without a {@code content-length}
     */
    record Request(String head, String body) {

        /** The request line, e.g. {@code POST /v1/responses HTTP/1.1}. */
        String line() {
            return head.lines().findFirst().orElse("");
        }

        /** Whether the request asks to upgrade the connection to a WebSocket. */
        boolean upgradesToWebSocket() {
            return head.toLowerCase(Locale.ROOT).contains("\r\nupgrade: websocket\r\n");
        }
    }

    private final int targetPort;
    private final ServerSocket listener;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** Listens on a free loopback port and relays every connection to {@code 127.0.0.1:targetPort}. */
    ConnectionTap(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAll, "connection-tap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:PORT}: the gateway, through the tap. */
    String baseUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Every request recorded so far, in the order their heads arrived. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The request line of each request, in order. */
    List<String> requestLines() {
        return requests.stream().map(Request::line).toList();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(target);
                start("connection-tap-in", () -> relayRequests(client, target));
                start("connection-tap-out", () -> pump(target.getInputStream(), client.getOutputStream(), client));
            } catch (IOException closedOrRefused) {
                // the tap is closing, or the gateway refused: the client sees its connection end
            }
        }
    }

    /**
     * Client to gateway: each request's head and body are read, recorded and passed on, until the connection ends
     * or becomes something this reader does not follow (an upgrade, a body without a length, an oversized part);
     * from there on bytes pass as they come.
     */
    private void relayRequests(Socket client, Socket target) throws IOException {
        InputStream in = new BufferedInputStream(client.getInputStream());
        OutputStream out = target.getOutputStream();
        while (true) {
            byte[] head = readHead(in);
            if (head.length == 0) {
                target.close();
                return;
            }
            String headText = new String(head, StandardCharsets.ISO_8859_1);
            long length = contentLength(headText);
            boolean followed = head.length < MAX_HEAD_BYTES && length >= 0 && length <= MAX_BODY_BYTES
                    && !chunked(headText);
            byte[] body = followed ? in.readNBytes((int) length) : new byte[0];
            Request request = new Request(headText, new String(body, StandardCharsets.UTF_8));
            // recorded before it goes on: the answer, and so the client's next step, can only come after
            requests.add(request);
            out.write(head);
            out.write(body);
            out.flush();
            if (!followed || request.upgradesToWebSocket() || body.length < length) {
                pump(in, out, target);
                return;
            }
        }
    }

    /** The bytes up to and including the blank line that ends a head; fewer if the stream ends or the bound hits. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < END_OF_HEAD.length && head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == END_OF_HEAD[matched] ? matched + 1 : (b == END_OF_HEAD[0] ? 1 : 0);
        }
        return head.toByteArray();
    }

    /** The declared body length; 0 without one. */
    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(CONTENT_LENGTH)) {
                try {
                    return Long.parseLong(line.substring(CONTENT_LENGTH.length()).trim());
                } catch (NumberFormatException notANumber) {
                    return -1;
                }
            }
        }
        return 0;
    }

    private static boolean chunked(String head) {
        return head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding:");
    }

    /** Copies until either side ends, then closes the other side so that both ends see it. */
    private static void pump(InputStream in, OutputStream out, Socket other) throws IOException {
        try {
            byte[] buffer = new byte[16 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } finally {
            other.close();
        }
    }

    private interface Relay {
        void run() throws IOException;
    }

    private static void start(String name, Relay relay) {
        Thread thread = new Thread(() -> {
            try {
                relay.run();
            } catch (IOException closed) {
                // one side closed or broke the connection; pump closed the other side for it
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
