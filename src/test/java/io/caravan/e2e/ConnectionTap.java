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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback relay in front of the gateway that notes how each connection a client opens through it begins: the
 * head of its first HTTP request (request line and headers). That tells the transport a client chose without asking
 * the gateway: a WebSocket connection starts with {@code GET … Upgrade: websocket} and carries no HTTP request after
 * it, so a client that made every request over its socket opened no connection with a {@code POST}, while one that
 * fell back to HTTP did. Bytes pass through unchanged both ways; everything listens and connects on 127.0.0.1.
 */
final class ConnectionTap implements AutoCloseable {

    /** Longest request head kept; a head is a few hundred bytes. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int targetPort;
    private final ServerSocket listener;
    private final List<String> openingHeads = new CopyOnWriteArrayList<>();
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

    /** The head of the first request of each connection, in the order the connections opened. */
    List<String> openingHeads() {
        return List.copyOf(openingHeads);
    }

    /** The first line of each connection's first request, e.g. {@code POST /v1/responses HTTP/1.1}. */
    List<String> openingRequestLines() {
        return openingHeads.stream().map(head -> head.lines().findFirst().orElse("")).toList();
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

    /** Client to gateway: the first request head is read and noted, then everything passes as it comes. */
    private void relayRequests(Socket client, Socket target) throws IOException {
        InputStream in = new BufferedInputStream(client.getInputStream());
        OutputStream out = target.getOutputStream();
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
        openingHeads.add(head.toString(StandardCharsets.ISO_8859_1));
        out.write(head.toByteArray());
        out.flush();
        pump(in, out, target);
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
