package io.caravan.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    private final List<Credential> list;
    private final TierSelector[] tiers;
    /** Each selector's tier number, in the same order. */
    private final int[] tierNumbers;

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
    }

    /**
     * Whether a credential of a tier before {@code tier} could be leased now: then a credential of {@code tier} must
     * not serve, even one a session prefers, so that traffic returns to the earlier tier as soon as it recovers. Free
     * for the first tier, which is where sessions mostly are.
     */
    boolean earlierTierUsable(int tier, Set<Credential> exclude, long nowNanos) {
        for (int i = 0; i < tiers.length && tierNumbers[i] < tier; i++) {
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
        for (TierSelector tier : tiers) {
            Lease lease = tier.lease(pool, exclude, nowNanos);
            if (lease != null) {
                return lease;
            }
        }
        return null;
    }
}
