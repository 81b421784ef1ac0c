package io.caravan.component;

/**
 * The gateway refused the request itself, before any upstream: a body that is not a valid request of the
 * endpoint's dialect (400), an unknown or unusable client (401), a model the client may not use (403).
 */
public class CaravanRequestException extends CaravanException {

    public CaravanRequestException(String message, int status, String body, String requestId, Throwable cause) {
        super(message, status, body, requestId, cause);
    }
}
