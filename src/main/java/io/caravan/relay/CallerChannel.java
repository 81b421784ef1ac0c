package io.caravan.relay;

import io.caravan.dialect.StreamFraming;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * What the request's processors may do to the caller's side of the connection: answer it whole, or open an event
 * stream and write to it, and learn whether the caller is still there. The processors and the relay hold this, never
 * the server's response object, so that they can run (and be tested) without an HTTP server behind them.
 *
 * <p>Every method may be called after the caller left: writes are then dropped, and {@link #end} still marks the
 * answer done, which is what tells the HTTP consumer not to write an answer of its own afterwards.
 */
public interface CallerChannel {

    /**
     * Answers the caller in one piece and ends the answer. Only the headers named here are sent besides the server's
     * own; once a stream head or an answer went out (or the caller left) this does nothing.
     *
     * @param requestId sent as {@code x-request-id}; {@code null} for none
     * @param extraHeaders sent as given; {@code null} for none
     */
    void answer(int status, CharSequence contentType, String requestId, Buffer body, Map<String, String> extraHeaders);

    /**
     * Headers that go out with the answer's head, whichever it turns out to be (a whole answer, an error, a stream),
     * such as the caller's rate-limit state; nothing once the head went out. A channel without headers (a WebSocket
     * turn) drops them.
     */
    default void addHeaders(Map<String, String> headers) {
    }

    /**
     * Runs {@code action} once, just before the answer's last bytes are written (a whole answer, or a stream's end),
     * so that what the request held (its client's concurrency slot) is free by the time the caller has the answer.
     * A channel that cannot tell drops it; what it would free is freed when the request is done.
     */
    default void beforeEnd(Runnable action) {
    }

    /**
     * Sends the head of a streamed answer (200, no caching; {@code text/event-stream}, or {@code application/json}
     * for a {@link StreamFraming#JSON_ARRAY}) unless it went out already.
     */
    void startStream(String requestId, StreamFraming framing);

    /** Writes one event (its wire bytes) as its own flushed write; the stream must have been started. */
    void writeEvent(Buffer event);

    /** Writes a keep-alive comment, so that proxies and clients see a live stream during a silence. */
    void writeKeepAlive();

    /** Ends the answer (a stream: its last chunk), quietly when the caller has already gone. */
    void end();

    /** Whether the answer was ended, or the caller's connection closed: nothing written now reaches anyone. */
    boolean ended();

    /** Whether the response head went out: from then on the status is fixed, and errors go in-band. */
    boolean headSent();

    /** Runs {@code listener} once when the caller's connection closes (at most one listener). */
    void onGone(Runnable listener);

    /** Whether the caller reads slower than the gateway writes: the writer should stop until {@link #onDrain}. */
    boolean writeQueueFull();

    /** Runs {@code resume} once the caller has read enough of what was written. */
    void onDrain(Runnable resume);
}
