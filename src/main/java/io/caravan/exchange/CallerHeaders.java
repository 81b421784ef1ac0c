package io.caravan.exchange;

/** Header names Caravan reads from callers or writes back to them. */
public final class CallerHeaders {

    /** Carries the request id back to the caller on every answer (the same id is in the access log). */
    public static final String REQUEST_ID = "x-request-id";
    public static final String AUTHORIZATION = "authorization";
    public static final String X_API_KEY = "x-api-key";
    public static final String X_GOOG_API_KEY = "x-goog-api-key";
    public static final String RETRY_AFTER = "retry-after";
    /**
     * Names the model that served the answer (the requested one, or the fallback that took its place) on every answer
     * a credential was leased for, whole or streamed, success or upstream error.
     */
    public static final String SERVED_MODEL = "x-caravan-model";

    private CallerHeaders() {
    }
}
