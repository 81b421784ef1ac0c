package io.caravan.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The credentials that may serve one model (of the requested kinds), with what the model's strategy needs to choose
 * among them, computed once when the pool first sees the model in a credential snapshot: the candidates split into
 * tiers, lowest tier number first, each with its own {@link TierSelector}.
 *
 * <p>Tiers are a strict preference whatever the strategy: a lease takes the first tier that has a usable candidate,
 * so that a later tier serves only while every credential of the earlier ones is cooling, full, disabled or tried,
 * and the earlier tier serves again as soon as one of its credentials can.
 */
final class CandidateSet {

    private static final long MAX_OUTAGE_NANOS = TimeUnit.DAYS.toNanos(1);

    private final List<Credential> list;
    private final TierSelector[] tiers;
    /** Each selector's tier number, in the same order. */
    private final int[] tierNumbers;
    /** Per tier, when it was last found with no credential that could serve before a given time; see {@link #lease}. */
    private final TierOutage[] outages;

    /**
     * A tier every credential of which was disabled or cooling down when a lease looked: until the soonest of those
     * cooldowns ends, and while no credential was enabled or reset meanwhile, the tier cannot serve and is not looked
     * through again. That keeps failover as cheap as normal service with a thousand credentials cooling in tier 1.
     */
    private record TierOutage(long untilNanos, long availabilityChanges) {
    }

    /** @param list the candidates in the credentials file's order */
    CandidateSet(List<Credential> list, SelectionStrategy strategy) {
        this.list = List.copyOf(list);
        Map<Integer, List<Credential>> byTier = new TreeMap<>();
        for (Credential c : this.list) {
            byTier.computeIfAbsent(c.spec().tier(), tier -> new ArrayList<>()).add(c);
        }
        this.tiers = byTier.values().stream().map(members -> TierSelector.of(strategy, members))
                .toArray(TierSelector[]::new);
        this.tierNumbers = byTier.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.outages = new TierOutage[tiers.length];
    }

    /**
     * Whether a credential of a tier before {@code tier} could be leased now: then a credential of {@code tier} must
     * not serve, even one a session prefers, so that traffic returns to the earlier tier as soon as it recovers. Free
     * for the first tier, which is where sessions mostly are.
     */
    boolean earlierTierUsable(CredentialPool pool, int tier, Set<Credential> exclude, long nowNanos) {
        long changes = pool.availabilityChanges();
        for (int i = 0; i < tiers.length && tierNumbers[i] < tier; i++) {
            if (out(i, nowNanos, changes)) {
                continue;
            }
            for (Credential c : tiers[i].members) {
                if (TierSelector.eligible(c, exclude, nowNanos)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every candidate, every tier, in the file's order. */
    List<Credential> list() {
        return list;
    }

    boolean anyEnabled() {
        for (Credential c : list) {
            if (c.enabled()) {
                return true;
            }
        }
        return false;
    }

    /** A lease from the first tier with a usable candidate, chosen there by the strategy; null when none is. */
    Lease lease(CredentialPool pool, Set<Credential> exclude, long nowNanos) {
        long changes = pool.availabilityChanges();
        for (int i = 0; i < tiers.length; i++) {
            if (out(i, nowNanos, changes)) {
                continue;
            }
            Lease lease = tiers[i].lease(pool, exclude, nowNanos);
            if (lease != null) {
                return lease;
            }
            noteOutage(i, nowNanos, changes);
        }
        return null;
    }

    private boolean out(int tier, long nowNanos, long changes) {
        TierOutage outage = outages[tier];
        return outage != null && outage.availabilityChanges() == changes && outage.untilNanos() - nowNanos > 0;
    }

    /**
     * After a tier could not lease: when no credential of it is enabled and out of cooldown (so that neither a slot
     * coming free nor another request's exclusions could change that), the tier is out until its soonest cooldown
     * ends. Busy or merely tried credentials leave it in.
     */
    private void noteOutage(int tier, long nowNanos, long changes) {
        long soonest = Long.MAX_VALUE;
        for (Credential c : tiers[tier].members) {
            if (c.enabled()) {
                long remaining = c.coolingRemainingNanos(nowNanos);
                if (remaining <= 0) {
                    return;
                }
                soonest = Math.min(soonest, remaining);
            }
        }
        // A tier of disabled credentials is out until one is enabled, which changes the count; a day bounds it anyway.
        long until = nowNanos + Math.min(soonest, MAX_OUTAGE_NANOS);
        outages[tier] = new TierOutage(until, changes);
    }
}
