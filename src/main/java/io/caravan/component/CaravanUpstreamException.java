package io.caravan.component;

/**
 * The upstream refused the request or failed, and rotating to other credentials did not help: its status, and in
 * {@link #body()} its error as the endpoint's dialect says it (translated when another dialect's credential served).
 */
public class CaravanUpstreamException extends CaravanException {

    public CaravanUpstreamException(String message, int status, String body, String requestId, Throwable cause) {
        super(message, status, body, requestId, cause);
    }
}
