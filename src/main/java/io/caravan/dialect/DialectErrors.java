package io.caravan.dialect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Error bodies in each dialect's exact shape, for HTTP answers and for in-band stream errors. */
public final class DialectErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DialectErrors() {
    }

    /** The error body a caller of {@code dialect} expects for {@code status}. */
    public static byte[] body(Dialect dialect, int status, String message, String requestId) {
        return bytes(node(dialect, status, message, null, requestId));
    }

    /** As {@link #body}, with an OpenAI {@code code} such as {@code model_not_found} (Anthropic has no codes). */
    public static byte[] body(Dialect dialect, int status, String message, String openAiCode, String requestId) {
        return bytes(node(dialect, status, message, openAiCode, requestId));
    }

    public static ObjectNode node(Dialect dialect, int status, String message, String openAiCode, String requestId) {
        ObjectNode root = JSON.createObjectNode();
        if (dialect == Dialect.ANTHROPIC) {
            root.put("type", "error");
            ObjectNode error = root.putObject("error");
            error.put("type", anthropicType(status));
            error.put("message", message);
            if (requestId != null) {
                root.put("request_id", requestId);
            }
        } else {
            ObjectNode error = root.putObject("error");
            error.put("message", message);
            error.put("type", openAiType(status));
            error.putNull("param");
            if (openAiCode != null) {
                error.put("code", openAiCode);
            } else {
                error.putNull("code");
            }
        }
        return root;
    }

    /** An in-band stream error: {@code event: error} for Anthropic, a {@code data:} chunk with {@code error} for OpenAI. */
    public static SseEvent streamEvent(Dialect dialect, int status, String message, String requestId) {
        String json = new String(body(dialect, status, message, requestId), StandardCharsets.UTF_8);
        return dialect == Dialect.ANTHROPIC ? SseEvent.named("error", json) : SseEvent.data(json);
    }

    public static String anthropicType(int status) {
        return switch (status) {
            case 400, 405, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    public static String openAiType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an error body cannot fail to serialise", e);
        }
    }
}
