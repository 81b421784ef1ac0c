package io.caravan.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link CredentialPool#leasePreferred}: the one credential asked for, leased only when it may serve the request now,
 * whatever the pool's rotation would choose.
 */
class PreferredLeaseTest {

    private static final Set<Dialect> OPENAI = Set.of(Dialects.OPENAI);
    private static final Set<Dialect> ANTHROPIC = Set.of(Dialects.ANTHROPIC);
    private static final Set<Credential> NONE = Set.of();
    private static final CooldownPolicy POLICY = new CooldownPolicy(
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofHours(1));

    private static CredentialSpec spec(String name, int maxConcurrent) {
        return new CredentialSpec(name, Dialects.OPENAI, "https://upstream.example", "key-" + name,
                List.of(ModelRule.exactOrWildcard("m")), maxConcurrent, true);
    }

    private final CredentialPool pool = new CredentialPool(List.of(spec("a", 1), spec("b", 1), spec("c", 1)), POLICY, 0);
    private final Credential b = pool.credential("b");

    @Test
    void thePreferredCredentialIsLeasedWhateverTheRotationWouldChoose() throws NoCredentialException {
        for (int i = 0; i < 3; i++) {
            Lease lease = pool.leasePreferred(b, "m", OPENAI, NONE);
            assertNotNull(lease);
            assertSame(b, lease.credential());
            lease.release(Outcome.SUCCESS);
        }
        assertEquals(3, b.requests());
        assertEquals(pool.leasedCount(), pool.releasedCount());
        assertSame(pool.credential("a"), pool.leaseIfFree("m", OPENAI, NONE).credential(),
                "the rotation did not move: its first turn is still the first credential's");
    }

    @Test
    void atItsCapItIsNotLeased() {
        Lease held = pool.leasePreferred(b, "m", OPENAI, NONE);
        assertNotNull(held);
        assertNull(pool.leasePreferred(b, "m", OPENAI, NONE));
        held.release(Outcome.SUCCESS);
        assertNotNull(pool.leasePreferred(b, "m", OPENAI, NONE));
    }

    @Test
    void coolingItIsNotLeased() {
        pool.leasePreferred(b, "m", OPENAI, NONE).release(Outcome.TRANSIENT_FAILURE);
        assertNull(pool.leasePreferred(b, "m", OPENAI, NONE));
        pool.reset("b");
        assertNotNull(pool.leasePreferred(b, "m", OPENAI, NONE));
    }

    @Test
    void aLaterTierIsNotLeasedWhileAnEarlierOneCouldServe() {
        CredentialSpec free = spec("free", 1);
        CredentialSpec paid = new CredentialSpec("paid", Dialects.OPENAI, "https://upstream.example", "key-paid",
                List.of(ModelRule.exactOrWildcard("m")), 1, true, Set.of(Dialects.OPENAI), 1, 2);
        CredentialPool tiered = new CredentialPool(List.of(free, paid), POLICY, 0);
        Credential paidCredential = tiered.credential("paid");
        assertNull(tiered.leasePreferred(paidCredential, "m", OPENAI, NONE), "tier 1 is usable: the session returns");

        Lease onFree = tiered.leasePreferred(tiered.credential("free"), "m", OPENAI, NONE);
        onFree.release(Outcome.TRANSIENT_FAILURE);
        Lease whileFreeCools = tiered.leasePreferred(paidCredential, "m", OPENAI, NONE);
        assertNotNull(whileFreeCools, "tier 1 cooling: the session may stay on tier 2");
        whileFreeCools.release(Outcome.SUCCESS);

        tiered.reset("free");
        assertNull(tiered.leasePreferred(paidCredential, "m", OPENAI, NONE), "tier 1 recovered");
    }

    @Test
    void disabledItIsNotLeased() {
        pool.setEnabled("b", false);
        assertNull(pool.leasePreferred(b, "m", OPENAI, NONE));
    }

    @Test
    void triedByThisRequestItIsNotLeased() {
        assertNull(pool.leasePreferred(b, "m", OPENAI, Set.of(b)));
    }

    @Test
    void forAnotherModelOrDialectItIsNotLeased() {
        assertNull(pool.leasePreferred(b, "other-model", OPENAI, NONE));
        assertNull(pool.leasePreferred(b, "m", ANTHROPIC, NONE));
    }

    @Test
    void removedByAReloadItIsNotLeased() {
        pool.reload(List.of(spec("a", 1), spec("c", 1)));
        assertNull(pool.leasePreferred(b, "m", OPENAI, NONE));
        pool.reload(List.of(spec("a", 1), spec("b", 1), spec("c", 1)));
        Credential replaced = new CredentialPool(List.of(spec("b", 1)), POLICY, 0).credential("b");
        assertNull(pool.leasePreferred(replaced, "m", OPENAI, NONE), "a credential of another pool");
        assertEquals(0, b.inFlight());
    }
}
