package io.caravan.relay;

import io.caravan.dialect.SseEvent;
import io.vertx.core.buffer.Buffer;

/**
 * Writes an SSE answer to the caller's channel: the stream's head on first use, then each event or keep-alive
 * comment as its own flushed write. Tracks when it last wrote so that keep-alives fill only real silences.
 */
public final class SseResponseWriter {

    private final CallerChannel channel;
    private final String requestId;
    private volatile long lastWriteNanos = System.nanoTime();

    public SseResponseWriter(CallerChannel channel, String requestId) {
        this.channel = channel;
        this.requestId = requestId;
    }

    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    public synchronized boolean ended() {
        return channel.ended();
    }

    public synchronized void write(SseEvent event) {
        if (channel.ended()) {
            return;
        }
        channel.startStream(requestId);
        channel.writeEvent(Buffer.buffer(event.toWire()));
        lastWriteNanos = System.nanoTime();
    }

    public synchronized void keepAlive() {
        if (channel.ended()) {
            return;
        }
        channel.startStream(requestId);
        channel.writeKeepAlive();
        lastWriteNanos = System.nanoTime();
    }

    /**
     * Ends the stream (with its head, if nothing was written yet), also when the caller has already gone: an ended
     * answer is what tells the HTTP consumer not to write one of its own afterwards.
     */
    public synchronized void end() {
        if (!channel.ended()) {
            channel.startStream(requestId);
        }
        channel.end();
    }

    /** Whether the caller reads slower than the upstream writes. */
    public boolean writeQueueFull() {
        return channel.writeQueueFull();
    }

    /** Runs {@code resume} once the caller has caught up. */
    public void onDrain(Runnable resume) {
        channel.onDrain(resume);
    }
}
