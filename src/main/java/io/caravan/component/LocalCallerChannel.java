package io.caravan.component;

import io.caravan.dialect.StreamFraming;
import io.caravan.exchange.CallerHeaders;
import io.caravan.relay.CallerChannel;
import io.caravan.relay.CallerDeparture;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The caller's side of a request a {@code caravan:} endpoint makes: what the gateway's processors would write to an
 * HTTP response is kept here (a whole answer: its status, body and {@code Retry-After}) or handed on (each event of
 * a stream, as its name and data). Written by the request's threads, read once the request's exchange is done.
 */
final class LocalCallerChannel implements CallerChannel {

    /** Hears each event of a streamed answer, in order, on the thread that writes it. */
    interface EventListener {
        void onEvent(String name, String data);
    }

    private static final String EVENT_FIELD = "event: ";
    private static final String DATA_FIELD = "data: ";

    private final EventListener events;
    private volatile int status;
    private volatile String body;
    private volatile String retryAfter;
    private volatile boolean streamed;
    private volatile boolean ended;
    private final CallerDeparture departure = new CallerDeparture();
    private Runnable beforeEnd;
    private String lastEventData;
    private int eventCount;

    LocalCallerChannel(EventListener events) {
        this.events = events;
    }

    @Override
    public void answer(int status, CharSequence contentType, String requestId, Buffer body,
            Map<String, String> extraHeaders) {
        if (ended || streamed) {
            return;
        }
        runBeforeEnd();
        this.status = status;
        this.body = body.toString(StandardCharsets.UTF_8);
        this.retryAfter = extraHeaders == null ? null : extraHeaders.get(CallerHeaders.RETRY_AFTER);
        ended = true;
    }

    @Override
    public synchronized void beforeEnd(Runnable action) {
        beforeEnd = action;
    }

    private void runBeforeEnd() {
        Runnable action;
        synchronized (this) {
            action = beforeEnd;
            beforeEnd = null;
        }
        if (action != null) {
            action.run();
        }
    }

    @Override
    public void startStream(String requestId, StreamFraming framing) {
        streamed = true;
    }

    /** One event in the relay's SSE wire form: an optional {@code event:} line, then one {@code data:} per line. */
    @Override
    public void writeEvent(Buffer event) {
        if (ended) {
            return;
        }
        String wire = event.toString(StandardCharsets.UTF_8);
        String name = null;
        StringBuilder data = new StringBuilder(wire.length());
        int start = 0;
        while (start < wire.length()) {
            int end = wire.indexOf('\n', start);
            if (end < 0) {
                end = wire.length();
            }
            if (wire.startsWith(EVENT_FIELD, start)) {
                name = wire.substring(start + EVENT_FIELD.length(), end);
            } else if (wire.startsWith(DATA_FIELD, start)) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(wire, start + DATA_FIELD.length(), end);
            }
            start = end + 1;
        }
        lastEventData = data.toString();
        eventCount++;
        events.onEvent(name, lastEventData);
    }

    @Override
    public void writeKeepAlive() {
        // No connection to keep open: the route waits for the answer however long it takes.
    }

    @Override
    public void end() {
        if (!ended) {
            runBeforeEnd();
            ended = true;
        }
    }

    @Override
    public boolean ended() {
        return ended || departure.gone();
    }

    @Override
    public boolean headSent() {
        return streamed;
    }

    @Override
    public void onGone(Runnable listener) {
        departure.onGone(listener);
    }

    /** The caller gave up on the answer (its stream's events could not be delivered): the gateway stops it. */
    void leave() {
        departure.leave();
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void onDrain(Runnable resume) {
        resume.run();
    }

    /** The whole answer's status; 0 for a streamed answer or none. */
    int status() {
        return status;
    }

    /** The whole answer's body; {@code null} for a streamed answer or none. */
    String body() {
        return body;
    }

    /** The whole answer's {@code Retry-After} in seconds, as the gateway wrote it; {@code null} for none. */
    String retryAfter() {
        return retryAfter;
    }

    boolean streamed() {
        return streamed;
    }

    /** The last event's data: a stream's error event, when it ended in one. */
    String lastEventData() {
        return lastEventData;
    }

    int eventCount() {
        return eventCount;
    }
}
