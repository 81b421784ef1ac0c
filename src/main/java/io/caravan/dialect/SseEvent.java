package io.caravan.dialect;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event: an optional {@code event:} name and its {@code data:} payload (lines joined by '\n').
 * OpenAI streams carry no event names; Anthropic streams always do.
 */
public record SseEvent(String event, String data) {

    private static final String RESPONSE_FAILED = "response.failed";

    public static SseEvent data(String data) {
        return new SseEvent(null, data);
    }

    public static SseEvent named(String event, String data) {
        return new SseEvent(event, data);
    }

    /**
     * An in-band error: Anthropic's (and OpenAI Responses') {@code event: error}, OpenAI Responses'
     * {@code event: response.failed}, or an OpenAI data line holding an {@code error} object.
     */
    public boolean isError() {
        return "error".equals(event) || RESPONSE_FAILED.equals(event)
                || (event == null && data.startsWith("{\"error\""));
    }

    /** The event in wire form, terminated by the blank line that ends an event. */
    public byte[] toWire() {
        StringBuilder sb = new StringBuilder(data.length() + 32);
        if (event != null) {
            sb.append("event: ").append(event).append('\n');
        }
        int start = 0;
        int nl;
        while ((nl = data.indexOf('\n', start)) >= 0) {
            sb.append("data: ").append(data, start, nl).append('\n');
            start = nl + 1;
        }
        sb.append("data: ").append(data, start, data.length()).append("\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
