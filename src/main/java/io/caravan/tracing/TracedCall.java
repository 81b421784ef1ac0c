package io.caravan.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One request's spans, kept in {@code GatewayCall.telemetry()}: the server span, the context its attempts are
 * children of, and the attempt span open now. An attempt span is ended by whichever comes first, its attempt's end
 * or the request's end (a caller that left, a time-out), exactly once, without a lock.
 */
final class TracedCall {

    private static final AtomicReferenceFieldUpdater<TracedCall, Span> OPEN_ATTEMPT =
            AtomicReferenceFieldUpdater.newUpdater(TracedCall.class, Span.class, "openAttempt");

    final Span server;
    final Context serverContext;
    private volatile Span openAttempt;
    /** The provider of the credential tried last, for the server span. */
    volatile String lastProvider;

    TracedCall(Span server, Context serverContext) {
        this.server = server;
        this.serverContext = serverContext;
    }

    /** {@code attempt} is the one in flight; an attempt still open (none should be) is ended first. */
    void attemptStarted(Span attempt) {
        Span previous = OPEN_ATTEMPT.getAndSet(this, attempt);
        if (previous != null) {
            previous.end();
        }
    }

    /** The attempt in flight, now no longer open; {@code null} when none was or it was ended already. */
    Span takeOpenAttempt() {
        return OPEN_ATTEMPT.getAndSet(this, null);
    }
}
