package io.caravan.pool;

import java.time.Duration;

/** No credential could be leased for a request; the reason decides the caller's status. */
public class NoCredentialException extends Exception {

    public enum Reason {
        /** No enabled credential serves the model: 404. */
        MODEL_NOT_SERVED,
        /** Every credential serving the model is cooling down after a 429: 429 with Retry-After. */
        ALL_COOLING,
        /** Every credential is at its concurrency cap and the wait ran out or the queue is full: 503. */
        ALL_BUSY,
        /**
         * Every credential serving the model is cooling down, and not all of them for a rate limit (5xx, network
         * faults, time-outs, a rejected key): 503 with Retry-After.
         */
        ALL_FAILING
    }

    private final Reason reason;
    private final Duration retryAfter;

    public NoCredentialException(Reason reason, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    /** When trying again makes sense, or {@code null} when it never does (model not served). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
