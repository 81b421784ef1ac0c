package io.caravan.reply;

import io.caravan.dialect.StreamFraming;
import io.caravan.exchange.CallerHeaders;
import io.caravan.relay.CallerChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The caller's channel over a Vert.x server response: the only class of a request's path that writes to it. */
public final class VertxCallerChannel implements CallerChannel {

    private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    private static final CharSequence ACCEL_BUFFERING = HttpHeaders.createOptimized("X-Accel-Buffering");
    private static final CharSequence NO = HttpHeaders.createOptimized("no");

    private final HttpServerResponse response;
    /** Set by the gate's thread, run by the event loop that writes the end. */
    private final AtomicReference<Runnable> beforeEnd = new AtomicReference<>();

    public VertxCallerChannel(HttpServerResponse response) {
        this.response = response;
    }

    @Override
    public void answer(int status, CharSequence contentType, String requestId, Buffer body,
            Map<String, String> extraHeaders) {
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status);
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (requestId != null) {
            response.putHeader(CallerHeaders.REQUEST_ID, requestId);
        }
        if (extraHeaders != null) {
            extraHeaders.forEach(response::putHeader);
        }
        runBeforeEnd();
        response.end(body);
    }

    @Override
    public void beforeEnd(Runnable action) {
        beforeEnd.set(action);
    }

    private void runBeforeEnd() {
        Runnable action = beforeEnd.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    @Override
    public void addHeaders(Map<String, String> headers) {
        if (!response.headWritten()) {
            headers.forEach(response::putHeader);
        }
    }

    @Override
    public void startStream(String requestId, StreamFraming framing) {
        if (!response.headWritten()) {
            response.setStatusCode(200);
            response.putHeader(HttpHeaders.CONTENT_TYPE, framing == StreamFraming.SSE ? EVENT_STREAM : CallerReply.JSON);
            response.putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
            response.putHeader(ACCEL_BUFFERING, NO);
            response.putHeader(CallerHeaders.REQUEST_ID, requestId);
            response.setChunked(true);
        }
    }

    @Override
    public void writeEvent(Buffer event) {
        response.write(event);
    }

    @Override
    public void writeKeepAlive() {
        response.write(KEEP_ALIVE.copy());
    }

    @Override
    public void end() {
        if (response.ended()) {
            return;
        }
        runBeforeEnd();
        try {
            response.end();
        } catch (IllegalStateException connectionGone) {
            // Nothing can reach a caller who left; the response is marked ended all the same.
        }
    }

    @Override
    public boolean ended() {
        return response.ended() || response.closed();
    }

    @Override
    public boolean headSent() {
        return response.headWritten();
    }

    @Override
    public void onGone(Runnable listener) {
        response.closeHandler(v -> listener.run());
    }

    @Override
    public boolean writeQueueFull() {
        return response.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable resume) {
        response.drainHandler(v -> resume.run());
    }
}
