package io.caravan.pool;

import java.util.List;
import java.util.Set;

/**
 * {@code fill-first}: the first usable credential in the file's order, so that one account's quota is spent before
 * the next one's is touched. The cost is the number of credentials before it that are full or cooling.
 */
final class FillFirstSelector extends TierSelector {

    FillFirstSelector(List<Credential> members) {
        super(members);
    }

    @Override
    Lease lease(CredentialPool pool, Set<Credential> exclude, long nowNanos) {
        for (Credential c : members) {
            Lease lease = pool.take(c, exclude, nowNanos);
            if (lease != null) {
                return lease;
            }
        }
        return null;
    }
}
