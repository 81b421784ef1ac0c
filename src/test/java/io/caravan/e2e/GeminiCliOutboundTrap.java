package io.caravan.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward proxy on 127.0.0.1 that lets nothing through: the Gemini CLI under test is given it as its
 * {@code HTTPS_PROXY} and {@code HTTP_PROXY}, with {@code NO_PROXY=127.0.0.1}, so that every request the CLI makes
 * to a host other than loopback arrives here instead of on the network, is recorded by its request line
 * ({@code CONNECT play.googleapis.com:443 HTTP/1.1}) and refused with a 403. The CLI routes all of its HTTP
 * through that setting (its global fetch dispatcher becomes a proxy agent that honours {@code NO_PROXY}; the Google
 * auth library reads the same variables), which is how a run with usage statistics left on shows up here as its
 * Clearcut upload to {@code play.googleapis.com}. An empty {@link #requestLines()} after a run therefore means the
 * CLI tried no host beyond 127.0.0.1 through its HTTP stack.
 */
final class GeminiCliOutboundTrap implements AutoCloseable {

    /** A request line is a few dozen characters; a longer first line is cut here. */
    private static final int MAX_LINE_CHARS = 4096;
    private static final int READ_TIMEOUT_MILLIS = 5000;
    private static final byte[] REFUSAL = ("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    /** Listens on a free loopback port. */
    GeminiCliOutboundTrap() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAll, "gemini-cli-outbound-trap");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:PORT}, the value for the proxy variables. */
    String proxyUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** The first line of every request that reached the trap, in arrival order. */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try (Socket client = listener.accept()) {
                // one connection at a time: a client that connects and says nothing holds the trap this long only
                client.setSoTimeout(READ_TIMEOUT_MILLIS);
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                requestLines.add(line == null ? "(connection closed before a request line)"
                        : line.substring(0, Math.min(line.length(), MAX_LINE_CHARS)));
                OutputStream out = client.getOutputStream();
                out.write(REFUSAL);
                out.flush();
            } catch (SocketTimeoutException silent) {
                requestLines.add("(a connection without a request line)");
            } catch (IOException closedOrBroken) {
                // the trap is closing, or the client went away after its request line was recorded
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
