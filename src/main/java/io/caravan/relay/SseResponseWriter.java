package io.caravan.relay;

import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamFraming;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a streamed answer to the caller's channel: the stream's head on first use, then each event or keep-alive
 * as its own flushed write. Tracks when it last wrote so that keep-alives fill only real silences.
 *
 * <p>Events are framed as server-sent events, or for a {@link StreamFraming#JSON_ARRAY} as the elements of one JSON
 * array: {@code [} before the first, a comma between two, {@code ]} at the end. A keep-alive there is a line break,
 * which JSON allows between any two tokens.
 */
public final class SseResponseWriter {

    private static final byte[] ARRAY_START = {'['};
    private static final byte[] ARRAY_SEPARATOR = {',', '\r', '\n'};
    private static final Buffer ARRAY_END = Buffer.buffer("]");
    private static final Buffer EMPTY_ARRAY = Buffer.buffer("[]");
    private static final Buffer ARRAY_KEEP_ALIVE = Buffer.buffer("\n");

    private final CallerChannel channel;
    private final String requestId;
    private final StreamFraming framing;
    private boolean eventWritten;
    private volatile long lastWriteNanos = System.nanoTime();

    public SseResponseWriter(CallerChannel channel, String requestId, StreamFraming framing) {
        this.channel = channel;
        this.requestId = requestId;
        this.framing = framing;
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
        channel.startStream(requestId, framing);
        channel.writeEvent(framing == StreamFraming.SSE ? Buffer.buffer(event.toWire()) : arrayElement(event));
        eventWritten = true;
        lastWriteNanos = System.nanoTime();
    }

    private Buffer arrayElement(SseEvent event) {
        byte[] data = event.data().getBytes(StandardCharsets.UTF_8);
        byte[] before = eventWritten ? ARRAY_SEPARATOR : ARRAY_START;
        return Buffer.buffer(before.length + data.length).appendBytes(before).appendBytes(data);
    }

    public synchronized void keepAlive() {
        if (channel.ended()) {
            return;
        }
        channel.startStream(requestId, framing);
        if (framing == StreamFraming.SSE) {
            channel.writeKeepAlive();
        } else {
            channel.writeEvent(ARRAY_KEEP_ALIVE.copy());
        }
        lastWriteNanos = System.nanoTime();
    }

    /**
     * Ends the stream (with its head, if nothing was written yet), also when the caller has already gone: an ended
     * answer is what tells the HTTP consumer not to write one of its own afterwards. A JSON array is closed first.
     */
    public synchronized void end() {
        if (!channel.ended()) {
            channel.startStream(requestId, framing);
            if (framing == StreamFraming.JSON_ARRAY) {
                channel.writeEvent((eventWritten ? ARRAY_END : EMPTY_ARRAY).copy());
            }
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
