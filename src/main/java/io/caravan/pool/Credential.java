package io.caravan.pool;

import io.caravan.dialect.Dialect;
import io.caravan.support.KeyRedactor;
import java.util.concurrent.atomic.AtomicInteger;

/** A configured credential and its live state in the pool: requests in flight and when it may be used again. */
public final class Credential {

    private final CredentialSpec spec;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean enabled;
    /** {@link System#nanoTime()} before which the credential is cooling down (rate limit, fault or quarantine). */
    private volatile long availableAtNanos = System.nanoTime();
    private volatile String coolingReason;
    /** Why the current cooldown was set, so that a caller is told 429 only when the pool is really rate limited. */
    private volatile CoolingCause coolingCause;
    private final KeyRedactor keyRedactor;
    private final AtomicInteger consecutiveRateLimits = new AtomicInteger();

    Credential(CredentialSpec spec) {
        this.spec = spec;
        this.enabled = spec.enabled();
        this.keyRedactor = KeyRedactor.of(spec.apiKey());
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

    public int inFlight() {
        return inFlight.get();
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

    /** Masks this credential's key, and any long enough part of it, in text an upstream sent. */
    public KeyRedactor keyRedactor() {
        return keyRedactor;
    }

    boolean coolingDown(long nowNanos) {
        return availableAtNanos - nowNanos > 0;
    }

    /** Takes a concurrency slot if one is free. */
    boolean tryAcquireSlot() {
        while (true) {
            int current = inFlight.get();
            if (current >= spec.maxConcurrent()) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void releaseSlot() {
        inFlight.decrementAndGet();
    }

    void coolDown(long nanos, long nowNanos, CoolingCause cause, String reason) {
        long until = nowNanos + nanos;
        // Never shorten a cooldown another request already set; the longer one's cause is the one that counts.
        if (until - availableAtNanos > 0) {
            availableAtNanos = until;
            coolingCause = cause;
            coolingReason = reason;
        }
    }

    void clearCooldown() {
        availableAtNanos = System.nanoTime();
        coolingCause = null;
        coolingReason = null;
    }

    int recordRateLimit() {
        return consecutiveRateLimits.incrementAndGet();
    }

    void resetRateLimits() {
        if (consecutiveRateLimits.get() != 0) {
            consecutiveRateLimits.set(0);
        }
    }
}
