package io.caravan.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool's reload (the swap, draining, what each credential keeps) and the state and stats it shows. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CredentialPoolReloadTest {

    private static final Set<Dialect> OPENAI = Set.of(Dialects.OPENAI);
    private static final Set<Credential> NONE = Set.of();
    private static final CooldownPolicy POLICY = new CooldownPolicy(
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofHours(1));

    private static CredentialSpec spec(String name, String key, int maxConcurrent, String... models) {
        List<ModelRule> rules = new ArrayList<>();
        for (String m : models) {
            rules.add(ModelRule.exactOrWildcard(m));
        }
        return new CredentialSpec(name, Dialects.OPENAI, "https://upstream.example", key, rules, maxConcurrent, true);
    }

    private static CredentialSpec openAi(String name) {
        return spec(name, "key-of-" + name + "-0123456789", 4, "m");
    }

    private static CredentialPool pool(CredentialSpec... specs) {
        return new CredentialPool(List.of(specs), POLICY, 100);
    }

    private static Set<String> leasedNames(CredentialPool pool, int leases) throws NoCredentialException {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < leases; i++) {
            Lease lease = pool.leaseIfFree("m", OPENAI, NONE);
            assertNotNull(lease, "a credential is free");
            names.add(lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
        return names;
    }

    @Test
    void aReloadAddsRemovesAndChangesCredentialsAndSaysWhich() throws Exception {
        CredentialPool pool = pool(openAi("kept"), openAi("gone"), openAi("edited"));

        PoolChange change = pool.reload(List.of(openAi("kept"), spec("edited", "key-of-edited-0123456789", 8, "m"),
                openAi("new")));

        assertEquals(List.of("new"), change.added());
        assertEquals(List.of("gone"), change.removed());
        assertEquals(List.of("edited"), change.changed());
        assertEquals(List.of("kept", "edited", "new"), pool.credentials().stream().map(Credential::name).toList());
        assertEquals(Set.of("kept", "edited", "new"), leasedNames(pool, 9));
        assertEquals(8, pool.status("edited").maxConcurrent());
        assertTrue(pool.reload(List.of(openAi("kept"), spec("edited", "key-of-edited-0123456789", 8, "m"),
                openAi("new"))).isEmpty(), "the same specs again change nothing");
    }

    @Test
    void anUnchangedCredentialKeepsItsObjectCooldownAndCounters() throws Exception {
        CredentialPool pool = pool(openAi("a"), openAi("b"));
        Credential a = pool.credential("a");
        Lease lease = pool.lease("m", OPENAI, Set.of(pool.credential("b")), Duration.ZERO);
        lease.release(Outcome.failure(Outcome.Kind.RATE_LIMITED, Duration.ofSeconds(30), 429, "Retry-After 30s",
                "upstream answered HTTP 429: slow down"));

        pool.reload(List.of(openAi("a"), openAi("c")));

        assertSame(a, pool.credential("a"));
        CredentialStatus status = pool.status("a");
        assertEquals(CredentialState.COOLING, status.state());
        assertEquals(CoolingCause.RATE_LIMITED, status.coolingCause());
        assertEquals(429, status.coolingStatus());
        assertEquals("Retry-After 30s", status.coolingHint());
        assertEquals(1, status.requests());
        assertEquals(1, status.failures());
        assertEquals(Set.of("c"), leasedNames(pool, 4), "the cooling credential stays out of rotation");
    }

    @Test
    void aChangedCredentialKeepsItsStateUnlessItsKeyOrUrlChanged() throws Exception {
        CredentialPool pool = pool(openAi("same-key"), openAi("new-key"), openAi("new-url"));
        for (String name : List.of("same-key", "new-key", "new-url")) {
            Set<Credential> others = new HashSet<>(pool.credentials());
            others.remove(pool.credential(name));
            pool.lease("m", OPENAI, others, Duration.ZERO).release(Outcome.UNAUTHORIZED);
        }
        Credential sameKey = pool.credential("same-key");

        pool.reload(List.of(
                spec("same-key", "key-of-same-key-0123456789", 4, "m", "n"),
                spec("new-key", "another-key-0123456789", 4, "m"),
                new CredentialSpec("new-url", Dialects.OPENAI, "https://elsewhere.example", "key-of-new-url-0123456789",
                        List.of(ModelRule.exactOrWildcard("m")), 4, true)));

        assertSame(sameKey, pool.credential("same-key"));
        assertEquals(CredentialState.QUARANTINED, pool.status("same-key").state());
        assertEquals(1, pool.status("same-key").failures());
        assertEquals(List.of("m", "n"), pool.status("same-key").models());
        for (String fresh : List.of("new-key", "new-url")) {
            CredentialStatus status = pool.status(fresh);
            assertEquals(CredentialState.READY, status.state(), fresh);
            assertEquals(0, status.requests(), fresh);
            assertNull(status.lastError(), fresh);
        }
    }

    @Test
    void aRemovedCredentialDrainsThenDisappearsAndItsLeaseStillReleases() throws Exception {
        CredentialPool pool = pool(openAi("a"), openAi("b"));
        Lease held = pool.lease("m", OPENAI, Set.of(pool.credential("b")), Duration.ZERO);

        pool.reload(List.of(openAi("b")));

        CredentialStatus draining = pool.status("a");
        assertEquals(CredentialState.DRAINING, draining.state());
        assertEquals(1, draining.inFlight());
        assertEquals(List.of("b", "a"), pool.status().stream().map(CredentialStatus::name).toList());
        assertEquals(Set.of("b"), leasedNames(pool, 8), "a draining credential is leased no more");
        assertThrows(CredentialDrainingException.class, () -> pool.setEnabled("a", true));
        assertThrows(UnknownCredentialException.class, () -> pool.credential("a"), "no longer configured");

        held.release(Outcome.TRANSIENT_FAILURE);

        assertEquals(List.of("b"), pool.status().stream().map(CredentialStatus::name).toList());
        assertThrows(UnknownCredentialException.class, () -> pool.status("a"));
        assertEquals(pool.leasedCount(), pool.releasedCount(), "no lease leaked");
    }

    @Test
    void aCredentialRemovedWithNothingInFlightIsGoneAtOnce() throws Exception {
        CredentialPool pool = pool(openAi("a"), openAi("b"));

        pool.reload(List.of(openAi("b")));

        assertEquals(List.of("b"), pool.status().stream().map(CredentialStatus::name).toList());
    }

    @Test
    void aCredentialAddedBackWhileDrainingIsTheSameOneAgain() throws Exception {
        CredentialPool pool = pool(openAi("a"), openAi("b"));
        Credential a = pool.credential("a");
        Lease held = pool.lease("m", OPENAI, Set.of(pool.credential("b")), Duration.ZERO);
        pool.reload(List.of(openAi("b")));

        PoolChange back = pool.reload(List.of(openAi("a"), openAi("b")));

        assertEquals(List.of("a"), back.added());
        assertSame(a, pool.credential("a"));
        assertEquals(CredentialState.READY, pool.status("a").state());
        held.release(Outcome.SUCCESS);
        assertEquals(0, pool.status("a").inFlight());
        assertEquals(Set.of("a", "b"), leasedNames(pool, 8));
    }

    @Test
    void aWaiterIsServedByACredentialAReloadAdds() throws Exception {
        CredentialPool pool = pool(spec("busy", "key-of-busy-0123456789", 1, "m"));
        Lease busy = pool.lease("m", OPENAI, NONE, Duration.ZERO);
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Lease> waiter = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return pool.lease("m", OPENAI, NONE, Duration.ofSeconds(10));
            } catch (NoCredentialException e) {
                throw new IllegalStateException(e);
            }
        });
        waiting.await();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.status("busy").queued() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(1, pool.status("busy").queued(), "the waiting request counts on its candidate");
        assertEquals(1, pool.waitingCount());

        pool.reload(List.of(spec("busy", "key-of-busy-0123456789", 1, "m"), openAi("fresh")));

        Lease served = waiter.get(5, TimeUnit.SECONDS);
        assertEquals("fresh", served.credential().name());
        assertEquals(0, pool.status("busy").queued());
        assertEquals(0, pool.status("fresh").queued());
        served.release(Outcome.SUCCESS);
        busy.release(Outcome.SUCCESS);
    }

    @Test
    void statsCountLeasesAndFailuresAndKeepTheLastErrorWithTheKeyMasked() throws Exception {
        String key = "sk-secret-key-0123456789abcdef";
        CredentialPool pool = pool(spec("a", key, 4, "m"));
        pool.lease("m", OPENAI, NONE, Duration.ZERO).release(Outcome.SUCCESS);
        pool.lease("m", OPENAI, NONE, Duration.ZERO).release(Outcome.NEUTRAL);
        String quoted = "upstream answered HTTP 500: {\"error\":\"bad key " + key + "\"}" + "x".repeat(2000);
        pool.lease("m", OPENAI, NONE, Duration.ZERO).release(
                Outcome.failure(Outcome.Kind.TRANSIENT_FAILURE, null, 500, null, quoted));

        CredentialStatus status = pool.status("a");
        assertEquals(3, status.requests());
        assertEquals(1, status.failures());
        assertEquals(500, status.lastError().status());
        assertNotNull(status.lastError().at());
        assertFalse(status.lastError().message().contains("0123456789abcdef"), status.lastError().message());
        assertTrue(status.lastError().message().startsWith("upstream answered HTTP 500"));
        assertTrue(status.lastError().message().length() <= Credential.MAX_ERROR_CHARS + 1, "cut");
        assertEquals(CredentialState.COOLING, status.state());
        assertEquals(CoolingCause.UPSTREAM_FAULT, status.coolingCause());
        assertNotNull(status.coolingUntil());
        assertFalse(pool.credentials().get(0).spec().toString().contains("0123456789abcdef"), "toString masks");
    }

    @Test
    void resetEndsACooldownAndTheBackoffAndDisableShowsDisabled() throws Exception {
        CredentialPool pool = pool(openAi("a"));
        pool.lease("m", OPENAI, NONE, Duration.ZERO).release(Outcome.rateLimited(null));
        assertEquals(CredentialState.COOLING, pool.status("a").state());

        pool.reset("a");

        assertEquals(CredentialState.READY, pool.status("a").state());
        assertNull(pool.status("a").coolingUntil());
        assertNull(pool.status("a").coolingCause());
        pool.lease("m", OPENAI, NONE, Duration.ZERO).release(Outcome.rateLimited(null));
        Duration cooling = Duration.between(java.time.Instant.now(), pool.status("a").coolingUntil());
        assertTrue(cooling.compareTo(Duration.ofMillis(1500)) < 0,
                "the backoff restarted at its first step (1 s), not doubled: " + cooling);

        pool.setEnabled("a", false);
        assertEquals(CredentialState.DISABLED, pool.status("a").state());
        assertThrows(UnknownCredentialException.class, () -> pool.reset("nope"));
        assertThrows(UnknownCredentialException.class, () -> pool.setEnabled("nope", true));
        assertThrows(UnknownCredentialException.class, () -> pool.status("nope"));
    }

    @Test
    void theFilesEnabledSwitchWinsOnlyWhenItChanges() throws Exception {
        CredentialPool pool = pool(openAi("a"), openAi("b"));
        pool.setEnabled("a", false);

        pool.reload(List.of(openAi("a"), spec("b", "key-of-b-0123456789", 5, "m")));
        assertFalse(pool.status("a").enabled(), "an unchanged spec keeps the admin's switch");

        CredentialSpec aOff = new CredentialSpec("a", Dialects.OPENAI, "https://upstream.example",
                "key-of-a-0123456789", List.of(ModelRule.exactOrWildcard("m")), 4, false);
        pool.reload(List.of(aOff, openAi("b")));
        pool.setEnabled("a", true);
        pool.reload(List.of(aOff, openAi("b"), openAi("c")));
        assertTrue(pool.status("a").enabled(), "the file's switch did not change: the admin's stays");
        pool.reload(List.of(openAi("a"), openAi("b")));
        assertTrue(pool.status("a").enabled());
        assertNotSame(null, pool.credential("a"));
    }

    @Test
    void duplicateNamesAreRefusedAndNothingChanges() {
        CredentialPool pool = pool(openAi("a"));
        assertThrows(IllegalArgumentException.class, () -> pool.reload(List.of(openAi("b"), openAi("b"))));
        assertEquals(List.of("a"), pool.credentials().stream().map(Credential::name).toList());
    }
}
