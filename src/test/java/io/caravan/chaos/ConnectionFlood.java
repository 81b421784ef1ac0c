package io.caravan.chaos;

import io.caravan.e2e.TestGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Hundreds of caller connections that send nothing useful, driven by one thread with a selector: connections that
 * never send a byte, that sit idle after one request, that trickle an endless request head, or that trickle a body.
 * Records when the gateway closed each one, so a test can hold the closes against the listener time-outs.
 */
final class ConnectionFlood implements AutoCloseable {

    /** What a flood connection does. */
    enum Kind {
        /** Connects and sends nothing. */
        IDLE_NEW,
        /** Sends {@code GET /healthz}, reads the answer, then sends nothing more on the kept-alive connection. */
        IDLE_AFTER_REQUEST,
        /** Sends a request line, then one more header line every {@link #TRICKLE_MILLIS}, never ending the head. */
        SLOW_HEADERS,
        /** Sends a whole head announcing a 100 KB body, then one body byte every {@link #TRICKLE_MILLIS}. */
        SLOW_BODY
    }

    static final long TRICKLE_MILLIS = 250;

    /** One flood connection. Times are {@link System#nanoTime()}; 0 means not yet. */
    static final class Connection {
        final Kind kind;
        final SocketChannel channel;
        final long openedAt;
        long quietSince;
        long closedAt;
        long nextWriteAt;
        int linesSent;
        String closedBy;

        Connection(Kind kind, SocketChannel channel, long openedAt) {
            this.kind = kind;
            this.channel = channel;
            this.openedAt = openedAt;
            this.quietSince = kind == Kind.IDLE_AFTER_REQUEST ? 0 : openedAt;
            this.nextWriteAt = openedAt + TRICKLE_MILLIS * 1_000_000;
        }

        boolean open() {
            return closedAt == 0;
        }

        /** Milliseconds from the moment the connection went quiet (or began trickling) to its close. */
        long millisToClose() {
            return (closedAt - quietSince) / 1_000_000;
        }
    }

    private final int port;
    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);

    ConnectionFlood(int port) throws IOException {
        this.port = port;
        this.selector = Selector.open();
    }

    /** Opens {@code count} connections of {@code kind} and sends what each sends first. */
    void open(Kind kind, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            Connection c = new Connection(kind, channel, System.nanoTime());
            connections.add(c);
            channel.register(selector, SelectionKey.OP_READ, c);
            switch (kind) {
                case IDLE_AFTER_REQUEST -> send(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                case SLOW_HEADERS -> send(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                case SLOW_BODY -> send(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + TestGateway.CLIENT_KEY + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{");
                case IDLE_NEW -> { }
            }
        }
    }

    /** Drives every connection for up to {@code millis}: reads (noting closes) and trickles the slow ones. */
    void drive(long millis) throws IOException {
        long until = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < until && openCount() > 0) {
            selector.select(20);
            for (SelectionKey key : selector.selectedKeys()) {
                Connection c = (Connection) key.attachment();
                if (key.isValid() && key.isReadable()) {
                    read(c);
                }
            }
            selector.selectedKeys().clear();
            long now = System.nanoTime();
            for (Connection c : connections) {
                if (c.open() && now >= c.nextWriteAt && (c.kind == Kind.SLOW_HEADERS || c.kind == Kind.SLOW_BODY)) {
                    c.nextWriteAt = now + TRICKLE_MILLIS * 1_000_000;
                    send(c, c.kind == Kind.SLOW_HEADERS ? "X-Slow-" + c.linesSent++ + ": still coming\r\n" : " ");
                }
            }
        }
    }

    int openCount() {
        return (int) connections.stream().filter(Connection::open).count();
    }

    List<Connection> connections() {
        return connections;
    }

    Map<Kind, Integer> openByKind() {
        Map<Kind, Integer> open = new EnumMap<>(Kind.class);
        for (Connection c : connections) {
            if (c.open()) {
                open.merge(c.kind, 1, Integer::sum);
            }
        }
        return open;
    }

    private void read(Connection c) {
        try {
            scratch.clear();
            int n = c.channel.read(scratch);
            if (n < 0) {
                closed(c, "the gateway closed it");
            } else if (n > 0 && c.kind == Kind.IDLE_AFTER_REQUEST && c.quietSince == 0) {
                c.quietSince = System.nanoTime();
            }
        } catch (IOException e) {
            closed(c, "reset: " + e.getMessage());
        }
    }

    private void send(Connection c, String text) {
        try {
            c.channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            closed(c, "write failed: " + e.getMessage());
        }
    }

    private void closed(Connection c, String how) {
        if (c.open()) {
            c.closedAt = System.nanoTime();
            c.closedBy = how;
            if (c.quietSince == 0) {
                // Closed before its answer arrived: it went quiet when it was opened.
                c.quietSince = c.openedAt;
            }
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // Already gone.
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (Connection c : connections) {
            c.channel.close();
        }
        selector.close();
    }
}
