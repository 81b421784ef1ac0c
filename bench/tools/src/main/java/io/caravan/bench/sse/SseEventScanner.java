package io.caravan.bench.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits an SSE byte stream into events (blocks of lines ended by a blank line), across buffer boundaries, and
 * classifies each by its first line without building strings. CR bytes are dropped, so CRLF and LF framing both
 * work. Comment-only blocks (": ...") are not events.
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
    private byte[] event = new byte[512];
    private int length;
    private int lineStart;

    /** @param endOfStream the first line of the event that ends a complete stream, e.g. "data: [DONE]" */
    SseEventScanner(String endOfStream) {
        this.endMarker = ascii(endOfStream);
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
        } else if (startsWith(endMarker)) {
            listener.onEvent(Kind.END, null);
        } else {
            listener.onEvent(Kind.DATA, null);
        }
    }

    private boolean startsWith(byte[] prefix) {
        return length >= prefix.length && Arrays.equals(event, 0, prefix.length, prefix, 0, prefix.length);
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
