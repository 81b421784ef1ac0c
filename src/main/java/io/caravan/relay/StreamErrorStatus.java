package io.caravan.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.JsonCodec;
import io.caravan.dialect.SseEvent;
import java.io.IOException;

/**
 * The HTTP status an upstream's in-band stream error stands for: the status the provider would have answered had
 * the error come before the stream started (Anthropic's {@code overloaded_error} is 529, {@code rate_limit_error}
 * 429, {@code api_error} 500; OpenAI's {@code rate_limit_exceeded} 429, {@code server_error} 500). With it an error
 * that arrives as a stream's first event is rotated, cooled and answered like that status.
 */
final class StreamErrorStatus {

    private static final ObjectMapper JSON = JsonCodec.mapper();
    /** An error whose type says nothing known: the upstream failed, in a way the gateway cannot name. */
    private static final int UNKNOWN = 502;

    private StreamErrorStatus() {
    }

    static int of(SseEvent event) {
        JsonNode error;
        try {
            error = JSON.readTree(event.data()).path("error");
        } catch (IOException | RuntimeException notJson) {
            return UNKNOWN;
        }
        JsonNode code = error.path("code");
        // Google's errors carry the HTTP status itself as the code (a number), the others a name.
        if (code.isInt() && code.intValue() >= 400 && code.intValue() <= 599) {
            return code.intValue();
        }
        int byCode = forType(code.asText(""));
        return byCode != UNKNOWN ? byCode : forType(error.path("type").asText(""));
    }

    private static int forType(String type) {
        return switch (type) {
            case "invalid_request_error", "context_length_exceeded" -> 400;
            case "authentication_error", "invalid_api_key" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error", "model_not_found" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error", "rate_limit_exceeded", "insufficient_quota", "requests", "tokens" -> 429;
            case "api_error", "server_error" -> 500;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> UNKNOWN;
        };
    }
}
