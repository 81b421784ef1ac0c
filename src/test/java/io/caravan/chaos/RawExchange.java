package io.caravan.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.x request written byte for byte on a fresh loopback socket, and whatever comes back read with a hard
 * deadline and a cap on the bytes kept: the caller's view of the wire, for requests a normal client would refuse to
 * send and answers a normal client would hide (a cut stream, a reset, a connection left hanging).
 */
final class RawExchange {

    /** How the exchange ended, seen from the caller. */
    enum End {
        /** The whole response arrived, properly framed. */
        COMPLETE,
        /** The server closed or reset the connection before a status line. */
        CLOSED_BEFORE_ANSWER,
        /** A status line came, then the connection ended before the framed end of the body. */
        CUT,
        /** Nothing complete by the deadline, the connection still open. */
        NO_END_IN_TIME,
        /** The caller left on purpose at its deadline (an impatient caller). */
        LEFT,
        /** More body than the cap; reading stopped. */
        TOO_LARGE
    }

    /** The answer as read: status 0 when no status line came. Header names are lower-case. */
    record Response(End end, int status, Map<String, String> headers, byte[] body, long millis, String note) {

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name);
        }

        /** A short description for failure messages: the ending, status, a few headers and the start of the body. */
        String describe() {
            String text = bodyText();
            return end + (status > 0 ? " status=" + status : "") + " after " + millis + " ms"
                    + (note == null ? "" : " (" + note + ")")
                    + (headers.isEmpty() ? "" : " content-type=" + headers.get("content-type"))
                    + " body[" + body.length + "]=" + abbreviate(text, 600);
        }
    }

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private RawExchange() {
    }

    /**
     * Sends {@code request} and reads the response until it is complete, the connection ends, {@code timeoutMillis}
     * passed, or {@code maxBodyBytes} were read. With {@code leaveAtDeadline} the deadline is the caller leaving
     * ({@link End#LEFT}), not a failure to answer. A {@code HEAD} request's response has no body.
     */
    static Response send(int port, byte[] request, long timeoutMillis, int maxBodyBytes, boolean leaveAtDeadline) {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000;
        boolean head = request.length >= 5 && new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
        Reader reader = null;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setTcpNoDelay(true);
            String writeFailure = null;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it read everything (a 431, a 413): read what it said.
                writeFailure = "write failed: " + e.getMessage();
            }
            reader = new Reader(socket, deadline);
            return read(reader, head, maxBodyBytes, start, writeFailure);
        } catch (SocketTimeoutException e) {
            End end = leaveAtDeadline ? End.LEFT : End.NO_END_IN_TIME;
            return partial(reader, end, start, null);
        } catch (IOException e) {
            End end = reader == null || reader.status == 0 ? End.CLOSED_BEFORE_ANSWER : End.CUT;
            return partial(reader, end, start, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (NumberFormatException e) {
            return partial(reader, End.CUT, start, "unreadable framing: " + e.getMessage());
        }
    }

    private static Response read(Reader in, boolean head, int maxBodyBytes, long start, String note) throws IOException {
        do {
            String statusLine = in.line(MAX_HEAD_BYTES);
            if (statusLine == null) {
                return partial(in, End.CLOSED_BEFORE_ANSWER, start, note);
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                return partial(in, End.CUT, start, "not a status line: " + abbreviate(statusLine, 100));
            }
            in.status = Integer.parseInt(parts[1]);
            in.headers.clear();
            for (String line = in.line(MAX_HEAD_BYTES); ; line = in.line(MAX_HEAD_BYTES)) {
                if (line == null) {
                    return partial(in, End.CUT, start, "connection ended in the response head");
                }
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    in.headers.merge(name, value, (a, b) -> a + ", " + b);
                }
            }
        } while (in.status >= 100 && in.status < 200);

        if (head || in.status == 204 || in.status == 304) {
            return complete(in, start, note);
        }
        String transferEncoding = in.headers.getOrDefault("transfer-encoding", "");
        String contentLength = in.headers.get("content-length");
        if (transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sizeLine = in.line(1024);
                if (sizeLine == null) {
                    return partial(in, End.CUT, start, "connection ended between chunks");
                }
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
                if (size == 0) {
                    while (true) {
                        String trailer = in.line(MAX_HEAD_BYTES);
                        if (trailer == null || trailer.isEmpty()) {
                            return complete(in, start, note);
                        }
                    }
                }
                if (!in.body(size, maxBodyBytes)) {
                    return partial(in, in.tooLarge ? End.TOO_LARGE : End.CUT, start, "in a chunk");
                }
                if (in.line(16) == null) {
                    return partial(in, End.CUT, start, "connection ended after a chunk");
                }
            }
        }
        if (contentLength != null) {
            long length = Long.parseLong(contentLength.split(",")[0].trim());
            return in.body(length, maxBodyBytes) ? complete(in, start, note)
                    : partial(in, in.tooLarge ? End.TOO_LARGE : End.CUT, start, "before content-length");
        }
        in.body(Long.MAX_VALUE, maxBodyBytes);
        return in.tooLarge ? partial(in, End.TOO_LARGE, start, note) : complete(in, start, note);
    }

    private static Response complete(Reader in, long start, String note) {
        return new Response(End.COMPLETE, in.status, Map.copyOf(in.headers), in.bodyBytes.toByteArray(),
                millisSince(start), note);
    }

    private static Response partial(Reader in, End end, long start, String note) {
        if (in == null) {
            return new Response(end, 0, Map.of(), new byte[0], millisSince(start), note);
        }
        return new Response(end, in.status, Map.copyOf(in.headers), in.bodyBytes.toByteArray(), millisSince(start),
                note);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    static String abbreviate(String text, int max) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() <= max ? flat : flat.substring(0, max) + "…(" + flat.length() + " chars)";
    }

    /** Reads with the socket time-out shrinking towards the deadline, so no read can outlive it. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        int status;
        boolean tooLarge;
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream();

        Reader(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        /** False at the end of the stream. */
        private boolean fill() throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("deadline");
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int n = in.read(buffer);
            if (n < 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        /** One line without its CR LF (a bare LF ends it too); null when the stream ended first. */
        String line(int max) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                if (position == limit && !fill()) {
                    return null;
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                if (line.size() >= max) {
                    throw new IOException("line longer than " + max + " bytes");
                }
                line.write(b);
            }
        }

        /** Reads {@code length} body bytes (keeping at most {@code max}); false when the stream ended or overflowed. */
        boolean body(long length, int max) throws IOException {
            long left = length;
            while (left > 0) {
                if (position == limit && !fill()) {
                    return length == Long.MAX_VALUE;
                }
                int n = (int) Math.min(left, limit - position);
                if (bodyBytes.size() + n > max) {
                    tooLarge = true;
                    return false;
                }
                bodyBytes.write(buffer, position, n);
                position += n;
                left -= n;
            }
            return true;
        }
    }
}
