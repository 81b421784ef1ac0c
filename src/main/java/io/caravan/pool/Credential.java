package io.caravan.pool;

import io.caravan.dialect.Dialect;
import io.caravan.support.KeyRedactor;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A configured credential and its live state in the pool: requests in flight, when it may be used again, and what
 * the admin API shows of it (uses and failures since start, the last error).
 */
public final class Credential {

    /** Characters of an error's message kept for the admin API: enough to recognise it, not a whole HTML page. */
    static final int MAX_ERROR_CHARS = 300;
    /** Characters of an upstream's hint kept (a header's value, bounded only by the upstream). */
    static final int MAX_HINT_CHARS = 100;

    /** Replaced only by a reload that keeps the key and the URL: in-flight requests read it once, when they start. */
    private volatile CredentialSpec spec;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean enabled;
    /** Removed from the configuration: leased no more, kept until its last lease comes back. */
    private volatile boolean draining;
    /** {@link System#nanoTime()} before which the credential is cooling down (rate limit, fault or quarantine). */
    private volatile long availableAtNanos = System.nanoTime();
    private volatile String coolingReason;
    /** Why the current cooldown was set, so that a caller is told 429 only when the pool is really rate limited. */
    private volatile CoolingCause coolingCause;
    /** The status and upstream hint of the failure that set the current cooldown. */
    private volatile int coolingStatus;
    private volatile String coolingHint;
    private final KeyRedactor keyRedactor;
    private final AtomicInteger consecutiveRateLimits = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** Requests waiting in the pool's queue that could be served by this credential. */
    private final AtomicInteger queued = new AtomicInteger();
    private volatile LastError lastError;

    Credential(CredentialSpec spec) {
        this.spec = spec;
        this.enabled = spec.enabled();
        this.keyRedactor = KeyRedactor.of(spec.apiKey());
    }

    /**
     * The last failure of a credential, as the admin API shows it.
     *
     * @param status the upstream's status, 0 for a network fault, a time-out or a stall
     * @param message what happened, the credential's key masked, cut at {@value #MAX_ERROR_CHARS} characters
     */
    public record LastError(int status, Instant at, String message) {
    }

    public String name() {
        return spec.name();
    }

    public Dialect kind() {
        return spec.kind();
    }

    /** Whether requests of {@code dialect} go to this credential unchanged ({@link CredentialSpec#apis()}). */
    public boolean speaks(Dialect dialect) {
        return spec.apis().contains(dialect);
    }

    /**
     * The dialect this credential is sent a request of {@code caller}'s dialect in: the caller's own when the
     * credential speaks it, else its kind's, translated.
     */
    public Dialect answersIn(Dialect caller) {
        return speaks(caller) ? caller : spec.kind();
    }

    public CredentialSpec spec() {
        return spec;
    }

    public boolean enabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether the credential was removed from the configuration and waits for its requests in flight to end. */
    public boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    void stopDraining() {
        draining = false;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Leases handed out since start. */
    public long requests() {
        return requests.sum();
    }

    /** Leases that came back with a failure (anything but a success or a neutral end) since start. */
    public long failures() {
        return failures.sum();
    }

    /** The last failure, or {@code null} when there was none since start. */
    public LastError lastError() {
        return lastError;
    }

    public int queued() {
        return queued.get();
    }

    /** Nanoseconds until the credential leaves cooldown; zero or less when it is available. */
    public long coolingRemainingNanos(long nowNanos) {
        return availableAtNanos - nowNanos;
    }

    public String coolingReason() {
        return coolingReason;
    }

    /** What the current cooldown is for, or {@code null} when none was ever set or it was cleared. */
    public CoolingCause coolingCause() {
        return coolingCause;
    }

    /** The status of the failure that set the current cooldown (0 for a fault without one). */
    public int coolingStatus() {
        return coolingStatus;
    }

    /** What the upstream asked for with the failure that set the current cooldown, or {@code null}. */
    public String coolingHint() {
        return coolingHint;
    }

    /** Masks this credential's key, and any long enough part of it, in text an upstream sent. */
    public KeyRedactor keyRedactor() {
        return keyRedactor;
    }

    boolean coolingDown(long nowNanos) {
        return availableAtNanos - nowNanos > 0;
    }

    void updateSpec(CredentialSpec changed) {
        if (changed.enabled() != spec.enabled()) {
            // The file's own switch was flipped: it wins over an earlier enable or disable through the admin API.
            enabled = changed.enabled();
        }
        spec = changed;
    }

    /** Takes a concurrency slot if one is free. */
    boolean tryAcquireSlot() {
        int max = spec.maxConcurrent();
        while (true) {
            int current = inFlight.get();
            if (current >= max) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void countRequest() {
        requests.increment();
    }

    void uncountRequest() {
        requests.decrement();
    }

    /** Returns a slot; the in-flight count left. */
    int releaseSlot() {
        return inFlight.decrementAndGet();
    }

    void queue() {
        queued.incrementAndGet();
    }

    void unqueue() {
        queued.decrementAndGet();
    }

    /** Counts a failed use and keeps it as the last error, the key masked. Only on the failure path. */
    void recordFailure(Outcome outcome) {
        failures.increment();
        String detail = outcome.detail() != null ? outcome.detail() : describe(outcome.kind());
        lastError = new LastError(outcome.status(), Instant.now(), cut(keyRedactor.redact(detail), MAX_ERROR_CHARS));
    }

    void coolDown(long nanos, long nowNanos, CoolingCause cause, String reason, Outcome outcome) {
        long until = nowNanos + nanos;
        // Never shorten a cooldown another request already set; the longer one's cause is the one that counts.
        if (until - availableAtNanos > 0) {
            coolingCause = cause;
            coolingReason = reason;
            coolingStatus = outcome.status();
            coolingHint = outcome.hint() == null ? null : cut(keyRedactor.redact(outcome.hint()), MAX_HINT_CHARS);
            availableAtNanos = until;
        }
    }

    void clearCooldown() {
        availableAtNanos = System.nanoTime();
        coolingCause = null;
        coolingReason = null;
        coolingStatus = 0;
        coolingHint = null;
    }

    int recordRateLimit() {
        return consecutiveRateLimits.incrementAndGet();
    }

    void resetRateLimits() {
        if (consecutiveRateLimits.get() != 0) {
            consecutiveRateLimits.set(0);
        }
    }

    private static String describe(Outcome.Kind kind) {
        return switch (kind) {
            case RATE_LIMITED -> "rate limited by the upstream";
            case UNAUTHORIZED -> "the upstream rejected the key (401)";
            default -> "the upstream failed";
        };
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
