package io.caravan.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.exchange.CallerError;
import io.caravan.pool.NoCredentialException;
import io.caravan.upstream.UpstreamFailure;
import java.io.IOException;
import java.time.Duration;

/**
 * The exception a failed {@code caravan:} request raises, from the answer the gateway gave it (its status, as
 * {@code FailureReply} decided it for every caller) and the failure the gateway's routes caught: 429 is
 * {@link CaravanRateLimitedException} whatever limited it; then no credential, an upstream's refusal, the caller's
 * own mistake; anything else is the gateway's fault, a plain {@link CaravanException}.
 */
final class CaravanFailures {

    private CaravanFailures() {
    }

    /**
     * @param body the error in the endpoint's dialect (an answer, or a stream's last event)
     * @param retryAfterSeconds the answer's {@code Retry-After}, {@code null} for none
     * @param cause what the gateway's routes caught, {@code null} when nothing was
     */
    static CaravanException of(ObjectMapper mapper, int status, String body, String retryAfterSeconds,
            Throwable cause, String requestId) {
        String message = "Caravan answered " + status + " to request " + requestId + ": " + errorMessage(mapper, body);
        Duration retryAfter = seconds(retryAfterSeconds);
        if (status == 429) {
            return new CaravanRateLimitedException(message, body, requestId, retryAfter, cause);
        }
        if (cause instanceof NoCredentialException) {
            return new CaravanNoCredentialException(message, status, body, requestId, retryAfter, cause);
        }
        if (cause instanceof UpstreamFailure) {
            return new CaravanUpstreamException(message, status, body, requestId, cause);
        }
        if (cause instanceof CallerError || (status >= 400 && status < 500)) {
            return new CaravanRequestException(message, status, body, requestId, cause);
        }
        return new CaravanException(message, status, body, requestId, cause);
    }

    /** Every dialect's error names its message at {@code error.message}. */
    private static String errorMessage(ObjectMapper mapper, String body) {
        if (body == null) {
            return "no error message";
        }
        try {
            JsonNode message = mapper.readTree(body).path("error").path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (IOException notJson) {
            // Said as it came, below.
        }
        return body;
    }

    private static Duration seconds(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }
}
