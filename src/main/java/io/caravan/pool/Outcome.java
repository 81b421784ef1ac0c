package io.caravan.pool;

import java.time.Duration;

/**
 * How one use of a credential ended, which decides what the pool does with the credential afterwards.
 *
 * @param kind what happened
 * @param retryAfter for {@link Kind#RATE_LIMITED}: how long the upstream asked us to wait, or {@code null} if it
 *     gave no hint
 */
public record Outcome(Kind kind, Duration retryAfter) {

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

    public static Outcome rateLimited(Duration retryAfter) {
        return new Outcome(Kind.RATE_LIMITED, retryAfter);
    }
}
