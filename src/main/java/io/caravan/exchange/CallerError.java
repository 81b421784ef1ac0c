package io.caravan.exchange;

import java.time.Duration;

/** A problem with the caller's request, answered in the caller's dialect with {@link #status()}. */
public class CallerError extends Exception {

    private final int status;
    private final String openAiCode;
    private final Duration retryAfter;

    public CallerError(int status, String message) {
        this(status, message, null);
    }

    /** @param openAiCode the OpenAI {@code error.code}, such as {@code invalid_api_key} (Anthropic has none) */
    public CallerError(int status, String message, String openAiCode) {
        this(status, message, openAiCode, null);
    }

    /** @param retryAfter when the caller may try again (sent as {@code Retry-After}); {@code null} for no hint */
    public CallerError(int status, String message, String openAiCode, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.openAiCode = openAiCode;
        this.retryAfter = retryAfter;
    }

    /** The one answer to a caller without a valid client key, on every endpoint that needs one. */
    public static CallerError unauthenticated() {
        return new CallerError(401, "Invalid or missing API key. Send the gateway's client key as "
                + "'Authorization: Bearer <key>', 'x-api-key: <key>', 'x-goog-api-key: <key>' or '?key=<key>'.",
                "invalid_api_key");
    }

    public int status() {
        return status;
    }

    public String openAiCode() {
        return openAiCode;
    }

    /** When the caller may try again, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
