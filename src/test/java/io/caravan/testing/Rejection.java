package io.caravan.testing;

/**
 * An error the fake answers in its provider's error shape. {@code param} and {@code code} are OpenAI's extra
 * fields (either may be {@code null}); the Anthropic body has no place for them and drops them.
 */
record Rejection(int status, String type, String message, String param, String code) {

    static Rejection invalidRequest(String message) {
        return new Rejection(400, "invalid_request_error", message, null, null);
    }

    static Rejection invalidRequest(String message, String param, String code) {
        return new Rejection(400, "invalid_request_error", message, param, code);
    }
}
