package io.caravan.relay;

import io.caravan.dialect.AnswerShape;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialect.SseEvent;
import io.caravan.dialect.StreamEnding;
import io.caravan.dialect.StreamTranslator;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamFailure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Relays one upstream SSE stream to the caller event by event, on the event loop, with no buffering.
 *
 * <p>Until the first event reaches the caller the attempt may still fail and be retried with another credential;
 * after it, an upstream failure or stall becomes an in-band error in the caller's dialect and the stream ends.
 * Between events, keep-alive comments are sent whenever the caller has heard nothing for the keep-alive interval,
 * including while the request still waits for a credential or for the upstream's first byte.
 *
 * <p>An answer is only relayed once it shows itself to be a stream of the upstream's dialect: a 2xx that is not an
 * event stream, whose first event is not JSON of that dialect, or whose first event is the provider's error, fails
 * the attempt before anything reached the caller, so that another credential may answer. An event larger than the
 * limit ends the stream likewise (or, once it has started, with an in-band error), and the upstream is cut off.
 */
public final class SseRelay {

    private static final String EVENT_STREAM = "text/event-stream";

    private final Vertx vertx;
    private final RelayedCall call;
    private final SseResponseWriter writer;
    private final long keepAliveNanos;
    private final long idleNanos;
    private final long deadlineNanos;
    private final int maxEventBytes;
    /** How the caller's stream ends: the translator's output is in the caller's dialect. */
    private final StreamEnding callerEnding;
    private final Promise<StreamEnd> finished = Promise.promise();
    private long ticker = -1;

    /** The attempt currently feeding this relay, with its private parsing and translation state. */
    private UpstreamAttempt<Void> attempt;
    private HttpClientResponse upstream;
    private SseParser parser;
    private StreamTranslator translator;
    private AnswerShape firstEventShape;
    private boolean firstEventSeen;
    private volatile long lastUpstreamNanos;

    /**
     * @param deadline the longest the whole request may take, counted from its arrival
     * @param maxEventBytes the largest line or event accepted from the upstream
     */
    public SseRelay(Vertx vertx, RelayedCall call, Duration keepAlive, Duration idle, Duration deadline,
            int maxEventBytes) {
        this.vertx = vertx;
        this.call = call;
        this.callerEnding = call.dialect().streamEnding();
        this.writer = new SseResponseWriter(call.channel(), call.requestId(), call.streamFraming());
        this.keepAliveNanos = keepAlive.toNanos();
        this.idleNanos = idle.toNanos();
        this.deadlineNanos = call.startNanos() + deadline.toNanos();
        this.maxEventBytes = maxEventBytes;
    }

