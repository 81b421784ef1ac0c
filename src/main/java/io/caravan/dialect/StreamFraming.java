package io.caravan.dialect;

/** How the events of a streamed answer are framed on the caller's connection. */
public enum StreamFraming {
    /** Server-sent events ({@code text/event-stream}): every dialect's streams, and Gemini's with {@code alt=sse}. */
    SSE,
    /**
     * One JSON array ({@code application/json}) whose elements are the events' data, written as they come: Gemini's
     * {@code streamGenerateContent} without {@code alt=sse}.
     */
    JSON_ARRAY
}
