package io.caravan.dialect;

/**
 * How a stream of one dialect ends, for relaying it unchanged and still never presenting a broken stream as
 * finished. Asked once per event on the stream path: implementations look at the event as it is (no parsing, no
 * allocation).
 */
public interface StreamEnding {

    /** Whether nothing may follow this event: the dialect's terminator, or an in-band error that ends the stream. */
    boolean closes(SseEvent event);

    /** Whether this event shows the answer complete, so that only the terminator could still be missing. */
    boolean finishesAnswer(SseEvent event);

    /**
     * The terminator added when the upstream finished its answer but did not send it, or {@code null} when the
     * dialect's last event is itself part of the answer (then a stream that ends without it ends in error).
     */
    SseEvent terminator();
}
