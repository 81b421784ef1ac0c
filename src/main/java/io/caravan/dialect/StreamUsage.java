package io.caravan.dialect;

/**
 * Reads the token usage one upstream stream of a dialect reports, fed every event of the stream in order, before
 * any translation. It sees every event of a passed-through stream, so an implementation decides by the event's name
 * or a substring test whether an event can carry usage before it parses any JSON. Usage reported more than once in
 * one stream (a start count, then a final one) is the latest report. One instance reads exactly one stream and is
 * not thread-safe.
 */
public interface StreamUsage {

    /**
     * Reads one upstream event.
     *
     * @return whether the event carries nothing but usage: the extra event an upstream sends only when the request
     *         asked for usage ({@link Dialect#withStreamUsage}), which a caller that did not ask need not see
     */
    boolean onEvent(SseEvent event);

    /** The usage the stream has reported so far; {@link TokenCounts#NONE} before any. */
    TokenCounts counts();
}
