package io.caravan.clients;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limiter's answer to one request: granted (the request holds a concurrency slot and is counted until {@link
 * ClientLimiter#complete}) or refused with the limit that refused it and when to retry. It carries the rate-limit
 * numbers as they stood when it was decided, for the {@code x-ratelimit-*} headers of the answer.
 */
public final class Admission {

    /** Granted, or the limit that refused the request. */
    public enum Kind {
        GRANTED,
        /** The client's token budget for the day or month is spent: OpenAI's {@code insufficient_quota}. */
        BUDGET,
        /** As many of the client's requests as {@code max-concurrent} allows are in flight. */
        CONCURRENCY,
        /** The window's {@code requests-per-minute} are used. */
        REQUESTS,
        /** The window's {@code tokens-per-minute} are used. */
        TOKENS
    }

    private static final VarHandle COMPLETED;

    static {
        try {
            COMPLETED = MethodHandles.lookup().findVarHandle(Admission.class, "completed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A number not configured: the matching headers are left out. */
    static final long UNSET = -1;

    final ClientCounters counters;
    /** Whether the client had limits when admitted: its counts then change under the counters' monitor only. */
    final boolean limited;
    final boolean holdsSlot;
    private final String client;
    private final Kind kind;
    private final long retryAfterMillis;
    private final long limitRequests;
    private final long remainingRequests;
    private final long resetRequestsMillis;
    private final long limitTokens;
    private final long remainingTokens;
    private final long resetTokensMillis;
    @SuppressWarnings("unused") // through COMPLETED
    private volatile int completed;

    Admission(ClientCounters counters, String client, Kind kind, long retryAfterMillis, boolean limited,
            boolean holdsSlot, long limitRequests, long remainingRequests, long resetRequestsMillis, long limitTokens,
            long remainingTokens, long resetTokensMillis) {
        this.counters = counters;
        this.client = client;
        this.kind = kind;
        this.retryAfterMillis = retryAfterMillis;
        this.limited = limited;
        this.holdsSlot = holdsSlot;
        this.limitRequests = limitRequests;
        this.remainingRequests = remainingRequests;
        this.resetRequestsMillis = resetRequestsMillis;
        this.limitTokens = limitTokens;
        this.remainingTokens = remainingTokens;
        this.resetTokensMillis = resetTokensMillis;
    }

    /** The client's name. */
    public String client() {
        return client;
    }

    public Kind kind() {
        return kind;
    }

    public boolean granted() {
        return kind == Kind.GRANTED;
    }

    /** How long until the refusing limit lets a request through again; 0 for a granted admission. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** {@link #retryAfterMillis()} in whole seconds, rounded up, for {@code Retry-After}; 0 for a granted admission. */
    public long retryAfterSeconds() {
        return granted() ? 0 : Math.max(1, (retryAfterMillis + 999) / 1000);
    }

    /**
     * The {@code x-ratelimit-*} headers for the client's configured per-minute limits, in OpenAI's order (requests,
     * then tokens: limit, remaining, reset); empty for a client without them.
     */
    public Map<String, String> rateLimitHeaders() {
        if (limitRequests == UNSET && limitTokens == UNSET) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (limitRequests != UNSET) {
            headers.put(RateLimitHeaders.LIMIT_REQUESTS, Long.toString(limitRequests));
            headers.put(RateLimitHeaders.REMAINING_REQUESTS, Long.toString(remainingRequests));
            headers.put(RateLimitHeaders.RESET_REQUESTS, RateLimitHeaders.duration(resetRequestsMillis));
        }
        if (limitTokens != UNSET) {
            headers.put(RateLimitHeaders.LIMIT_TOKENS, Long.toString(limitTokens));
            headers.put(RateLimitHeaders.REMAINING_TOKENS, Long.toString(remainingTokens));
            headers.put(RateLimitHeaders.RESET_TOKENS, RateLimitHeaders.duration(resetTokensMillis));
        }
        return headers;
    }

    /** Marks the admission completed; {@code true} only for the first call. */
    boolean complete() {
        return COMPLETED.compareAndSet(this, 0, 1);
    }

    @Override
    public String toString() {
        return "Admission[client=" + client + ", " + kind + (granted() ? "" : ", retry after " + retryAfterMillis + " ms")
                + "]";
    }
}
