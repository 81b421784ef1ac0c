package io.caravan.pool;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code least-busy}: the credential with the fewest requests in flight relative to its {@code max-concurrent}.
 * A small tier is compared whole; a larger one by the power of two random choices (as Envoy's and nginx's
 * least-request balancers do): the less busy of two members drawn at random. That keeps a lease's cost flat at a
 * thousand credentials while still steering clear of the busy ones, where scanning every member would cost a
 * thousand reads per request.
 */
final class LeastBusySelector extends TierSelector {

    /** Up to this many members, comparing all of them costs no more than drawing two. */
    static final int COMPARE_ALL_UP_TO = 8;
    /** Draws of two before falling back to comparing every member (when few of them are usable). */
    private static final int DRAWS = 4;

    /** Whose turn it is among equally busy credentials. */
    private final AtomicInteger turn = new AtomicInteger();

    LeastBusySelector(List<Credential> members) {
        super(members);
    }

    @Override
    Lease lease(CredentialPool pool, Set<Credential> exclude, long nowNanos) {
        int n = members.length;
        if (n > COMPARE_ALL_UP_TO) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int draw = 0; draw < DRAWS; draw++) {
                int i = random.nextInt(n);
                int j = random.nextInt(n - 1);
                Credential a = members[i];
                Credential b = members[j >= i ? j + 1 : j];
                Credential chosen = lessBusy(a, b, exclude, nowNanos);
                if (chosen != null) {
                    Lease lease = pool.take(chosen, exclude, nowNanos);
                    if (lease != null) {
                        return lease;
                    }
                }
            }
        }
        // Each pass takes the least busy usable member or stops when there is none; a pass is repeated only when
        // another request filled the chosen one's last slot in between.
        for (int pass = 0; pass < n; pass++) {
            Credential chosen = leastBusy(exclude, nowNanos);
            if (chosen == null) {
                return null;
            }
            Lease lease = pool.take(chosen, exclude, nowNanos);
            if (lease != null) {
                return lease;
            }
        }
        return null;
    }

    /**
     * The least busy usable member; equally busy ones take turns (the turn counts among the tied ones only, so that
     * a busy member's share is not handed whole to the member after it).
     */
    private Credential leastBusy(Set<Credential> exclude, long nowNanos) {
        Credential best = null;
        int tied = 0;
        for (Credential c : members) {
            if (!eligible(c, exclude, nowNanos)) {
                continue;
            }
            if (best == null || busier(best, c)) {
                best = c;
                tied = 1;
            } else if (!busier(c, best)) {
                tied++;
            }
        }
        if (tied <= 1) {
            return best;
        }
        int pick = (turn.getAndIncrement() & Integer.MAX_VALUE) % tied;
        for (Credential c : members) {
            if (eligible(c, exclude, nowNanos) && !busier(c, best) && pick-- == 0) {
                return c;
            }
        }
        // Loads moved between the two passes: the first pass's choice is still a good one.
        return best;
    }

    /** The less busy of two, among those usable; null when neither is. */
    private static Credential lessBusy(Credential a, Credential b, Set<Credential> exclude, long nowNanos) {
        boolean aUsable = eligible(a, exclude, nowNanos);
        boolean bUsable = eligible(b, exclude, nowNanos);
        if (aUsable && bUsable) {
            return busier(a, b) ? b : a;
        }
        return aUsable ? a : bUsable ? b : null;
    }

    /** Whether {@code a} has more in flight for its cap than {@code b}: a/capA > b/capB without a division. */
    private static boolean busier(Credential a, Credential b) {
        return (long) a.inFlight() * b.spec().maxConcurrent() > (long) b.inFlight() * a.spec().maxConcurrent();
    }
}
