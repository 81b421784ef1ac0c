package io.caravan.relay;

import io.caravan.dialect.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits an upstream byte stream into server-sent events as the bytes arrive. Only whole lines are decoded, so a
 * multi-byte character split across network chunks is never corrupted. Comments ({@code : ...}) are dropped: the
 * gateway sends its own keep-alives.
 *
 * <p>What it holds is bounded: a line, and an event's lines together, may take at most {@code maxEventBytes}. An
 * upstream that never ends its line is otherwise a way to fill the heap; past the bound the parser stops and
 * {@link #feed} says so. A line arriving in many chunks is gathered in one growing array, so its cost stays linear.
 */
public final class SseParser {

    /** One mebibyte: far beyond any real event, small enough that thousands of streams cannot exhaust memory. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

    private final int maxEventBytes;
    private byte[] partialLine = new byte[0];
    private int partialLength;
    private int eventBytes;
    private boolean overflowed;
    private String event;
    private StringBuilder data;

    public SseParser() {
        this(DEFAULT_MAX_EVENT_BYTES);
    }

    public SseParser(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Feeds one network chunk; complete events are handed to {@code sink} in order. Returns {@code false} once a
     * line or an event has grown beyond the limit: the stream cannot be parsed any further, and nothing more is
     * delivered.
     */
    public boolean feed(Buffer chunk, Consumer<SseEvent> sink) {
        if (overflowed) {
            return false;
        }
        byte[] bytes = chunk.getBytes();
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                if (!completeLine(bytes, lineStart, i, sink)) {
                    return false;
                }
                lineStart = i + 1;
            }
        }
        if (lineStart < bytes.length && !keepPartial(bytes, lineStart, bytes.length)) {
            return false;
        }
        return true;
    }

    /** The stream ended: an event not terminated by a blank line is still delivered. */
    public void finish(Consumer<SseEvent> sink) {
        if (overflowed) {
            return;
        }
        if (partialLength > 0) {
            String last = decode(partialLine, 0, partialLength);
            int lastBytes = partialLength;
            partialLength = 0;
            if (!line(last, lastBytes, sink)) {
                return;
            }
        }
        line("", 0, sink);
    }

    private boolean completeLine(byte[] bytes, int start, int newline, Consumer<SseEvent> sink) {
        if (partialLength == 0) {
            int end = newline > start && bytes[newline - 1] == '\r' ? newline - 1 : newline;
            return line(decode(bytes, start, end), end - start, sink);
        }
        if (!keepPartial(bytes, start, newline)) {
            return false;
        }
        int end = partialLine[partialLength - 1] == '\r' ? partialLength - 1 : partialLength;
        partialLength = 0;
        return line(decode(partialLine, 0, end), end, sink);
    }

    private boolean keepPartial(byte[] bytes, int start, int end) {
        int length = end - start;
        if (length > maxEventBytes - partialLength) {
            return overflow();
        }
        if (partialLength + length > partialLine.length) {
            partialLine = Arrays.copyOf(partialLine, Math.min(maxEventBytes + 1,
                    Math.max(partialLength + length, Math.max(256, partialLine.length * 2))));
        }
        System.arraycopy(bytes, start, partialLine, partialLength, length);
        partialLength += length;
        return true;
    }

    private boolean line(String line, int byteLength, Consumer<SseEvent> sink) {
        if (line.isEmpty()) {
            if (data != null) {
                sink.accept(new SseEvent(event, data.toString()));
            }
            event = null;
            data = null;
            eventBytes = 0;
            return true;
        }
        if (line.charAt(0) == ':') {
            return true;
        }
        eventBytes += byteLength;
        if (eventBytes > maxEventBytes) {
            return overflow();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if ("data".equals(field)) {
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
        } else if ("event".equals(field)) {
            event = value;
        }
        return true;
    }

    private boolean overflow() {
        overflowed = true;
        partialLine = new byte[0];
        partialLength = 0;
        data = null;
        return false;
    }

    private static String decode(byte[] bytes, int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }
}
