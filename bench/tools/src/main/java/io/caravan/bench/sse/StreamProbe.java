package io.caravan.bench.sse;

import io.caravan.bench.target.Dialect;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * The record of one stream: when its request started, when each event arrived, how it ended. All mutation
 * happens on the stream's own event-loop thread; readers wait for {@link #finished()} through the wave latch.
 */
final class StreamProbe {
    private final Dialect dialect;
    private final SseEventScanner scanner;
    private long startNanos;
    private long[] arrivals = new long[80];
    private int events;
    private int status;
    private boolean sawEnd;
    private String error;
    private boolean finished;

    StreamProbe(Dialect dialect) {
        this.dialect = dialect;
        this.scanner = new SseEventScanner(dialect.streamEnd());
    }

    void started(long nanos) {
        startNanos = nanos;
    }

    void status(int code) {
        status = code;
        if (code != 200) {
            fail("HTTP " + code);
        }
    }

    void data(Buffer buffer, long nanos) {
        scanner.feed(buffer, (kind, errorText) -> onEvent(kind, errorText, nanos));
    }

    private void onEvent(SseEventScanner.Kind kind, String errorText, long nanos) {
        if (events == arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, arrivals.length * 2);
        }
        arrivals[events++] = nanos;
        if (kind == SseEventScanner.Kind.ERROR) {
            fail("error event: " + errorText);
        } else if (kind == SseEventScanner.Kind.END) {
            sawEnd = true;
        }
    }

    void ended() {
        if (!sawEnd) {
            fail("stream ended without " + dialect.streamEnd().describe() + " after " + events + " events");
        }
        finished = true;
    }

    void fail(String message) {
        if (error == null) {
            error = message;
        }
        finished = true;
    }

    boolean finished() {
        return finished;
    }

    boolean completed() {
        return finished && error == null && sawEnd && status == 200;
    }

    String error() {
        return error;
    }

    int events() {
        return events;
    }

    /** Milliseconds from request start to the first event, or NaN without events. */
    double firstEventMillis() {
        return events == 0 ? Double.NaN : (arrivals[0] - startNanos) / 1e6;
    }

    /** Largest gap between consecutive events in milliseconds (0 with fewer than two events). */
    double maxGapMillis() {
        long max = 0;
        for (int i = 1; i < events; i++) {
            max = Math.max(max, arrivals[i] - arrivals[i - 1]);
        }
        return max / 1e6;
    }

    double durationMillis() {
        return events == 0 ? Double.NaN : (arrivals[events - 1] - startNanos) / 1e6;
    }

    /** An event later than 100 ms past its pacing: the first after 100 ms, or a gap over interval + 100 ms. */
    boolean stalled(double intervalMillis, double toleranceMillis) {
        if (events == 0) {
            return false;
        }
        return firstEventMillis() > toleranceMillis || maxGapMillis() > intervalMillis + toleranceMillis;
    }
}
