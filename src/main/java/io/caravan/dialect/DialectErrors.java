package io.caravan.dialect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * Error bodies in each dialect's exact shape, for HTTP answers and for in-band stream errors: the gateway's one
 * way to write an error, whatever the dialect ({@link Dialect#errorBody} gives the shape).
 */
public final class DialectErrors {

    private static final ObjectMapper JSON = JsonCodec.mapper();

    private DialectErrors() {
    }

    /** The error body a caller of {@code dialect} expects for {@code status}. */
    public static byte[] body(Dialect dialect, int status, String message, String requestId) {
        return bytes(node(dialect, status, message, null, requestId));
    }

    /** As {@link #body}, with a code such as {@code model_not_found} for the dialects that have codes. */
    public static byte[] body(Dialect dialect, int status, String message, String code, String requestId) {
        return bytes(node(dialect, status, message, code, requestId));
    }

    /** As {@link #body}, for an answer that says when to try again ({@link Dialect#errorBody(int, String, String, String, java.time.Duration)}). */
    public static byte[] body(Dialect dialect, int status, String message, String code, String requestId,
            java.time.Duration retryAfter) {
        return bytes(dialect.errorBody(status, message, code, requestId, retryAfter));
    }

    public static ObjectNode node(Dialect dialect, int status, String message, String code, String requestId) {
        return dialect.errorBody(status, message, code, requestId);
    }

    /** An in-band stream error, framed as the dialect's streams carry one. */
    public static SseEvent streamEvent(Dialect dialect, int status, String message, String requestId) {
        return dialect.streamError(new String(body(dialect, status, message, requestId), StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an error body cannot fail to serialise", e);
        }
    }
}
