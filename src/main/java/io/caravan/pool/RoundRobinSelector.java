package io.caravan.pool;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code round-robin} (and {@code priority}, which is round-robin within tiers): the tier's next turn that is
 * usable. Every skipped credential (cooling, busy, already tried) uses up its own turn, so that its share spreads
 * over the rest evenly instead of going whole to the credential after it in the list.
 */
final class RoundRobinSelector extends TierSelector {

    private final AtomicInteger next = new AtomicInteger();

    RoundRobinSelector(List<Credential> members) {
        super(members);
    }

    @Override
    Lease lease(CredentialPool pool, Set<Credential> exclude, long nowNanos) {
        int n = members.length;
        for (int i = 0; i < n; i++) {
            Lease lease = pool.take(members[(next.getAndIncrement() & Integer.MAX_VALUE) % n], exclude, nowNanos);
            if (lease != null) {
                return lease;
            }
        }
        return null;
    }
}
