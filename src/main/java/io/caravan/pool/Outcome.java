package io.caravan.pool;

import java.time.Duration;

/**
 * How one use of a credential ended, which decides what the pool does with the credential afterwards.
 *
 * @param kind what happened
 * @param retryAfter for {@link Kind#RATE_LIMITED}: how long the upstream asked us to wait, or {@code null} if it
 *     gave no hint
 * @param status for a failure: the upstream's HTTP status, or 0 for a network fault, a time-out or a stall
 * @param hint for a failure: what the upstream asked for, as it said it (e.g. {@code Retry-After 30s}), or
 *     {@code null}
 * @param detail for a failure: a short description for the operator (it may quote the upstream's error, so the
 *     pool masks the credential's key in it before showing it), or {@code null}
 */
public record Outcome(Kind kind, Duration retryAfter, int status, String hint, String detail) {

    /** What the pool does with the credential; which upstream failure leads to which is the rotation policy's. */
    public enum Kind {
        /** The upstream answered; any rate-limit backoff is reset. */
        SUCCESS,
        /** Not the credential's fault (the caller left, or the request itself was bad): no penalty. */
        NEUTRAL,
        /** The upstream failed in a way that may pass: a short cooldown. */
        TRANSIENT_FAILURE,
        /** Rate limited: cool down as long as the upstream asked, or back off exponentially without a hint. */
        RATE_LIMITED,
        /** The key was rejected: refresh it if its refresher can, else quarantine it. */
        UNAUTHORIZED
    }

    public static final Outcome SUCCESS = new Outcome(Kind.SUCCESS, null);
    public static final Outcome NEUTRAL = new Outcome(Kind.NEUTRAL, null);
    public static final Outcome TRANSIENT_FAILURE = new Outcome(Kind.TRANSIENT_FAILURE, null);
    public static final Outcome UNAUTHORIZED = new Outcome(Kind.UNAUTHORIZED, null);

    /** An outcome without a status or a description. */
    public Outcome(Kind kind, Duration retryAfter) {
        this(kind, retryAfter, 0, null, null);
    }

    public static Outcome rateLimited(Duration retryAfter) {
        return new Outcome(Kind.RATE_LIMITED, retryAfter);
    }

    /** A failed use, with what the admin API shows of it: the status, the upstream's hint and a description. */
    public static Outcome failure(Kind kind, Duration retryAfter, int status, String hint, String detail) {
        return new Outcome(kind, retryAfter, status, hint, detail);
    }

    /** Whether this outcome counts as a failure of the credential (anything but a success or a neutral end). */
    public boolean failed() {
        return kind != Kind.SUCCESS && kind != Kind.NEUTRAL;
    }
}
