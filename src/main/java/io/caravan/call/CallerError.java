package io.caravan.call;

/** A problem with the caller's request, answered in the caller's dialect with {@link #status()}. */
public class CallerError extends Exception {

    private final int status;
    private final String openAiCode;

    public CallerError(int status, String message) {
        this(status, message, null);
    }

    /** @param openAiCode the OpenAI {@code error.code}, such as {@code invalid_api_key} (Anthropic has none) */
    public CallerError(int status, String message, String openAiCode) {
        super(message, null, false, false);
        this.status = status;
        this.openAiCode = openAiCode;
    }

    public int status() {
        return status;
    }

    public String openAiCode() {
        return openAiCode;
    }
}
