package io.caravan.dialect.gemini;

/**
 * The canonical status names of Google APIs ({@code google.rpc.Code}) that Gemini's errors carry beside the HTTP
 * code, in {@code error.status}: the name a Google client library turns into its exception type.
 */
public final class GoogleStatus {

    private GoogleStatus() {
    }

    /** The status name Google's APIs pair with an HTTP status. */
    public static String of(int httpStatus) {
        return switch (httpStatus) {
            case 400, 405, 411, 413, 415, 422 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 408, 504 -> "DEADLINE_EXCEEDED";
            case 409 -> "ABORTED";
            case 412 -> "FAILED_PRECONDITION";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 502, 503, 529 -> "UNAVAILABLE";
            default -> httpStatus >= 500 ? "INTERNAL" : httpStatus >= 400 ? "INVALID_ARGUMENT" : "UNKNOWN";
        };
    }
}
