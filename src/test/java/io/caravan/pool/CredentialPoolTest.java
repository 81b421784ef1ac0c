package io.caravan.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CredentialPoolTest {

    private static final Set<Dialect> OPENAI = Set.of(Dialects.OPENAI);
    private static final Set<Dialect> ANTHROPIC = Set.of(Dialects.ANTHROPIC);
    private static final Set<Credential> NONE = Set.of();
    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration LONG_WAIT = Duration.ofSeconds(5);

    private static final CooldownPolicy POLICY = new CooldownPolicy(
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofHours(1));

    private static CredentialSpec spec(String name, Dialect kind, int maxConcurrent, String... models) {
        List<ModelRule> rules = new ArrayList<>();
        for (String m : models) {
            rules.add(ModelRule.exactOrWildcard(m));
        }
        return new CredentialSpec(name, kind, "https://upstream.example", "key-" + name, rules, maxConcurrent, true);
    }

    private static CredentialSpec openAi(String name, int maxConcurrent) {
        return spec(name, Dialects.OPENAI, maxConcurrent, "m");
    }

    private static CredentialPool pool(int maxWaiting, CredentialSpec... specs) {
        return new CredentialPool(List.of(specs), POLICY, maxWaiting);
    }

    private static NoCredentialException noCredential(CredentialPool pool, String model, Set<Dialect> kinds,
            Set<Credential> exclude, Duration maxWait) {
        return assertThrows(NoCredentialException.class, () -> pool.lease(model, kinds, exclude, maxWait));
    }

    /** Polls until the condition holds, failing after two seconds. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(2);
        }
    }

    // ---------------------------------------------------------------- choosing credentials

    @Test
    void leasesRotateRoundRobinAcrossEligibleCredentials() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4), openAi("c", 4));

        List<String> names = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            names.add(lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }

        assertEquals(Set.of("a", "b", "c"), Set.copyOf(names.subList(0, 3)), "the first three leases: " + names);
        for (int i = 3; i < names.size(); i++) {
            assertEquals(names.get(i - 3), names.get(i), "strict rotation: " + names);
        }
    }

    @Test
    void theShareOfACoolingCredentialSpreadsEvenlyOverTheOthers() throws Exception {
        // With "b" cooling, its turns used to go whole to "c", the next one in list order: c got twice a's share.
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4), openAi("c", 4), openAi("d", 4));
        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            lease.release(lease.credential().name().equals("b") ? Outcome.rateLimited(Duration.ofMinutes(5)) : Outcome.SUCCESS);
        }

        Map<String, Integer> shares = new HashMap<>();
        int leases = 3000;
        for (int i = 0; i < leases; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            shares.merge(lease.credential().name(), 1, Integer::sum);
            lease.release(Outcome.SUCCESS);
        }

        assertEquals(Set.of("a", "c", "d"), shares.keySet(), "shares: " + shares);
        for (int share : shares.values()) {
            assertTrue(Math.abs(share - leases / 3) <= leases / 100, "near-equal shares: " + shares);
        }
    }

    @Test
    void theShareOfACredentialAtItsCapSpreadsEvenlyOverTheOthers() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 1), openAi("c", 4), openAi("d", 4));
        Lease held = null;
        while (held == null) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            if (lease.credential().name().equals("b")) {
                held = lease;
            } else {
                lease.release(Outcome.SUCCESS);
            }
        }

        Map<String, Integer> shares = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            shares.merge(lease.credential().name(), 1, Integer::sum);
            lease.release(Outcome.SUCCESS);
        }
        held.release(Outcome.SUCCESS);

        assertEquals(Set.of("a", "c", "d"), shares.keySet(), "shares: " + shares);
        for (int share : shares.values()) {
            assertTrue(Math.abs(share - 1000) <= 30, "near-equal shares: " + shares);
        }
    }

    @Test
    void heldLeasesSpreadOverCredentialsBeforeStackingOnOne() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4));

        Lease first = pool.lease("m", OPENAI, NONE, NO_WAIT);
        Lease second = pool.lease("m", OPENAI, NONE, NO_WAIT);

        assertFalse(first.credential() == second.credential(), "two leases in a row use two credentials");
        assertEquals(1, pool.credential("a").inFlight());
        assertEquals(1, pool.credential("b").inFlight());
    }

    @Test
    void onlyCredentialsOfTheRequestedKindsAreLeased() throws Exception {
        CredentialPool pool = pool(10, spec("o", Dialects.OPENAI, 4, "m"), spec("a", Dialects.ANTHROPIC, 4, "m"));

        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", ANTHROPIC, NONE, NO_WAIT);
            assertEquals("a", lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            assertEquals("o", lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
        assertEquals(2, pool.candidateCount("m", Set.copyOf(Dialects.all())));
        assertEquals(1, pool.candidateCount("m", OPENAI));
        assertEquals(1, pool.candidateCount("m", ANTHROPIC));
    }

    @Test
    void onlyCredentialsServingTheModelAreLeased() throws Exception {
        CredentialPool pool = pool(10,
                spec("gpt", Dialects.OPENAI, 4, "gpt-*"),
                spec("o3", Dialects.OPENAI, 4, "o3-mini"),
                spec("both", Dialects.OPENAI, 4, "o3-mini", "gpt-4o"));

        Set<String> forGpt4o = new java.util.HashSet<>();
        Set<String> forO3 = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            Lease a = pool.lease("gpt-4o", OPENAI, NONE, NO_WAIT);
            forGpt4o.add(a.credential().name());
            a.release(Outcome.SUCCESS);
        }
        for (int i = 0; i < 6; i++) {
            Lease b = pool.lease("o3-mini", OPENAI, NONE, NO_WAIT);
            forO3.add(b.credential().name());
            b.release(Outcome.SUCCESS);
        }

        assertEquals(Set.of("gpt", "both"), forGpt4o);
        assertEquals(Set.of("o3", "both"), forO3);
        assertEquals(1, pool.candidateCount("gpt-4.1", OPENAI));
        assertEquals(0, pool.candidateCount("claude", OPENAI));
    }

    @Test
    void alternatingRequestsForTwoModelsStillRotateEachModelsCredentials() throws Exception {
        // A client that alternates two models (say a small and a large one) must not pin each model to one key.
        CredentialPool pool = pool(10,
                spec("a", Dialects.OPENAI, 4, "small", "large"),
                spec("b", Dialects.OPENAI, 4, "small", "large"));

        Set<String> forSmall = new java.util.HashSet<>();
        Set<String> forLarge = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            Lease s = pool.lease("small", OPENAI, NONE, NO_WAIT);
            forSmall.add(s.credential().name());
            s.release(Outcome.SUCCESS);
            Lease l = pool.lease("large", OPENAI, NONE, NO_WAIT);
            forLarge.add(l.credential().name());
            l.release(Outcome.SUCCESS);
        }

        assertEquals(Set.of("a", "b"), forSmall, "requests for 'small' used");
        assertEquals(Set.of("a", "b"), forLarge, "requests for 'large' used");
    }

    @Test
    void aModelNobodyServesIsNotServed() {
        CredentialPool pool = pool(10, openAi("a", 4));

        NoCredentialException e = noCredential(pool, "llama-3", OPENAI, NONE, LONG_WAIT);

        assertEquals(NoCredentialException.Reason.MODEL_NOT_SERVED, e.reason());
        assertNull(e.retryAfter());
        assertTrue(e.getMessage().contains("llama-3"), e.getMessage());
    }

    @Test
    void aModelServedOnlyByAnotherKindIsNotServed() {
        CredentialPool pool = pool(10, spec("a", Dialects.ANTHROPIC, 4, "m"));

        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, LONG_WAIT);

        assertEquals(NoCredentialException.Reason.MODEL_NOT_SERVED, e.reason());
    }

    @Test
    void excludedCredentialsAreSkipped() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4), openAi("c", 4));
        Set<Credential> tried = Set.of(pool.credential("a"), pool.credential("c"));

        for (int i = 0; i < 6; i++) {
            Lease lease = pool.lease("m", OPENAI, tried, NO_WAIT);
            assertEquals("b", lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
    }

    @Test
    void whenEveryCredentialWasTriedThereIsNothingLeft() {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4));
        Set<Credential> tried = Set.of(pool.credential("a"), pool.credential("b"));

        long start = System.nanoTime();
        NoCredentialException e = noCredential(pool, "m", OPENAI, tried, LONG_WAIT);

        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "does not wait for nothing");
        assertFalse(e.reason() == NoCredentialException.Reason.MODEL_NOT_SERVED, "the model is served");
        assertEquals(0, pool.credential("a").inFlight());
        assertEquals(0, pool.credential("b").inFlight());
    }

    // ---------------------------------------------------------------- concurrency caps and the wait queue

    @Test
    void theConcurrencyCapIsRespected() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 2));

        Lease one = pool.lease("m", OPENAI, NONE, NO_WAIT);
        Lease two = pool.lease("m", OPENAI, NONE, NO_WAIT);
        assertEquals(2, pool.credential("a").inFlight());

        long start = System.nanoTime();
        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, Duration.ofMillis(80));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(NoCredentialException.Reason.ALL_BUSY, e.reason());
        assertNotNull(e.retryAfter());
        assertTrue(e.retryAfter().compareTo(Duration.ZERO) > 0);
        assertTrue(waitedMs >= 70, "waited for the slot first: " + waitedMs + " ms");
        assertTrue(waitedMs < 2000, "but not much longer than asked: " + waitedMs + " ms");
        assertEquals(2, pool.credential("a").inFlight(), "a refused lease takes no slot");
        assertEquals(0, pool.waitingCount());

        one.release(Outcome.SUCCESS);
        Lease three = pool.lease("m", OPENAI, NONE, NO_WAIT);
        assertEquals("a", three.credential().name());
        two.release(Outcome.SUCCESS);
        three.release(Outcome.SUCCESS);
        assertEquals(0, pool.credential("a").inFlight());
    }

    @Test
    void aBusyCredentialIsPassedOverForAFreeOne() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 1), openAi("b", 1));
        Lease held = pool.lease("m", OPENAI, NONE, NO_WAIT);
        String other = held.credential().name().equals("a") ? "b" : "a";

        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            assertEquals(other, lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
        held.release(Outcome.SUCCESS);
    }

    @Test
    void aWaiterGetsTheSlotWhenALeaseIsReleased() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 1));
        Lease held = pool.lease("m", OPENAI, NONE, NO_WAIT);

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Lease> got = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            started.countDown();
            try {
                got.set(pool.lease("m", OPENAI, NONE, LONG_WAIT));
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.countDown();
            }
        });
        waiter.start();
        assertTrue(started.await(2, TimeUnit.SECONDS));
        awaitTrue(() -> pool.waitingCount() == 1, "the second request waits");
        assertEquals(1, done.getCount(), "the waiter is still waiting while the slot is held");

        long released = System.nanoTime();
        held.release(Outcome.SUCCESS);

        assertTrue(done.await(2, TimeUnit.SECONDS), "the waiter got the slot");
        assertNull(failure.get());
        assertNotNull(got.get());
        assertSame(pool.credential("a"), got.get().credential());
        assertTrue(System.nanoTime() - released < TimeUnit.SECONDS.toNanos(1), "signalled, not merely polled late");
        assertEquals(1, pool.credential("a").inFlight());
        assertEquals(0, pool.waitingCount());
        got.get().release(Outcome.SUCCESS);
        waiter.join(2000);
    }

    @Test
    void aFullWaitQueueRefusesAtOnce() throws Exception {
        CredentialPool pool = pool(1, openAi("a", 1));
        Lease held = pool.lease("m", OPENAI, NONE, NO_WAIT);

        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Lease> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                got.set(pool.lease("m", OPENAI, NONE, LONG_WAIT));
            } catch (NoCredentialException ignored) {
                // asserted through got
            } finally {
                done.countDown();
            }
        });
        waiter.start();
        awaitTrue(() -> pool.waitingCount() == 1, "the first waiter is queued");

        long start = System.nanoTime();
        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, LONG_WAIT);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(NoCredentialException.Reason.ALL_BUSY, e.reason());
        assertNotNull(e.retryAfter());
        assertTrue(tookMs < 1000, "refused without waiting: " + tookMs + " ms");
        assertEquals(1, pool.waitingCount(), "the refused request left the queue count as it was");

        held.release(Outcome.SUCCESS);
        assertTrue(done.await(2, TimeUnit.SECONDS));
        assertNotNull(got.get(), "the queued waiter still gets the slot");
        got.get().release(Outcome.SUCCESS);
        waiter.join(2000);
        assertEquals(0, pool.waitingCount());
    }

    @Test
    void withoutAWaitQueueABusyPoolRefusesAtOnce() throws Exception {
        CredentialPool pool = pool(0, openAi("a", 1));
        Lease held = pool.lease("m", OPENAI, NONE, NO_WAIT);

        long start = System.nanoTime();
        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, LONG_WAIT);

        assertEquals(NoCredentialException.Reason.ALL_BUSY, e.reason());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
        held.release(Outcome.SUCCESS);
    }

    // ---------------------------------------------------------------- cooldowns

    @Test
    void whenEveryCredentialIsCoolingTheCallerIsToldHowLongToWait() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4));
        Lease a = pool.lease("m", OPENAI, NONE, NO_WAIT);
        Lease b = pool.lease("m", OPENAI, NONE, NO_WAIT);
        a.release(Outcome.rateLimited(Duration.ofSeconds(5)));
        b.release(Outcome.rateLimited(Duration.ofSeconds(5)));

        long start = System.nanoTime();
        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, LONG_WAIT);

        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "cooling is reported without waiting");
        assertEquals(NoCredentialException.Reason.ALL_COOLING, e.reason());
        assertNotNull(e.retryAfter());
        assertTrue(e.retryAfter().compareTo(Duration.ofMillis(4500)) > 0, "retry after " + e.retryAfter());
        assertTrue(e.retryAfter().compareTo(Duration.ofSeconds(5)) <= 0, "retry after " + e.retryAfter());
        assertEquals("rate limited", pool.credential("a").coolingReason());
    }

    @Test
    void theRetryAfterIsTheSoonestEndOfAnyCooldown() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4));
        Lease a = pool.lease("m", OPENAI, NONE, NO_WAIT);
        Lease b = pool.lease("m", OPENAI, NONE, NO_WAIT);
        a.release(Outcome.rateLimited(Duration.ofSeconds(20)));
        b.release(Outcome.rateLimited(Duration.ofSeconds(3)));

        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, NO_WAIT);

        assertEquals(NoCredentialException.Reason.ALL_COOLING, e.reason());
        assertTrue(e.retryAfter().compareTo(Duration.ofMillis(2500)) > 0, "retry after " + e.retryAfter());
        assertTrue(e.retryAfter().compareTo(Duration.ofSeconds(3)) <= 0, "retry after " + e.retryAfter());
    }

    @Test
    void allCoolingIsReportedAsCoolingEvenWithoutAWaitQueue() throws Exception {
        // ALL_COOLING means 429 + Retry-After for the caller; a pool configured without a wait queue must not
        // turn it into a 503 "queue full".
        CredentialPool pool = pool(0, openAi("a", 4));
        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.rateLimited(Duration.ofSeconds(5)));

        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, LONG_WAIT);

        assertEquals(NoCredentialException.Reason.ALL_COOLING, e.reason());
        assertTrue(e.retryAfter().compareTo(Duration.ofMillis(4500)) > 0, "retry after " + e.retryAfter());
    }

    @Test
    void aCoolingCredentialIsPassedOverWhileOthersAreFree() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4));
        Lease first = pool.lease("m", OPENAI, NONE, NO_WAIT);
        String cooled = first.credential().name();
        first.release(Outcome.rateLimited(Duration.ofSeconds(30)));

        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            assertFalse(lease.credential().name().equals(cooled), "the cooling credential was leased");
            lease.release(Outcome.SUCCESS);
        }
    }

    @Test
    void aCooldownEndsByItself() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4));
        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.rateLimited(Duration.ofMillis(100)));

        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, NO_WAIT);
        assertEquals(NoCredentialException.Reason.ALL_COOLING, e.reason());
        assertTrue(e.retryAfter().compareTo(Duration.ofMillis(100)) <= 0, "retry after " + e.retryAfter());

        Thread.sleep(150);
        Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
        assertEquals("a", lease.credential().name());
        lease.release(Outcome.SUCCESS);
    }

    @Test
    void aWaiterForABusyCredentialIsNotStuckWhenTheOtherOneCoolsDown() throws Exception {
        // "a" is busy (cap 1), "b" is cooling for 150 ms: the request waits, and gets "b" when its cooldown ends,
        // although nobody releases anything.
        CredentialPool pool = pool(10, openAi("a", 1), openAi("b", 1));
        Lease first = pool.lease("m", OPENAI, NONE, NO_WAIT);
        Lease second = pool.lease("m", OPENAI, NONE, NO_WAIT);
        Lease held = first.credential().name().equals("a") ? first : second;
        Lease other = held == first ? second : first;
        other.release(Outcome.rateLimited(Duration.ofMillis(150)));

        long start = System.nanoTime();
        Lease lease = pool.lease("m", OPENAI, NONE, LONG_WAIT);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals("b", lease.credential().name());
        assertTrue(waitedMs >= 100 && waitedMs < 2000, "waited " + waitedMs + " ms");
        lease.release(Outcome.SUCCESS);
        held.release(Outcome.SUCCESS);
    }

    @Test
    void rateLimitsWithoutAHintBackOffExponentiallyUntilASuccess() throws Exception {
        CooldownPolicy policy = new CooldownPolicy(
                Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofMinutes(30), Duration.ofHours(1));
        CredentialPool pool = new CredentialPool(List.of(openAi("a", 4)), policy, 10);

        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.rateLimited(null));
        Duration first = noCredential(pool, "m", OPENAI, NONE, NO_WAIT).retryAfter();
        assertTrue(first.compareTo(Duration.ofMillis(100)) > 0 && first.compareTo(Duration.ofMillis(200)) <= 0,
                "first backoff " + first);

        pool.setEnabled("a", true); // clears the cooldown but not the count of 429s in a row
        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.rateLimited(null));
        Duration second = noCredential(pool, "m", OPENAI, NONE, NO_WAIT).retryAfter();
        assertTrue(second.compareTo(Duration.ofMillis(300)) > 0 && second.compareTo(Duration.ofMillis(400)) <= 0,
                "second backoff " + second);

        pool.setEnabled("a", true);
        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.SUCCESS);
        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.rateLimited(null));
        Duration afterSuccess = noCredential(pool, "m", OPENAI, NONE, NO_WAIT).retryAfter();
        assertTrue(afterSuccess.compareTo(Duration.ofMillis(200)) <= 0, "a success resets the backoff: " + afterSuccess);
    }

    @Test
    void aTransientFailureCoolsForThePolicysTime() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4));
        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.TRANSIENT_FAILURE);

        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, NO_WAIT);

        assertEquals(NoCredentialException.Reason.ALL_FAILING, e.reason());
        assertEquals(CoolingCause.UPSTREAM_FAULT, pool.credential("a").coolingCause());
        assertTrue(e.retryAfter().compareTo(Duration.ofSeconds(9)) > 0
                && e.retryAfter().compareTo(Duration.ofSeconds(10)) <= 0, "retry after " + e.retryAfter());
    }

    @Test
    void everyCredentialCoolingIsARateLimitOnlyWhenEachOfThemWasRateLimited() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4), openAi("c", 4));
        Map<String, Outcome> outcomes = Map.of("a", Outcome.rateLimited(Duration.ofSeconds(30)),
                "b", Outcome.TRANSIENT_FAILURE, "c", Outcome.UNAUTHORIZED);
        for (int i = 0; i < 3; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            lease.release(outcomes.get(lease.credential().name()));
        }
        assertEquals(CoolingCause.RATE_LIMITED, pool.credential("a").coolingCause());
        assertEquals(CoolingCause.UPSTREAM_FAULT, pool.credential("b").coolingCause());
        assertEquals(CoolingCause.QUARANTINED, pool.credential("c").coolingCause());

        // A fault and a rejected key among them: the upstreams are failing, the caller is not rate limited.
        NoCredentialException mixed = noCredential(pool, "m", OPENAI, NONE, NO_WAIT);
        assertEquals(NoCredentialException.Reason.ALL_FAILING, mixed.reason());
        assertTrue(mixed.retryAfter().compareTo(Duration.ofSeconds(10)) <= 0, "the soonest end: " + mixed.retryAfter());

        // Only the rate-limited one left to consider: a rate limit.
        Set<Credential> triedTheOthers = Set.of(pool.credential("b"), pool.credential("c"));
        assertEquals(NoCredentialException.Reason.ALL_COOLING,
                noCredential(pool, "m", OPENAI, triedTheOthers, NO_WAIT).reason());
    }

    @Test
    void aNeutralOutcomeLeavesTheCredentialUsable() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4));
        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.NEUTRAL);

        Lease again = pool.lease("m", OPENAI, NONE, NO_WAIT);
        assertEquals("a", again.credential().name());
        again.release(Outcome.SUCCESS);
    }

    @Test
    void aRejectedKeyIsQuarantinedUntilReEnabled() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4));
        Lease first = pool.lease("m", OPENAI, NONE, NO_WAIT);
        String rejected = first.credential().name();
        first.release(Outcome.UNAUTHORIZED);

        Credential credential = pool.credential(rejected);
        long remaining = credential.coolingRemainingNanos(System.nanoTime());
        assertTrue(remaining > TimeUnit.MINUTES.toNanos(59) && remaining <= TimeUnit.HOURS.toNanos(1),
                "quarantined for " + Duration.ofNanos(remaining));
        assertTrue(credential.coolingReason().contains("401"), credential.coolingReason());
        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            assertFalse(lease.credential().name().equals(rejected));
            lease.release(Outcome.SUCCESS);
        }

        pool.setEnabled(rejected, true);

        assertTrue(credential.coolingRemainingNanos(System.nanoTime()) <= 0);
        assertNull(credential.coolingReason());
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            seen.add(lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
        assertEquals(Set.of("a", "b"), seen);
    }

    @Test
    void aShorterCooldownDoesNotCutALongerOneShort() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4));
        Lease one = pool.lease("m", OPENAI, NONE, NO_WAIT);
        Lease two = pool.lease("m", OPENAI, NONE, NO_WAIT);
        one.release(Outcome.UNAUTHORIZED);
        two.release(Outcome.rateLimited(Duration.ofSeconds(1)));

        Duration retryAfter = noCredential(pool, "m", OPENAI, NONE, NO_WAIT).retryAfter();
        assertTrue(retryAfter.compareTo(Duration.ofMinutes(59)) > 0, "retry after " + retryAfter);
    }

    // ---------------------------------------------------------------- enabling and disabling

    @Test
    void aDisabledCredentialIsNotLeasedAndComesBackWhenEnabled() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4), openAi("b", 4));

        pool.setEnabled("a", false);
        assertFalse(pool.credential("a").enabled());
        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            assertEquals("b", lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }

        pool.setEnabled("b", false);
        NoCredentialException e = noCredential(pool, "m", OPENAI, NONE, NO_WAIT);
        assertEquals(NoCredentialException.Reason.MODEL_NOT_SERVED, e.reason());

        pool.setEnabled("a", true);
        assertTrue(pool.credential("a").enabled());
        for (int i = 0; i < 4; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            assertEquals("a", lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
    }

    @Test
    void aCredentialDisabledInTheFileStartsDisabled() throws Exception {
        CredentialSpec off = new CredentialSpec("off", Dialects.OPENAI, "https://upstream.example", "k",
                List.of(ModelRule.exactOrWildcard("m")), 4, false);
        CredentialPool pool = new CredentialPool(List.of(off, openAi("on", 4)), POLICY, 10);

        assertFalse(pool.credential("off").enabled());
        for (int i = 0; i < 3; i++) {
            Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
            assertEquals("on", lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
    }

    @Test
    void enablingACredentialWakesAWaiter() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 1), openAi("b", 1));
        pool.setEnabled("b", false);
        Lease held = pool.lease("m", OPENAI, NONE, NO_WAIT);
        assertEquals("a", held.credential().name());

        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Lease> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                got.set(pool.lease("m", OPENAI, NONE, LONG_WAIT));
            } catch (NoCredentialException ignored) {
                // asserted through got
            } finally {
                done.countDown();
            }
        });
        waiter.start();
        awaitTrue(() -> pool.waitingCount() == 1, "the request waits");

        pool.setEnabled("b", true);

        assertTrue(done.await(2, TimeUnit.SECONDS));
        assertNotNull(got.get());
        assertEquals("b", got.get().credential().name());
        got.get().release(Outcome.SUCCESS);
        held.release(Outcome.SUCCESS);
        waiter.join(2000);
    }

    @Test
    void anUnknownCredentialNameIsAnError() {
        CredentialPool pool = pool(10, openAi("a", 4));
        assertThrows(IllegalArgumentException.class, () -> pool.setEnabled("nope", false));
    }

    // ---------------------------------------------------------------- release bookkeeping

    @Test
    void releaseIsIdempotent() throws Exception {
        CredentialPool pool = pool(10, openAi("a", 4));
        Lease lease = pool.lease("m", OPENAI, NONE, NO_WAIT);
        assertFalse(lease.released());

        lease.release(Outcome.SUCCESS);
        lease.release(Outcome.SUCCESS);
        lease.release(Outcome.UNAUTHORIZED);

        assertTrue(lease.released());
        assertEquals(1, pool.leasedCount());
        assertEquals(1, pool.releasedCount());
        assertEquals(0, pool.credential("a").inFlight());
        assertTrue(pool.credential("a").coolingRemainingNanos(System.nanoTime()) <= 0,
                "the outcome of a second release is ignored");
        Lease again = pool.lease("m", OPENAI, NONE, NO_WAIT);
        again.release(Outcome.SUCCESS);
        assertEquals(2, pool.leasedCount());
        assertEquals(2, pool.releasedCount());
    }

    @Test
    void leasesAndReleasesBalanceUnderConcurrency() throws Exception {
        int threads = 16;
        int cycles = 200;
        int cap = 3;
        CredentialPool pool = new CredentialPool(
                List.of(openAi("a", cap), openAi("b", cap), openAi("c", cap)), POLICY, threads);
        Map<String, AtomicInteger> inUse = new HashMap<>();
        Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
        for (String name : List.of("a", "b", "c")) {
            inUse.put(name, new AtomicInteger());
            peak.put(name, new AtomicInteger());
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(threads);

        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < cycles; i++) {
                        Lease lease = pool.lease("m", OPENAI, NONE, LONG_WAIT);
                        String name = lease.credential().name();
                        int now = inUse.get(name).incrementAndGet();
                        peak.get(name).accumulateAndGet(now, Math::max);
                        Thread.yield();
                        inUse.get(name).decrementAndGet();
                        lease.release(Outcome.SUCCESS);
                        if (i % 7 == 0) {
                            lease.release(Outcome.SUCCESS); // a duplicate release must not count
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    finished.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        go.countDown();

        assertTrue(finished.await(15, TimeUnit.SECONDS), "the run finished");
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertEquals((long) threads * cycles, pool.leasedCount());
        assertEquals(pool.leasedCount(), pool.releasedCount());
        assertEquals(0, pool.waitingCount());
        for (Credential c : pool.credentials()) {
            assertEquals(0, c.inFlight(), c.name());
            assertTrue(peak.get(c.name()).get() <= cap, c.name() + " peaked at " + peak.get(c.name()));
        }
    }

    @Test
    void aRefreshedCredentialComesBackAtOnceAfter401() throws Exception {
        java.util.concurrent.atomic.AtomicInteger refreshed = new java.util.concurrent.atomic.AtomicInteger();
        CredentialPool pool = new CredentialPool(List.of(openAi("token", 4)), POLICY, 10, c -> {
            refreshed.incrementAndGet();
            return true;
        });
        pool.lease("m", OPENAI, NONE, NO_WAIT).release(Outcome.UNAUTHORIZED);
        assertEquals(1, refreshed.get());
        assertTrue(pool.credential("token").coolingRemainingNanos(System.nanoTime()) <= 0, "not quarantined");
        assertEquals("token", pool.lease("m", OPENAI, NONE, NO_WAIT).credential().name());
    }
}
