package io.caravan.relay;

import io.caravan.dialect.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits an upstream byte stream into server-sent events as the bytes arrive. Only whole lines are decoded, so a
 * multi-byte character split across network chunks is never corrupted. Comments ({@code : ...}) are dropped: the
 * gateway sends its own keep-alives.
 */
public final class SseParser {

    private byte[] partialLine = new byte[0];
    private String event;
    private StringBuilder data;

    /** Feeds one network chunk; complete events are handed to {@code sink} in order. */
    public void feed(Buffer chunk, Consumer<SseEvent> sink) {
        byte[] bytes = chunk.getBytes();
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                int end = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
                line(join(bytes, lineStart, end), sink);
                lineStart = i + 1;
            }
        }
        if (lineStart < bytes.length) {
            partialLine = concat(partialLine, bytes, lineStart, bytes.length);
        }
    }

    /** The stream ended: an event not terminated by a blank line is still delivered. */
    public void finish(Consumer<SseEvent> sink) {
        if (partialLine.length > 0) {
            line(new String(partialLine, StandardCharsets.UTF_8), sink);
            partialLine = new byte[0];
        }
        line("", sink);
    }

    private String join(byte[] bytes, int start, int end) {
        if (partialLine.length == 0) {
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }
        byte[] whole = concat(partialLine, bytes, start, end);
        partialLine = new byte[0];
        int len = whole.length > 0 && whole[whole.length - 1] == '\r' ? whole.length - 1 : whole.length;
        return new String(whole, 0, len, StandardCharsets.UTF_8);
    }

    private void line(String line, Consumer<SseEvent> sink) {
        if (line.isEmpty()) {
            if (data != null) {
                sink.accept(new SseEvent(event, data.toString()));
            }
            event = null;
            data = null;
            return;
        }
        if (line.charAt(0) == ':') {
            return;
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
    }

    private static byte[] concat(byte[] head, byte[] bytes, int start, int end) {
        byte[] out = new byte[head.length + end - start];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(bytes, start, out, head.length, end - start);
        return out;
    }
}
