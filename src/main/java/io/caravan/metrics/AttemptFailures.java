package io.caravan.metrics;

import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.RotationPolicy;
import io.caravan.upstream.UpstreamFailure;

/** Names a failed upstream attempt for the rotation counter, from the {@link RotationPolicy} row it falls under. */
final class AttemptFailures {

    static final String RATE_LIMITED = "rate_limited";
    static final String UNAUTHORIZED = "unauthorized";
    static final String FORBIDDEN = "forbidden";
    static final String SERVER_ERROR = "server_error";
    static final String OVERLOADED = "overloaded";
    static final String TIMEOUT = "timeout";
    static final String NETWORK = "network";
    static final String INVALID_ANSWER = "invalid_answer";
    static final String CLIENT_ERROR = "client_error";
    static final String CALLER_GONE = "caller_gone";
    static final String OTHER = "other";

    private AttemptFailures() {
    }

    static String reason(Throwable failure) {
        if (failure instanceof UpstreamFailure upstream) {
            return reason(RotationPolicy.of(upstream));
        }
        if (failure instanceof CallerGoneException) {
            return CALLER_GONE;
        }
        return OTHER;
    }

    /** Exhaustive, so that a row added to the policy must be named here too. */
    static String reason(RotationPolicy row) {
        return switch (row) {
            case UNAUTHORIZED -> UNAUTHORIZED;
            case FORBIDDEN -> FORBIDDEN;
            case REQUEST_TIMEOUT, TIME_OUT -> TIMEOUT;
            case RATE_LIMITED -> RATE_LIMITED;
            case INTERNAL_SERVER_ERROR, BAD_GATEWAY, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT, OTHER_SERVER_ERROR ->
                    SERVER_ERROR;
            case OVERLOADED -> OVERLOADED;
            case OTHER_CLIENT_ERROR -> CLIENT_ERROR;
            case OTHER_STATUS -> OTHER;
            case NETWORK_FAULT -> NETWORK;
            case NOT_AN_ANSWER -> INVALID_ANSWER;
        };
    }
}
