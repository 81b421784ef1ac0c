package io.caravan.pool;

import java.util.List;
import java.util.Set;

/**
 * Chooses among the candidates of one tier of one model by one {@link SelectionStrategy}. Built with the model's
 * {@link CandidateSet} (once per model name and credential snapshot), so that whatever a strategy needs per set of
 * candidates is computed there and a lease only reads it.
 */
abstract class TierSelector {

    /** The tier's candidates in the credentials file's order. */
    final Credential[] members;

    TierSelector(List<Credential> members) {
        this.members = members.toArray(new Credential[0]);
    }

    static TierSelector of(SelectionStrategy strategy, List<Credential> members) {
        return switch (strategy) {
            // Tiers are honoured by every strategy: priority is round-robin within each tier.
            case ROUND_ROBIN, PRIORITY -> new RoundRobinSelector(members);
            case WEIGHTED -> new WeightedSelector(members);
            case FILL_FIRST -> new FillFirstSelector(members);
            case LEAST_BUSY -> new LeastBusySelector(members);
        };
    }

    /** A lease on one of the tier's eligible candidates, or null when none of them could be leased now. */
    abstract Lease lease(CredentialPool pool, Set<Credential> exclude, long nowNanos);

    /**
     * Whether the credential could be leased now: enabled, not cooling, not tried by this request and under its
     * concurrency cap. A strategy that compares candidates reads this before {@link CredentialPool#take}, which
     * decides (the cap may fill in between).
     */
    static boolean eligible(Credential c, Set<Credential> exclude, long nowNanos) {
        return c.enabled() && !c.coolingDown(nowNanos) && c.inFlight() < c.spec().maxConcurrent()
                && !exclude.contains(c);
    }
}
