package io.caravan.testing;

import io.caravan.relay.CallerChannel;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A caller's channel with no connection behind it: it keeps what the caller would have received (a whole answer,
 * or a stream's head, events and keep-alives) for a test to read, and lets the test play a caller who leaves.
 * Writes arrive on Vert.x event loops, so every method is synchronized.
 */
public final class RecordingCallerChannel implements CallerChannel {

    private int status;
    private String contentType;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private boolean streamStarted;
    private final List<String> events = new ArrayList<>();
    private int keepAlives;
    private boolean ended;
    private boolean gone;
    private Runnable goneListener;

    @Override
    public synchronized void answer(int status, CharSequence contentType, String requestId, Buffer body,
            Map<String, String> extraHeaders) {
        if (ended() || streamStarted) {
            return;
        }
        this.status = status;
        this.contentType = contentType.toString();
        if (requestId != null) {
            headers.put("x-request-id", requestId);
        }
        if (extraHeaders != null) {
            headers.putAll(extraHeaders);
        }
        this.body = body.toString(StandardCharsets.UTF_8);
        ended = true;
    }

    @Override
    public synchronized void startStream(String requestId, io.caravan.dialect.StreamFraming framing) {
        if (!streamStarted) {
            streamStarted = true;
            status = 200;
            contentType = framing == io.caravan.dialect.StreamFraming.SSE ? "text/event-stream; charset=utf-8"
                    : "application/json";
            headers.put("x-request-id", requestId);
        }
    }

    @Override
    public synchronized void writeEvent(Buffer event) {
        if (!streamStarted) {
            throw new IllegalStateException("an event written before the stream's head");
        }
        events.add(event.toString(StandardCharsets.UTF_8));
        notifyAll();
    }

    @Override
    public synchronized void writeKeepAlive() {
        keepAlives++;
    }

    @Override
    public synchronized void end() {
        ended = true;
    }

    @Override
    public synchronized boolean ended() {
        return ended || gone;
    }

    @Override
    public synchronized boolean headSent() {
        return streamStarted || (ended && status != 0);
    }

    @Override
    public void onGone(Runnable listener) {
        synchronized (this) {
            goneListener = listener;
        }
    }

    /** Waits until {@code n} events were written (a bound for a test that would otherwise hang, not a time assertion). */
    public synchronized void awaitEvents(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + n + " events, got " + events);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Plays a caller whose connection closes now. */
    public void leave() {
        Runnable listener;
        synchronized (this) {
            gone = true;
            listener = goneListener;
        }
        if (listener != null) {
            listener.run();
        }
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void onDrain(Runnable resume) {
        resume.run();
    }

    /** The status the caller got: an answer's, or 200 once a stream's head went out; 0 for none. */
    public synchronized int status() {
        return status;
    }

    public synchronized String contentType() {
        return contentType;
    }

    /** The headers Caravan named for the caller (the server adds its own framing headers on a real connection). */
    public synchronized Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    /** A whole answer's body, or {@code null} for a stream or no answer. */
    public synchronized String body() {
        return body;
    }

    public synchronized boolean streamStarted() {
        return streamStarted;
    }

    /** A stream's events, each as its wire text. */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized int keepAlives() {
        return keepAlives;
    }

    /** Whether the answer was ended (by the gateway; a caller who left does not end it). */
    public synchronized boolean answerEnded() {
        return ended;
    }
}
