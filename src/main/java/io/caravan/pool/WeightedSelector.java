package io.caravan.pool;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code weighted}: turns in the order of a {@link WeightedWheel} built from the members' weights, so that over a
 * cycle each gets exactly its weight's share, deterministically. As with round-robin, a skipped credential uses up
 * its turn, so that its share spreads over the others in proportion to their weights.
 */
final class WeightedSelector extends TierSelector {

    private final WeightedWheel wheel;
    private final AtomicLong next = new AtomicLong();
    /**
     * Turns a lease may take before it falls back to one pass over every member: enough to get past the longest run
     * of one member's turns (a heavy member's, while it cools) and then round every other member once, so that
     * skipping keeps the shares exact in all but the case where hardly any member is usable.
     */
    private final int maxTurns;

    WeightedSelector(List<Credential> members) {
        super(members);
        int[] weights = new int[this.members.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = this.members[i].spec().weight();
        }
        this.wheel = new WeightedWheel(weights);
        this.maxTurns = (int) Math.min(wheel.cycleLength(), (long) weights.length + wheel.rounds());
    }

    @Override
    Lease lease(CredentialPool pool, Set<Credential> exclude, long nowNanos) {
        int n = members.length;
        long turn = 0;
        for (int i = 0; i < maxTurns; i++) {
            turn = next.getAndIncrement() & Long.MAX_VALUE;
            Lease lease = pool.take(members[wheel.member(turn)], exclude, nowNanos);
            if (lease != null) {
                return lease;
            }
        }
        // Every turn fell on an unusable member: one pass over them all, so that a usable one is never missed.
        int start = (int) (turn % n);
        for (int i = 0; i < n; i++) {
            Lease lease = pool.take(members[(start + i) % n], exclude, nowNanos);
            if (lease != null) {
                return lease;
            }
        }
        return null;
    }
}
