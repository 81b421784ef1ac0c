package io.caravan.component;

import java.time.Duration;

/**
 * No credential could serve the request: none serves its model (404), or every one that does is busy or failing
 * (503). (Every one cooling down after a provider's rate limit is a {@link CaravanRateLimitedException}.)
 */
public class CaravanNoCredentialException extends CaravanException {

    private final Duration retryAfter;

    public CaravanNoCredentialException(String message, int status, String body, String requestId,
            Duration retryAfter, Throwable cause) {
        super(message, status, body, requestId, cause);
        this.retryAfter = retryAfter;
    }

    /** When a credential may be free again; {@code null} when the model is not served at all. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
