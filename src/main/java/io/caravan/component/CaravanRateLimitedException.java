package io.caravan.component;

import java.time.Duration;

/**
 * HTTP 429: the calling client is over one of its limits or its budget, every credential serving the model is
 * cooling down after its provider limited it, or the provider's rate limit was the last word once rotation was
 * over. {@link #retryAfter()} says when to try again.
 */
public class CaravanRateLimitedException extends CaravanException {

    private final Duration retryAfter;

    public CaravanRateLimitedException(String message, String body, String requestId, Duration retryAfter,
            Throwable cause) {
        super(message, 429, body, requestId, cause);
        this.retryAfter = retryAfter;
    }

    /** When to try again, as the answer's {@code Retry-After} said; {@code null} when it said nothing. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
