package io.caravan.pool;

import java.time.Duration;

/**
 * How long a credential stays out of rotation after a failure.
 *
 * @param transientFailure after 403/408/5xx/network faults
 * @param rateLimitBase the first backoff step after a 429 that carried no hint; doubled per consecutive 429
 * @param rateLimitMax upper bound for any 429 cooldown, hinted or not
 * @param quarantine after a 401
 */
public record CooldownPolicy(
        Duration transientFailure, Duration rateLimitBase, Duration rateLimitMax, Duration quarantine) {

    /** The cooldown for a 429; {@code consecutive} counts the 429s in a row including this one. */
    public Duration rateLimited(Duration hint, int consecutive) {
        Duration wait = hint;
        if (wait == null || wait.isNegative() || wait.isZero()) {
            int doublings = Math.min(Math.max(consecutive - 1, 0), 20);
            wait = rateLimitBase.multipliedBy(1L << doublings);
        }
        return wait.compareTo(rateLimitMax) > 0 ? rateLimitMax : wait;
    }
}