    /** Starts the keep-alive clock; the relay stops by itself when the stream ends or the caller leaves. */
    public void open() {
        long tickMillis = Math.max(20, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(Math.min(keepAliveNanos, idleNanos)) / 4));
        ticker = vertx.setPeriodic(tickMillis, id -> tick());
        call.onCallerGone(() -> finish(StreamEnd.CALLER_GONE));
    }

    /** Completes when a stream that reached the caller has ended, however it ended. */
    public Future<StreamEnd> finished() {
        return finished.future();
    }

    /**
     * Takes over a 2xx upstream answer (runs on the event loop). The attempt completes when the first event has
     * been written to the caller, or fails — and may be retried elsewhere — if the upstream breaks off before that.
     */
    public synchronized void attach(HttpClientResponse response, UpstreamAttempt<Void> attempt, StreamTranslator translator,
            Dialect upstreamDialect) {
        this.attempt = attempt;
        this.upstream = response;
        this.parser = new SseParser(maxEventBytes);
        this.translator = translator;
        this.firstEventShape = upstreamDialect.streamEventShape();
        this.firstEventSeen = false;
        this.lastUpstreamNanos = System.nanoTime();
        if (!isEventStream(response.getHeader(HttpHeaders.CONTENT_TYPE))) {
            refuse(UpstreamFailure.invalidAnswer(attempt.credentialName(), "it is not an event stream"));
            return;
        }
        response.handler(chunk -> onBytes(response, chunk));
        response.endHandler(v -> onUpstreamEnd(response));
        response.exceptionHandler(e -> onUpstreamError(response, e));
    }

    private synchronized void onBytes(HttpClientResponse response, Buffer chunk) {
        if (response != upstream || finished.future().isComplete() || attempt.result().failed()) {
            return;
        }
        lastUpstreamNanos = System.nanoTime();
        if (!parser.feed(chunk, this::onUpstreamEvent)) {
            tooLarge();
            return;
        }
        if (!finished.future().isComplete() && writer.writeQueueFull()) {
            HttpClientResponse paused = upstream;
            paused.pause();
            writer.onDrain(paused::resume);
        }
    }

    private void onUpstreamEvent(SseEvent event) {
        if (finished.future().isComplete() || attempt.result().failed()) {
            return;
        }
        if (!firstEventSeen) {
            firstEventSeen = true;
            if (!call.committed() && !acceptFirst(event)) {
                return;
            }
        }
        List<SseEvent> out = translator.onEvent(event);
        writeAll(out);
    }

    /**
     * Whether the first event of an attempt may go to the caller. The provider's error as the very first event
     * means the upstream could not start the answer at all: failed like the status it stands for, so that it is
     * rotated (or relayed as that error) instead of being presented as a started answer.
     */
    private boolean acceptFirst(SseEvent event) {
        if (event.isError()) {
            refuse(UpstreamFailure.status(StreamErrorStatus.of(event), MultiMap.caseInsensitiveMultiMap(), event.data(),
                    attempt.credentialName()));
            return false;
        }
        if (!firstEventShape.matches(event.data())) {
            refuse(UpstreamFailure.invalidAnswer(attempt.credentialName(),
                    "its first event is not " + firstEventShape.description()));
            return false;
        }
        return true;
    }

    /** An event beyond the limit: before the first event an upstream fault, after it an in-band error. */
    private void tooLarge() {
        String why = "it sent an event larger than the gateway's limit of " + maxEventBytes + " bytes";
        if (call.committed()) {
            // The caller's error first: closing the upstream reports a lost connection, which must not be the one.
            failInBand(502, "The upstream's answer was not valid: " + why);
            attempt.abort(UpstreamFailure.invalidAnswer(attempt.credentialName(), why));
        } else {
            refuse(UpstreamFailure.invalidAnswer(attempt.credentialName(), why));
        }
    }

    /** Fails the attempt before its first event and cuts the upstream off: it is not read any further. */
    private void refuse(UpstreamFailure failure) {
        upstream.exceptionHandler(closedByUs -> { });
        attempt.abort(failure);
    }

    private static boolean isEventStream(String contentType) {
        return contentType != null && contentType.trim().regionMatches(true, 0, EVENT_STREAM, 0, EVENT_STREAM.length());
    }

    private synchronized void onUpstreamEnd(HttpClientResponse response) {
        if (response != upstream || finished.future().isComplete() || attempt.result().failed()) {
            return;
        }
        parser.finish(this::onUpstreamEvent);
        if (finished.future().isComplete() || attempt.result().failed()) {
            return;
        }
        if (!firstEventSeen && !call.committed()) {
            // Not one event (an empty body, or one that is no SSE at all): nothing to present, another may answer.
            attempt.fail(UpstreamFailure.network(attempt.credentialName(), "the upstream ended the stream without an event"));
            return;
        }
        writeAll(translator.onEnd());
        if (!call.committed()) {
            attempt.fail(UpstreamFailure.network(attempt.credentialName(), "the upstream ended the stream without an event"));
        } else if (!finished.future().isComplete()) {
            finish(StreamEnd.COMPLETED);
        }
    }

    private synchronized void onUpstreamError(HttpClientResponse response, Throwable error) {
        if (response != upstream || finished.future().isComplete()) {
            return;
        }
        if (call.callerGone()) {
            finish(StreamEnd.CALLER_GONE);
        } else if (!call.committed()) {
            attempt.fail(UpstreamFailure.network(attempt.credentialName(), "the stream broke off before its first event"));
        } else {
            failInBand(502, "The upstream connection was lost in the middle of the answer");
        }
    }

    private void writeAll(List<SseEvent> events) {
        for (SseEvent e : events) {
            writer.write(e);
            if (!call.committed()) {
                call.markFirstByte();
                attempt.complete(null);
            }
            if (isTerminal(e)) {
                finish(e.isError() ? StreamEnd.UPSTREAM_FAILED : StreamEnd.COMPLETED);
                return;
            }
        }
    }

    private synchronized void tick() {
        if (finished.future().isComplete() || writer.ended()) {
            finish(call.callerGone() ? StreamEnd.CALLER_GONE : StreamEnd.UPSTREAM_FAILED);
            return;
        }
        long now = System.nanoTime();
        if (now - deadlineNanos > 0 && attempt != null) {
            if (call.committed()) {
                failInBand(504, "The request exceeded the gateway's deadline");
            }
            attempt.abort(UpstreamFailure.timeout(attempt.credentialName(), "request deadline passed"));
            return;
        }
        if (call.committed() && now - lastUpstreamNanos > idleNanos) {
            failInBand(504, "The upstream stalled: no data for " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms");
            attempt.abort(UpstreamFailure.timeout(attempt.credentialName(), "stalled"));
            return;
        }
        if (now - writer.lastWriteNanos() >= keepAliveNanos) {
            writer.keepAlive();
        }
    }

    /** Stops keep-alives without ending the response: a whole error answer is about to be written instead. */
    public synchronized void stopKeepAlive() {
        if (ticker >= 0) {
            vertx.cancelTimer(ticker);
            ticker = -1;
        }
    }

    /** Ends the stream with an in-band error in the caller's dialect. */
    public synchronized void failInBand(int status, String message) {
        if (finished.future().isComplete()) {
            return;
        }
        SseEvent framed = translator == null ? null : translator.cutShort(status, message);
        writer.write(framed != null ? framed : DialectErrors.streamEvent(call.dialect(), status, message, call.requestId()));
        finish(StreamEnd.UPSTREAM_FAILED);
    }

    private synchronized void finish(StreamEnd end) {
        if (finished.future().isComplete()) {
            return;
        }
        stopKeepAlive();
        writer.end();
        finished.tryComplete(end);
    }

    private boolean isTerminal(SseEvent e) {
        return callerEnding.closes(e) || e.isError();
    }
}
