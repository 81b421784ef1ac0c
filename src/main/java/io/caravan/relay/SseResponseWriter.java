package io.caravan.relay;

import io.caravan.dialect.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes an SSE answer to the caller: the response head on first use, then each event or keep-alive comment as
 * its own flushed write. Tracks when it last wrote so that keep-alives fill only real silences.
 */
public final class SseResponseWriter {

    private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

    private final HttpServerResponse response;
    private final String requestId;
    private volatile long lastWriteNanos = System.nanoTime();

    public SseResponseWriter(HttpServerResponse response, String requestId) {
        this.response = response;
        this.requestId = requestId;
    }

    public HttpServerResponse response() {
        return response;
    }

    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    public synchronized boolean ended() {
        return response.ended() || response.closed();
    }

    public synchronized void write(SseEvent event) {
        writeRaw(Buffer.buffer(event.toWire()));
    }

    public synchronized void keepAlive() {
        writeRaw(KEEP_ALIVE.copy());
    }

    /**
     * Ends the response, also when the caller has already gone: an ended response is what tells platform-http not
     * to write one of its own afterwards.
     */
    public synchronized void end() {
        if (response.ended()) {
            return;
        }
        try {
            head();
            response.end();
        } catch (IllegalStateException connectionGone) {
            // Nothing can reach a caller who left; the response is marked ended all the same.
        }
    }

    /** Whether the caller reads slower than the upstream writes. */
    public boolean writeQueueFull() {
        return response.writeQueueFull();
    }

    private void writeRaw(Buffer bytes) {
        if (ended()) {
            return;
        }
        head();
        response.write(bytes);
        lastWriteNanos = System.nanoTime();
    }

    private void head() {
        if (!response.headWritten()) {
            response.setStatusCode(200);
            response.putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM);
            response.putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
            response.putHeader("X-Accel-Buffering", "no");
            response.putHeader(io.caravan.call.CallerHeaders.REQUEST_ID, requestId);
            response.setChunked(true);
        }
    }
}
