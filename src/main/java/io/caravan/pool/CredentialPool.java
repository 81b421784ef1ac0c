package io.caravan.pool;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases credentials round-robin among those that are enabled, serve the model, are not cooling down and are under
 * their concurrency cap. When every such credential is busy, a request waits in a bounded queue for a bounded time.
 */
public class CredentialPool {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialPool.class);
    /** Distinct model names remembered; beyond this, candidates are computed per request (unbounded names are input). */
    private static final int MAX_CACHED_MODELS = 4096;
    /** Waiters re-check at least this often, because cooldowns end without a release to signal them. */
    private static final long MAX_WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final List<Credential> credentials;
    private final CooldownPolicy cooldowns;
    private final int maxWaiting;
    private final CredentialRefresher refresher;
    /** Per set of kinds (indexed by its bit mask), the candidates of each model name seen. */
    @SuppressWarnings("unchecked")
    private final ConcurrentHashMap<String, Candidates>[] candidatesByKinds =
            new ConcurrentHashMap[1 << Dialects.all().size()];
    private final AtomicLong leased = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();

    public CredentialPool(Collection<CredentialSpec> specs, CooldownPolicy cooldowns, int maxWaiting) {
        this(specs, cooldowns, maxWaiting, CredentialRefresher.API_KEYS);
    }

    public CredentialPool(Collection<CredentialSpec> specs, CooldownPolicy cooldowns, int maxWaiting,
            CredentialRefresher refresher) {
        List<Credential> list = new ArrayList<>();
        for (CredentialSpec spec : specs) {
            list.add(new Credential(spec));
        }
        this.credentials = List.copyOf(list);
        this.cooldowns = cooldowns;
        this.maxWaiting = maxWaiting;
        this.refresher = refresher;
        for (int i = 0; i < candidatesByKinds.length; i++) {
            candidatesByKinds[i] = new ConcurrentHashMap<>();
        }
    }

    public List<Credential> credentials() {
        return credentials;
    }

    public Credential credential(String name) {
        for (Credential c : credentials) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no credential named " + name);
    }

    /** Takes a credential out of rotation or puts it back (clearing any cooldown or quarantine). */
    public void setEnabled(String name, boolean enabled) {
        Credential c = credential(name);
        c.setEnabled(enabled);
        if (enabled) {
            c.clearCooldown();
            signalWaiters();
        }
    }

    /** Adds a listener that hears every cooldown from now on. */
    public void addListener(PoolListener listener) {
        listeners.add(listener);
    }

    /** How many credentials of the given kinds serve the model: the most attempts a request can make. */
    public int candidateCount(String model, Set<Dialect> kinds) {
        return candidates(model, kinds).list().size();
    }

    /**
     * Leases a credential for the model, waiting up to {@code maxWait} while every candidate is busy.
     *
     * @param exclude credentials this request already tried
     */
    public Lease lease(String model, Set<Dialect> kinds, Set<Credential> exclude, Duration maxWait)
            throws NoCredentialException {
        Lease lease = leaseIfFree(model, kinds, exclude);
        if (lease != null) {
            return lease;
        }
        return awaitLease(model, candidates(model, kinds), exclude, System.nanoTime() + maxWait.toNanos());
    }

    /**
     * Leases a credential for the model without waiting: null when every candidate is at its concurrency limit, so
     * that only waiting could help. Callers on an event loop use this, and wait (with {@link #lease}) elsewhere.
     */
    public Lease leaseIfFree(String model, Set<Dialect> kinds, Set<Credential> exclude) throws NoCredentialException {
        Candidates candidates = candidates(model, kinds);
        if (!candidates.anyEnabled()) {
            throw new NoCredentialException(NoCredentialException.Reason.MODEL_NOT_SERVED,
                    "The model '" + model + "' is not served by this gateway", null);
        }
        Lease lease = tryLease(candidates, exclude);
        if (lease != null) {
            return lease;
        }
        if (!anyBusyCandidate(candidates.list(), exclude, System.nanoTime())) {
            throw cooling(model, candidates.list(), exclude, System.nanoTime());
        }
        return null;
    }

    /** Total leases handed out and returned since start; equal when nothing is in flight. */
    public long leasedCount() {
        return leased.get();
    }

    public long releasedCount() {
        return released.get();
    }

    public int waitingCount() {
        return waiting.get();
    }

    void onRelease(Credential credential, Outcome outcome) {
        long now = System.nanoTime();
        switch (outcome.kind()) {
            case SUCCESS -> credential.resetRateLimits();
            case NEUTRAL -> { }
            case TRANSIENT_FAILURE -> coolDown(credential, cooldowns.transientFailure(), now,
                    CoolingCause.UPSTREAM_FAULT, "upstream fault");
            case RATE_LIMITED -> {
                Duration wait = cooldowns.rateLimited(outcome.retryAfter(), credential.recordRateLimit());
                coolDown(credential, wait, now, CoolingCause.RATE_LIMITED, "rate limited");
                LOG.info("Credential {} rate limited: cooling down for {} ms", credential.name(), wait.toMillis());
            }
            case UNAUTHORIZED -> {
                if (refresher.refresh(credential)) {
                    LOG.info("Credential {} was rejected (401) and has been refreshed", credential.name());
                    break;
                }
                coolDown(credential, cooldowns.quarantine(), now, CoolingCause.QUARANTINED, "key rejected (401)");
                LOG.warn("Credential {} was rejected by its upstream (401): quarantined for {} s",
                        credential.name(), cooldowns.quarantine().toSeconds());
            }
        }
        credential.releaseSlot();
        released.incrementAndGet();
        signalWaiters();
    }

    private void coolDown(Credential credential, Duration duration, long now, CoolingCause cause, String reason) {
        credential.coolDown(duration.toNanos(), now, cause, reason);
        for (PoolListener listener : listeners) {
            listener.cooledDown(credential, cause, duration);
        }
    }

    /**
     * Takes the next turn of the model's round-robin that is usable. Every skipped credential (cooling, busy,
     * already tried) uses up its own turn, so that its share spreads over the rest evenly instead of going whole to
     * the credential after it in the list.
     */
    private Lease tryLease(Candidates candidates, Set<Credential> exclude) {
        List<Credential> list = candidates.list();
        int n = list.size();
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Credential c = list.get((candidates.next().getAndIncrement() & Integer.MAX_VALUE) % n);
            if (c.enabled() && !c.coolingDown(now) && !exclude.contains(c) && c.tryAcquireSlot()) {
                leased.incrementAndGet();
                return new Lease(c, this);
            }
        }
        return null;
    }

    private Lease awaitLease(String model, Candidates candidates, Set<Credential> exclude, long deadline)
            throws NoCredentialException {
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            throw busy(model, "the wait queue is full");
        }
        lock.lock();
        try {
            while (true) {
                Lease lease = tryLease(candidates, exclude);
                if (lease != null) {
                    return lease;
                }
                long now = System.nanoTime();
                if (!anyBusyCandidate(candidates.list(), exclude, now)) {
                    throw cooling(model, candidates.list(), exclude, now);
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    throw busy(model, "every credential stayed at its concurrency limit");
                }
                slotFreed.awaitNanos(Math.min(remaining, MAX_WAIT_SLICE_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(model, "interrupted while waiting");
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    /** Whether waiting can help: some candidate is usable but for its concurrency cap. */
    private static boolean anyBusyCandidate(List<Credential> candidates, Set<Credential> exclude, long now) {
        for (Credential c : candidates) {
            if (c.enabled() && !c.coolingDown(now) && !exclude.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every candidate is cooling down: {@link NoCredentialException.Reason#ALL_COOLING} (429) only when each of them
     * was rate limited, {@link NoCredentialException.Reason#ALL_FAILING} (503) when any failed otherwise, so that
     * a caller is not told to slow down when the upstreams are broken.
     */
    private NoCredentialException cooling(String model, List<Credential> candidates, Set<Credential> exclude, long now) {
        long soonest = Long.MAX_VALUE;
        boolean allRateLimited = true;
        for (Credential c : candidates) {
            if (c.enabled() && !exclude.contains(c)) {
                soonest = Math.min(soonest, Math.max(c.coolingRemainingNanos(now), 0));
                allRateLimited &= c.coolingCause() == CoolingCause.RATE_LIMITED;
            }
        }
        Duration retryAfter = soonest == Long.MAX_VALUE ? null : Duration.ofNanos(soonest);
        if (!allRateLimited) {
            return new NoCredentialException(NoCredentialException.Reason.ALL_FAILING,
                    "Every credential serving '" + model + "' is cooling down after upstream failures", retryAfter);
        }
        return new NoCredentialException(NoCredentialException.Reason.ALL_COOLING,
                "Every credential serving '" + model + "' is rate limited by its upstream", retryAfter);
    }

    private NoCredentialException busy(String model, String why) {
        return new NoCredentialException(NoCredentialException.Reason.ALL_BUSY,
                "No credential for '" + model + "' became free in time: " + why, Duration.ofSeconds(1));
    }

    private void signalWaiters() {
        if (waiting.get() > 0) {
            lock.lock();
            try {
                slotFreed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private Candidates candidates(String model, Set<Dialect> kinds) {
        ConcurrentHashMap<String, Candidates> byModel = candidatesByKinds[mask(kinds)];
        Candidates cached = byModel.get(model);
        if (cached != null) {
            return cached;
        }
        List<Credential> found = new ArrayList<>();
        for (Credential c : credentials) {
            if (speaksAny(c, kinds) && c.spec().serves(model)) {
                found.add(c);
            }
        }
        Candidates result = new Candidates(List.copyOf(found), new AtomicInteger());
        if (!found.isEmpty() && byModel.size() < MAX_CACHED_MODELS) {
            Candidates raced = byModel.putIfAbsent(model, result);
            return raced != null ? raced : result;
        }
        return result;
    }

    private static boolean speaksAny(Credential credential, Set<Dialect> dialects) {
        for (Dialect d : dialects) {
            if (credential.speaks(d)) {
                return true;
            }
        }
        return false;
    }

    private static int mask(Set<Dialect> kinds) {
        int mask = 0;
        for (Dialect d : kinds) {
            mask |= 1 << Dialects.index(d);
        }
        return mask;
    }

    /** The credentials that may serve one model, with that model's own round-robin position. */
    private record Candidates(List<Credential> list, AtomicInteger next) {

        boolean anyEnabled() {
            for (Credential c : list) {
                if (c.enabled()) {
                    return true;
                }
            }
            return false;
        }
    }
}
