package io.caravan.upstream;

import io.vertx.core.MultiMap;

/**
 * An upstream attempt that failed before anything was sent to the caller: an HTTP error status, a network fault,
 * a time-out, or a 2xx answer that is not one (too large, not the upstream dialect's answer). It says what happened;
 * what the gateway does about it (another credential? a retry spent? the credential's cooldown? the body relayed?)
 * is the {@link RotationPolicy}'s.
 */
public class UpstreamFailure extends Exception {

    public enum Kind {
        /** The upstream answered with a non-2xx status. */
        STATUS,
        /** Connection refused or reset, TLS failure, dropped before the first byte. */
        NETWORK,
        /** Connect, time-to-first-byte or whole-answer time-out. */
        TIMEOUT,
        /** A 2xx answer that cannot be used: larger than the gateway's limits, or not an answer of the dialect. */
        INVALID_ANSWER
    }

    private final Kind kind;
    private final int status;
    private final MultiMap headers;
    private final String body;
    private final String credentialName;

    private UpstreamFailure(Kind kind, int status, MultiMap headers, String body, String credentialName, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.credentialName = credentialName;
    }

    public static UpstreamFailure status(int status, MultiMap headers, String body, String credentialName) {
        return new UpstreamFailure(Kind.STATUS, status, headers, body, credentialName,
                "upstream answered HTTP " + status);
    }

    public static UpstreamFailure network(String credentialName, String detail) {
        return new UpstreamFailure(Kind.NETWORK, 502, MultiMap.caseInsensitiveMultiMap(), "", credentialName,
                "upstream unreachable: " + detail);
    }

    public static UpstreamFailure timeout(String credentialName, String what) {
        return new UpstreamFailure(Kind.TIMEOUT, 504, MultiMap.caseInsensitiveMultiMap(), "", credentialName,
                "upstream timed out: " + what);
    }

    /**
     * A 2xx answer the gateway cannot pass on. {@code why} completes "The upstream's answer was not valid: " and
     * reaches the caller, so it names the problem, never the answer's content.
     */
    public static UpstreamFailure invalidAnswer(String credentialName, String why) {
        return new UpstreamFailure(Kind.INVALID_ANSWER, 502, MultiMap.caseInsensitiveMultiMap(), "", credentialName,
                "The upstream's answer was not valid: " + why);
    }

    public Kind kind() {
        return kind;
    }

    /** The upstream's status, or 502/504 for network faults, invalid answers and time-outs (what the caller sees). */
    public int status() {
        return status;
    }

    public MultiMap headers() {
        return headers;
    }

    public String body() {
        return body;
    }

    public String credentialName() {
        return credentialName;
    }
}
