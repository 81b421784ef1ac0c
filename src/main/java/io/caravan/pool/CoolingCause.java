package io.caravan.pool;

/** Why a credential is cooling down; decides what a caller is told when every credential is. */
public enum CoolingCause {
    /** The upstream answered 429: the caller is rate limited too (429 with Retry-After). */
    RATE_LIMITED,
    /** 403, 408, 5xx, a network fault or a time-out: the upstream is unavailable (503 with Retry-After). */
    UPSTREAM_FAULT,
    /** The key was rejected (401): out until its quarantine ends, which is no rate limit either. */
    QUARANTINED
}
