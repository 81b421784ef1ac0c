package io.caravan.pool;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Leases credentials among those that are enabled, serve the model, are not cooling down and are under their
 * concurrency cap, chosen by the model's {@link SelectionStrategy} within the best {@code tier} that has one (a
 * {@link CandidateSet} per model). When every such credential is busy, a request waits in a bounded queue for a
 * bounded time.
 *
 * <p>The credentials and each model's candidates are one immutable snapshot, swapped whole by {@link #reload}: a
 * lease reads the snapshot once and takes no lock. A credential the reload removes is leased no more and drains: it
 * is shown as {@link CredentialState#DRAINING} until its last lease comes back.
 */
public class CredentialPool {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialPool.class);
    /** Distinct model names remembered; beyond this, candidates are computed per request (unbounded names are input). */
    private static final int MAX_CACHED_MODELS = 4096;
    /** Waiters re-check at least this often, because cooldowns end without a release to signal them. */
    private static final long MAX_WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private volatile Snapshot snapshot;
    /** Credentials removed by a reload with leases still out; each is dropped when its last lease comes back. */
    private final Set<Credential> draining = ConcurrentHashMap.newKeySet();
    private final CooldownPolicy cooldowns;
    private final int maxWaiting;
    private final CredentialRefresher refresher;
    private final AtomicLong leased = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    /**
     * Counts the times a credential became usable before its cooldown ran out (enabled, reset): a tier found all
     * cooling is skipped until its soonest cooldown ends, or until this changes ({@link CandidateSet}).
     */
    private final AtomicLong availabilityChanges = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();

    public CredentialPool(Collection<CredentialSpec> specs, CooldownPolicy cooldowns, int maxWaiting) {
        this(specs, cooldowns, maxWaiting, CredentialRefresher.API_KEYS);
    }

    public CredentialPool(Collection<CredentialSpec> specs, CooldownPolicy cooldowns, int maxWaiting,
            CredentialRefresher refresher) {
        this(specs, SelectionPolicy.DEFAULT, cooldowns, maxWaiting, refresher);
    }

    public CredentialPool(Collection<CredentialSpec> specs, SelectionPolicy selection, CooldownPolicy cooldowns,
            int maxWaiting, CredentialRefresher refresher) {
        List<Credential> list = new ArrayList<>();
        for (CredentialSpec spec : specs) {
            list.add(new Credential(spec));
        }
        this.snapshot = new Snapshot(list, selection);
        this.cooldowns = cooldowns;
        this.maxWaiting = maxWaiting;
        this.refresher = refresher;
    }

    /** The configured credentials (not those draining), in the file's order. */
    public List<Credential> credentials() {
        return snapshot.credentials;
    }

    /** The configured credential of that name (not a draining one). */
    public Credential credential(String name) {
        Credential c = snapshot.byName.get(name);
        if (c == null) {
            throw new UnknownCredentialException(name);
        }
        return c;
    }

    /**
     * Takes a credential out of rotation or puts it back (clearing any cooldown or quarantine).
     *
     * @throws UnknownCredentialException when no configured or draining credential has the name
     * @throws CredentialDrainingException when enabling a credential the configuration no longer has
     */
    public void setEnabled(String name, boolean enabled) {
        Credential c = anyCredential(name);
        if (enabled && c.draining()) {
            throw new CredentialDrainingException(name);
        }
        c.setEnabled(enabled);
        if (enabled) {
            c.clearCooldown();
            availabilityChanges.incrementAndGet();
            signalWaiters();
        }
    }

    /**
     * Ends a credential's cooldown or quarantine and its rate-limit backoff, so that it serves again at once (if
     * enabled).
     *
     * @throws UnknownCredentialException when no configured or draining credential has the name
     */
    public void reset(String name) {
        Credential c = anyCredential(name);
        c.clearCooldown();
        c.resetRateLimits();
        availabilityChanges.incrementAndGet();
        signalWaiters();
    }

    /**
     * Replaces the configured credentials with {@code specs} in one step. A credential whose spec is equal keeps
     * its object, so its cooldown, quarantine and counters; one whose spec changed keeps them too unless its key or
     * base URL changed (then it starts afresh, as a new account would). A removed credential is leased no more and
     * drains: leases in flight finish on what they hold and may be released as usual.
     *
     * @throws IllegalArgumentException when two specs have the same name (nothing is changed)
     */
    public synchronized PoolChange reload(List<CredentialSpec> specs) {
        return reload(specs, snapshot.selection);
    }

    /** As {@link #reload(List)}, choosing among the credentials by {@code selection} from now on. */
    public synchronized PoolChange reload(List<CredentialSpec> specs, SelectionPolicy selection) {
        Map<String, CredentialSpec> wanted = new LinkedHashMap<>();
        for (CredentialSpec spec : specs) {
            if (wanted.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("duplicate credential name '" + spec.name() + "'");
            }
        }
        Snapshot old = snapshot;
        Map<String, Credential> revivable = new HashMap<>();
        for (Credential c : draining) {
            revivable.put(c.name(), c);
        }
        List<Credential> next = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (CredentialSpec spec : wanted.values()) {
            Credential kept = old.byName.get(spec.name());
            if (kept == null) {
                Credential back = revivable.get(spec.name());
                if (back != null && sameAccount(back.spec(), spec)) {
                    // Removed and added again before its last lease came back: still the same account's state.
                    draining.remove(back);
                    back.stopDraining();
                    back.updateSpec(spec);
                    next.add(back);
                } else {
                    next.add(new Credential(spec));
                }
                added.add(spec.name());
            } else if (kept.spec().equals(spec)) {
                next.add(kept);
            } else {
                changed.add(spec.name());
                if (sameAccount(kept.spec(), spec)) {
                    kept.updateSpec(spec);
                    next.add(kept);
                } else {
                    next.add(new Credential(spec));
                    drain(kept);
                }
            }
        }
        List<String> removed = new ArrayList<>();
        for (Credential c : old.credentials) {
            if (!wanted.containsKey(c.name())) {
                removed.add(c.name());
                drain(c);
            }
        }
        snapshot = new Snapshot(next, selection);
        signalWaiters();
        return new PoolChange(added, removed, changed);
    }

    /** Every credential as the admin API shows it: the configured ones in order, then those draining. */
    public List<CredentialStatus> status() {
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        List<CredentialStatus> all = new ArrayList<>();
        Snapshot current = snapshot;
        for (Credential c : current.credentials) {
            all.add(status(c, now, wallNow));
        }
        for (Credential c : draining) {
            // A credential replaced by a new account of the same name drains unseen: the name shows the new one.
            if (!current.byName.containsKey(c.name())) {
                all.add(status(c, now, wallNow));
            }
        }
        return all;
    }

    /**
     * One credential as the admin API shows it.
     *
     * @throws UnknownCredentialException when no configured or draining credential has the name
     */
    public CredentialStatus status(String name) {
        return status(anyCredential(name), System.nanoTime(), Instant.now());
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
        return awaitLease(model, kinds, exclude, System.nanoTime() + maxWait.toNanos());
    }

    /**
     * Leases a credential for the model without waiting: null when every candidate is at its concurrency limit, so
     * that only waiting could help. Callers on an event loop use this, and wait (with {@link #lease}) elsewhere.
     */
    public Lease leaseIfFree(String model, Set<Dialect> kinds, Set<Credential> exclude) throws NoCredentialException {
        CandidateSet candidates = candidates(model, kinds);
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

    /**
     * Leases {@code preferred} if it may serve this request now, without waiting and whatever the selection strategy
     * would choose: it is still configured (not draining), enabled, not cooling down, under its concurrency cap, not
     * in {@code exclude}, speaks one of {@code kinds}, serves the model, and no credential of an earlier tier could
     * serve instead (tiers win over sessions: traffic returns to tier 1 once it recovers). {@code null} otherwise, and then the
     * request is leased as any other ({@link #leaseIfFree}, {@link #lease}). Session affinity leases through this.
     */
    public Lease leasePreferred(Credential preferred, String model, Set<Dialect> kinds, Set<Credential> exclude) {
        if (snapshot.byName.get(preferred.name()) != preferred || !preferred.enabled()
                || preferred.coolingDown(System.nanoTime()) || exclude.contains(preferred)
                || !speaksOneOf(preferred, kinds) || !preferred.spec().serves(model)
                || candidates(model, kinds).earlierTierUsable(this, preferred.spec().tier(), exclude, System.nanoTime())
                || !preferred.tryAcquireSlot()) {
            return null;
        }
        // As a rotation lease: counted before the draining check, a reload in between gives the slot back.
        preferred.countRequest();
        if (preferred.draining()) {
            preferred.uncountRequest();
            if (preferred.releaseSlot() == 0) {
                draining.remove(preferred);
            }
            return null;
        }
        leased.incrementAndGet();
        return new Lease(preferred, this);
    }

    private static boolean speaksOneOf(Credential credential, Set<Dialect> kinds) {
        for (Dialect kind : kinds) {
            if (credential.speaks(kind)) {
                return true;
            }
        }
        return false;
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
        if (outcome.failed()) {
            credential.recordFailure(outcome);
        }
        switch (outcome.kind()) {
            case SUCCESS -> credential.resetRateLimits();
            case NEUTRAL -> { }
            case TRANSIENT_FAILURE -> coolDown(credential, cooldowns.transientFailure(), now,
                    CoolingCause.UPSTREAM_FAULT, "upstream fault", outcome);
            case RATE_LIMITED -> {
                Duration wait = cooldowns.rateLimited(outcome.retryAfter(), credential.recordRateLimit());
                coolDown(credential, wait, now, CoolingCause.RATE_LIMITED, "rate limited", outcome);
                LOG.info("Credential {} rate limited: cooling down for {} ms", credential.name(), wait.toMillis());
            }
            case UNAUTHORIZED -> {
                if (refresher.refresh(credential)) {
                    LOG.info("Credential {} was rejected (401) and has been refreshed", credential.name());
                    break;
                }
                coolDown(credential, cooldowns.quarantine(), now, CoolingCause.QUARANTINED, "key rejected (401)",
                        outcome);
                LOG.warn("Credential {} was rejected by its upstream (401): quarantined for {} s",
                        credential.name(), cooldowns.quarantine().toSeconds());
            }
        }
        if (credential.releaseSlot() == 0 && credential.draining()) {
            draining.remove(credential);
        }
        released.incrementAndGet();
        signalWaiters();
    }

    private void coolDown(Credential credential, Duration duration, long now, CoolingCause cause, String reason,
            Outcome outcome) {
        credential.coolDown(duration.toNanos(), now, cause, reason, outcome);
        for (PoolListener listener : listeners) {
            listener.cooledDown(credential, cause, duration);
        }
    }

    long availabilityChanges() {
        return availabilityChanges.get();
    }

    private Lease tryLease(CandidateSet candidates, Set<Credential> exclude) {
        return candidates.lease(this, exclude, System.nanoTime());
    }

    /**
     * A lease on {@code c} if it is usable now (enabled, not cooling, not excluded, a slot free), else null; how
     * every strategy takes the credential it chose.
     */
    Lease take(Credential c, Set<Credential> exclude, long nowNanos) {
        if (!c.enabled() || c.coolingDown(nowNanos) || exclude.contains(c) || !c.tryAcquireSlot()) {
            return null;
        }
        // Counted before the draining check, so that a count read after a reload includes every lease that got
        // past it (the reload marks the credential draining, then reads its in-flight count).
        c.countRequest();
        if (c.draining()) {
            c.uncountRequest();
            giveBack(c);
            return null;
        }
        leased.incrementAndGet();
        return new Lease(c, this);
    }

    private Lease awaitLease(String model, Set<Dialect> kinds, Set<Credential> exclude, long deadline)
            throws NoCredentialException {
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            throw busy(model, "the wait queue is full");
        }
        CandidateSet queuedOn = null;
        lock.lock();
        try {
            while (true) {
                // Read again each time: a reload may have swapped the credentials while this request waited.
                CandidateSet candidates = candidates(model, kinds);
                if (candidates != queuedOn) {
                    queue(queuedOn, -1);
                    queue(candidates, 1);
                    queuedOn = candidates;
                }
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
            queue(queuedOn, -1);
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    /** Counts a waiting request on each of its candidates, or takes it off them. */
    private static void queue(CandidateSet candidates, int delta) {
        if (candidates == null) {
            return;
        }
        for (Credential c : candidates.list()) {
            if (delta > 0) {
                c.queue();
            } else {
                c.unqueue();
            }
        }
    }

    /** Returns a slot taken from a credential found draining; the last one out drops it. */
    private void giveBack(Credential c) {
        if (c.releaseSlot() == 0) {
            draining.remove(c);
        }
    }

    /**
     * Marks a removed credential draining, after putting it among the draining ones: whichever of this and its
     * last release sees the other's write drops it, so that it is never kept for ever nor dropped while in use.
     */
    private void drain(Credential c) {
        draining.add(c);
        c.startDraining();
        if (c.inFlight() == 0) {
            draining.remove(c);
        }
    }

    /** The same upstream account: state earned there (a cooldown, a quarantine, counts) still says something. */
    private static boolean sameAccount(CredentialSpec a, CredentialSpec b) {
        return a.apiKey().equals(b.apiKey()) && a.baseUrl().equals(b.baseUrl()) && a.kind() == b.kind();
    }

    private Credential anyCredential(String name) {
        Credential c = snapshot.byName.get(name);
        if (c != null) {
            return c;
        }
        for (Credential d : draining) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new UnknownCredentialException(name);
    }

    private static CredentialStatus status(Credential c, long nowNanos, Instant wallNow) {
        long remaining = c.coolingRemainingNanos(nowNanos);
        boolean cooling = remaining > 0;
        CoolingCause cause = cooling ? c.coolingCause() : null;
        CredentialState state;
        if (c.draining()) {
            state = CredentialState.DRAINING;
        } else if (!c.enabled()) {
            state = CredentialState.DISABLED;
        } else if (cooling && cause == CoolingCause.QUARANTINED) {
            state = CredentialState.QUARANTINED;
        } else if (cooling) {
            state = CredentialState.COOLING;
        } else {
            state = CredentialState.READY;
        }
        CredentialSpec spec = c.spec();
        return new CredentialStatus(c.name(), c.kind().id(), spec.models().stream().map(ModelRule::pattern).toList(),
                c.enabled(), state, cooling ? wallNow.plusNanos(remaining) : null, cause,
                cooling ? c.coolingStatus() : 0, cooling ? c.coolingHint() : null, c.inFlight(), spec.maxConcurrent(),
                spec.weight(), spec.tier(), c.queued(), c.requests(), c.failures(), c.lastError());
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

    private CandidateSet candidates(String model, Set<Dialect> kinds) {
        Snapshot current = snapshot;
        ConcurrentHashMap<String, CandidateSet> byModel = current.candidatesByKinds[mask(kinds)];
        CandidateSet cached = byModel.get(model);
        if (cached != null) {
            return cached;
        }
        List<Credential> found = new ArrayList<>();
        for (Credential c : current.credentials) {
            if (speaksAny(c, kinds) && c.spec().serves(model)) {
                found.add(c);
            }
        }
        CandidateSet result = new CandidateSet(found, current.selection.strategyFor(model));
        if (!found.isEmpty() && byModel.size() < MAX_CACHED_MODELS) {
            CandidateSet raced = byModel.putIfAbsent(model, result);
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

    /**
     * The configured credentials and, per set of kinds (indexed by its bit mask), the candidates of each model name
     * seen among them; replaced whole by a reload, so that a lease never sees half of one.
     */
    private static final class Snapshot {
        final List<Credential> credentials;
        final SelectionPolicy selection;
        final Map<String, Credential> byName;
        final ConcurrentHashMap<String, CandidateSet>[] candidatesByKinds;

        @SuppressWarnings("unchecked")
        Snapshot(List<Credential> credentials, SelectionPolicy selection) {
            this.credentials = List.copyOf(credentials);
            this.selection = selection;
            Map<String, Credential> names = new HashMap<>();
            for (Credential c : credentials) {
                names.put(c.name(), c);
            }
            this.byName = Map.copyOf(names);
            this.candidatesByKinds = new ConcurrentHashMap[1 << Dialects.all().size()];
            for (int i = 0; i < candidatesByKinds.length; i++) {
                candidatesByKinds[i] = new ConcurrentHashMap<>();
            }
        }
    }
}
