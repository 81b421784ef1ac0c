package io.caravan.upstream;

import static io.caravan.upstream.RotationPolicy.UpstreamBody.NONE;
import static io.caravan.upstream.RotationPolicy.UpstreamBody.RELAYED;
import static io.caravan.upstream.RotationPolicy.UpstreamBody.WITHHELD;
import static io.caravan.upstream.UpstreamFailure.Kind.INVALID_ANSWER;
import static io.caravan.upstream.UpstreamFailure.Kind.NETWORK;
import static io.caravan.upstream.UpstreamFailure.Kind.STATUS;
import static io.caravan.upstream.UpstreamFailure.Kind.TIMEOUT;

import io.caravan.pool.Outcome;
import io.caravan.pool.RateLimitHints;
import java.time.Duration;
import java.time.Instant;

/**
 * What the gateway does with an upstream attempt that failed before anything reached the caller, one row per status
 * or fault. Every rule about a failed attempt is read from here: whether another credential is tried, whether that
 * spends one of the request's {@code caravan.request-retry} retries, what the pool does with the credential, and
 * whether the upstream's error body may reach the caller when this failure is the last one. README.md shows the same
 * table to users, and a test holds the two together row by row.
 */
public enum RotationPolicy {

    // The first row whose failure and status range match applies. A fault carries the status its caller would see
    // (502, 504), not one the upstream sent, so fault rows take any.
    //
    //                     failure         statuses    next        spends     the credential                   the upstream's
    //                                                 credential  a retry                                     body
    UNAUTHORIZED(          STATUS,         401, 401,   true,       true,      Outcome.Kind.UNAUTHORIZED,       WITHHELD),
    FORBIDDEN(             STATUS,         403, 403,   true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  WITHHELD),
    REQUEST_TIMEOUT(       STATUS,         408, 408,   true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  RELAYED),
    RATE_LIMITED(          STATUS,         429, 429,   true,       false,     Outcome.Kind.RATE_LIMITED,       RELAYED),
    INTERNAL_SERVER_ERROR( STATUS,         500, 500,   true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  RELAYED),
    BAD_GATEWAY(           STATUS,         502, 502,   true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  RELAYED),
    SERVICE_UNAVAILABLE(   STATUS,         503, 503,   true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  RELAYED),
    GATEWAY_TIMEOUT(       STATUS,         504, 504,   true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  RELAYED),
    OVERLOADED(            STATUS,         529, 529,   true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  RELAYED),
    OTHER_CLIENT_ERROR(    STATUS,         400, 499,   false,      false,     Outcome.Kind.NEUTRAL,            RELAYED),
    // Any 5xx is the upstream's fault, not the request's: also 501/505 and the 520-524 of providers behind a CDN.
    OTHER_SERVER_ERROR(    STATUS,         500, 599,   true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  RELAYED),
    OTHER_STATUS(          STATUS,         0, 999,     false,      false,     Outcome.Kind.NEUTRAL,            RELAYED),
    NETWORK_FAULT(         NETWORK,        0, 999,     true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  NONE),
    TIME_OUT(              TIMEOUT,        0, 999,     true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  NONE),
    NOT_AN_ANSWER(         INVALID_ANSWER, 0, 999,     true,       true,      Outcome.Kind.TRANSIENT_FAILURE,  NONE);

    /** Whether the caller may see the upstream's error body when this failure is the one it gets. */
    public enum UpstreamBody {
        /** The upstream's own error (re-shaped into the caller's dialect, the key masked), when it is an API error. */
        RELAYED,
        /** Never relayed: a 401/403 body speaks of the gateway's own key (providers quote part of it). */
        WITHHELD,
        /** The failure has no upstream body: the caller gets the gateway's description of the fault. */
        NONE
    }

    /** Of an upstream's error body, what an outcome carries at most (it is cut shorter where it is shown). */
    private static final int MAX_DETAIL_BODY_CHARS = 1024;
    private static final String INVALID_KEY_REASON = "\"API_KEY_INVALID\"";
    /** In declaration order, which is the order of precedence. */
    private static final RotationPolicy[] ROWS = values();

    private final UpstreamFailure.Kind kind;
    private final int lowestStatus;
    private final int highestStatus;
    private final boolean rotates;
    private final boolean spendsRetry;
    private final Outcome.Kind credential;
    private final UpstreamBody upstreamBody;

    RotationPolicy(UpstreamFailure.Kind kind, int lowestStatus, int highestStatus, boolean rotates,
            boolean spendsRetry, Outcome.Kind credential, UpstreamBody upstreamBody) {
        this.kind = kind;
        this.lowestStatus = lowestStatus;
        this.highestStatus = highestStatus;
        this.rotates = rotates;
        this.spendsRetry = spendsRetry;
        this.credential = credential;
        this.upstreamBody = upstreamBody;
    }

    /**
     * The row for a failed attempt. Gemini refuses a key that is not valid with a 400 (its {@code ErrorInfo.reason}
     * {@code API_KEY_INVALID}) where the other providers say 401: it is the credential's fault, not the request's.
     */
    public static RotationPolicy of(UpstreamFailure failure) {
        if (failure.kind() == STATUS && failure.status() == 400 && failure.body() != null
                && failure.body().contains(INVALID_KEY_REASON)) {
            return UNAUTHORIZED;
        }
        return of(failure.kind(), failure.status());
    }

    /** The row for an upstream error status. */
    public static RotationPolicy ofStatus(int status) {
        return of(STATUS, status);
    }

    private static RotationPolicy of(UpstreamFailure.Kind kind, int status) {
        for (RotationPolicy row : ROWS) {
            if (row.kind == kind && status >= row.lowestStatus && status <= row.highestStatus) {
                return row;
            }
        }
        throw new IllegalArgumentException("no rotation rule for " + kind + " " + status);
    }

    /** Another credential may succeed where this one failed. */
    public boolean rotates() {
        return rotates;
    }

    /** Moving to another credential counts against {@code caravan.request-retry} (a rate limit does not). */
    public boolean spendsRetry() {
        return spendsRetry;
    }

    /** What the pool does with the credential that failed, without the rate-limit hint {@link #outcome} reads. */
    public Outcome.Kind credential() {
        return credential;
    }

    public UpstreamBody upstreamBody() {
        return upstreamBody;
    }

    /**
     * How the failed attempt's lease goes back to the pool: for a rate limit, with the wait the upstream asked for;
     * with the status (0 for a fault without one), what the upstream asked for and what it said, for the admin API.
     */
    public Outcome outcome(UpstreamFailure failure) {
        RateLimitHints.Hint hint = failure.kind() == STATUS
                ? RateLimitHints.read(failure.headers()::get, failure.body(), Instant.now()) : null;
        Duration retryAfter = credential == Outcome.Kind.RATE_LIMITED && hint != null ? hint.delay() : null;
        int status = failure.kind() == STATUS ? failure.status() : 0;
        return Outcome.failure(credential, retryAfter, status, hint == null ? null : hint.said(), detail(failure));
    }

    /** The failure's description and the start of the upstream's body (the pool masks the key in it and cuts it). */
    private static String detail(UpstreamFailure failure) {
        String body = failure.body();
        if (body == null || body.isBlank()) {
            return failure.getMessage();
        }
        String start = body.length() > MAX_DETAIL_BODY_CHARS ? body.substring(0, MAX_DETAIL_BODY_CHARS) : body;
        return failure.getMessage() + ": " + start.strip();
    }
}
