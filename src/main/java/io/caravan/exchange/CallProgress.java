package io.caravan.exchange;

import io.caravan.dialect.TokenCounts;
import io.caravan.pool.Credential;
import io.caravan.pool.Lease;
import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.UpstreamAttempt;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * What has happened to one request so far: the credentials it tried and holds, the attempt in flight, whether
 * anything reached the caller (after which rotation is no longer allowed) and whether the caller is still there.
 * The only mutable part of a {@link GatewayCall}.
 */
public final class CallProgress {

    private final Set<Credential> tried = new HashSet<>(4);
    private final Map<String, String> extraUpstreamHeaders = new LinkedHashMap<>();
    private final long startNanos;
    private Lease lease;
    private int attempts;
    private int retriesSpent;
    private boolean outOfCredentials;
    private volatile boolean callerGone;
    private volatile UpstreamAttempt<?> currentAttempt;
    private volatile Runnable callerGoneListener;
    private volatile long firstByteNanos;
    private int finalStatus;
    private volatile long upstreamNanos;
    private volatile TokenCounts usage = TokenCounts.NONE;
    private volatile LongConsumer usageCharge;
    /** The model a fallback put in place of the requested one; {@code null} while the requested model serves. */
    private volatile String fallbackModel;
    /** The fallbacks not yet tried, in order; {@code null} until the call first falls back. */
    private List<String> fallbacksLeft;
    /** Why no credential of the requested model could serve: the caller's answer when no fallback can either. */
    private Exception requestedModelFailure;

    /** @param startNanos when the request arrived, for the time to first byte */
    CallProgress(long startNanos) {
        this.startNanos = startNanos;
    }

    /** The credential currently leased for this request, or {@code null} before the first attempt. */
    public Lease lease() {
        return lease;
    }

    /** Starts an attempt with a freshly leased credential. */
    public void useLease(Lease lease) {
        this.lease = lease;
        tried.add(lease.credential());
        attempts++;
    }

    public Set<Credential> tried() {
        return tried;
    }

    public int attempts() {
        return attempts;
    }

    public int retriesSpent() {
        return retriesSpent;
    }

    void spendRetry() {
        retriesSpent++;
    }

    /** Whether an attempt after a failure found no credential left to try: that failure is the caller's answer. */
    boolean outOfCredentials() {
        return outOfCredentials;
    }

    void markOutOfCredentials() {
        outOfCredentials = true;
    }

    public boolean callerGone() {
        return callerGone;
    }

    /** The caller went away: abort the upstream call at once (closing its socket) and stop any stream. */
    public void markCallerGone() {
        callerGone = true;
        UpstreamAttempt<?> attempt = currentAttempt;
        if (attempt != null) {
            attempt.abort(new CallerGoneException());
        }
        Runnable listener = callerGoneListener;
        if (listener != null) {
            listener.run();
        }
    }

    /** The attempt about to start; aborted at once if the caller has already gone. */
    public void setCurrentAttempt(UpstreamAttempt<?> attempt) {
        this.currentAttempt = attempt;
        if (callerGone) {
            attempt.abort(new CallerGoneException());
        }
    }

    /** Runs when the caller goes away (a stream relay stops its timers and ends the response). */
    public void onCallerGone(Runnable listener) {
        this.callerGoneListener = listener;
        if (callerGone) {
            listener.run();
        }
    }

    /** Whether the first byte of the answer has gone to the caller: from then on the credential cannot change. */
    public boolean committed() {
        return firstByteNanos != 0;
    }

    public void markFirstByte() {
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    /** Milliseconds from arrival to the first byte of the answer, or -1 if none was sent. */
    public double timeToFirstByteMillis() {
        return firstByteNanos == 0 ? -1 : (firstByteNanos - startNanos) / 1e6;
    }

    /**
     * Nanoseconds the request spent waiting for upstreams: each attempt from its send until it was settled (its answer,
     * or a stream's first event, in hand, or its failure). The rest of the time to the first byte is the gateway's own.
     */
    public long upstreamNanos() {
        return upstreamNanos;
    }

    /** Attempts of one request never overlap, so the sum needs no atomic update. */
    public void addUpstreamNanos(long nanos) {
        upstreamNanos += nanos;
    }

    public int finalStatus() {
        return finalStatus;
    }

    public void setFinalStatus(int status) {
        this.finalStatus = status;
    }

    /**
     * The tokens the answer the caller got cost, as its upstream reported them: {@link TokenCounts#NONE} until an
     * answer that reports usage is being served (and for a request no upstream answered). A stream's count grows as
     * its usage events arrive, and a stream cut short keeps what it had reported.
     */
    public TokenCounts usage() {
        return usage;
    }

    /**
     * Sets the usage of the answer being served, replacing any earlier one: only the attempt that serves the caller
     * records it, so an earlier failed attempt counts nothing.
     */
    public void recordUsage(TokenCounts counts) {
        TokenCounts before = this.usage;
        this.usage = counts;
        LongConsumer charge = usageCharge;
        long added = counts.total() - before.total();
        if (charge != null && added > 0) {
            charge.accept(added);
        }
    }

    /**
     * Where the tokens go as the answer reports them (a client's limits and budget): each report charges what it
     * adds, at once, before the caller has the answer's end.
     */
    public void chargeUsageTo(LongConsumer charge) {
        this.usageCharge = charge;
    }

    /** The fallback model serving the call, or {@code null} while it is the requested model. */
    String fallbackModel() {
        return fallbackModel;
    }

    /** The fallbacks of the requested model not yet tried, in order; {@code null} until the call first fell back. */
    public List<String> fallbacksLeft() {
        return fallbacksLeft;
    }

    /** @see #fallBackTo */
    public Exception requestedModelFailure() {
        return requestedModelFailure;
    }

    /**
     * From now on {@code model} serves the call: its credentials are leased, and the answer names it.
     *
     * @param left the fallbacks after it, tried should it fail too
     * @param requestedModelFailure why the requested model could not serve
     */
    public void fallBackTo(String model, List<String> left, Exception requestedModelFailure) {
        this.requestedModelFailure = requestedModelFailure;
        this.fallbackModel = model;
        this.fallbacksLeft = left;
    }

    /** Headers a {@code before-upstream} hook asked to add to the upstream request. */
    public Map<String, String> extraUpstreamHeaders() {
        return extraUpstreamHeaders;
    }
}
