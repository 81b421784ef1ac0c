package io.caravan.bench.sse;

import io.caravan.bench.target.StreamEnd;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits an SSE byte stream into events (blocks of lines ended by a blank line), across buffer boundaries, and
 * classifies each by its first line without building strings. CR bytes are dropped, so CRLF and LF framing both
 * work. Comment-only blocks (": ...") are not events. The end of a stream is an event's first line, or (Gemini, no
 * terminator) a text anywhere in an event.
 */
final class SseEventScanner {
    enum Kind { DATA, ERROR, END }

    interface Listener {
        void onEvent(Kind kind, String errorText);
    }

    private static final byte[] EVENT_ERROR = ascii("event: error");
    private static final byte[] DATA_ERROR = ascii("data: {\"error\"");
    private static final byte[] EVENT_RESPONSE_FAILED = ascii("event: response.failed");
    private static final byte[] EVENT_RESPONSE_INCOMPLETE = ascii("event: response.incomplete");

    private final byte[] endMarker;
    private final boolean endMarkerAnywhere;
    private byte[] event = new byte[512];
    private int length;
    private int lineStart;

    /** @param end how the event that ends a complete stream is recognised, e.g. its first line "data: [DONE]" */
    SseEventScanner(StreamEnd end) {
        this.endMarker = ascii(end.marker());
        this.endMarkerAnywhere = end.anywhere();
    }

    void feed(Buffer buffer, Listener listener) {
        int n = buffer.length();
        for (int i = 0; i < n; i++) {
            byte b = buffer.getByte(i);
            if (b == '\r') {
                continue;
            }
            if (b != '\n') {
                append(b);
            } else if (length == lineStart) {
                if (length > 0 && event[0] != ':') {
                    emit(listener);
                }
                length = 0;
                lineStart = 0;
            } else {
                append(b);
                lineStart = length;
            }
        }
    }

    private void emit(Listener listener) {
        if (startsWith(EVENT_ERROR) || startsWith(DATA_ERROR) || startsWith(EVENT_RESPONSE_FAILED)
                || startsWith(EVENT_RESPONSE_INCOMPLETE)) {
            listener.onEvent(Kind.ERROR, new String(event, 0, Math.min(length, 160), StandardCharsets.UTF_8));
        } else if (endMarkerAnywhere ? contains(endMarker) : startsWith(endMarker)) {
            listener.onEvent(Kind.END, null);
        } else {
            listener.onEvent(Kind.DATA, null);
        }
    }

    private boolean startsWith(byte[] prefix) {
        return length >= prefix.length && Arrays.equals(event, 0, prefix.length, prefix, 0, prefix.length);
    }

    private boolean contains(byte[] text) {
        for (int from = 0; from + text.length <= length; from++) {
            if (Arrays.equals(event, from, from + text.length, text, 0, text.length)) {
                return true;
            }
        }
        return false;
    }

    private void append(byte b) {
        if (length == event.length) {
            event = Arrays.copyOf(event, event.length * 2);
        }
        event[length++] = b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
