package io.caravan.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.clients.Admission.Kind;
import io.caravan.clients.ClientSpec.Origin;
import io.caravan.dialect.TokenCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientLimiterTest {

    /** Two minutes before the end of a month (UTC), so that windows, days and months can be crossed. */
    private static final long T0 = Instant.parse("2026-03-31T23:58:00Z").toEpochMilli();
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;

    private final ClientLimiter limiter = new ClientLimiter();

    private static ClientSpec client(ClientLimits limits) {
        return ClientSpec.withKey("team", "team-key", ModelAllowList.ALL, limits, null, true, Origin.FILE);
    }

    private static ClientLimits rpm(int requests) {
        return new ClientLimits(requests, null, null, null, null);
    }

    private static ClientLimits tpm(long tokens) {
        return new ClientLimits(null, tokens, null, null, null);
    }

    private static ClientLimits concurrent(int requests) {
        return new ClientLimits(null, null, requests, null, null);
    }

    private static ClientLimits budget(long tokens, BudgetPeriod per) {
        return new ClientLimits(null, null, null, tokens, per);
    }

    private static TokenCounts tokens(long input, long output) {
        return new TokenCounts(input, output, 0, 0, 0);
    }

    private Admission admitAndComplete(ClientSpec client, long tokens, long now) {
        Admission admission = limiter.admit(client, now);
        if (admission.granted()) {
            limiter.complete(admission, tokens(tokens, 0), now);
        }
        return admission;
    }

    // ---------------------------------------------------------------- no limits

    @Test
    void aClientWithoutLimitsIsAlwaysAdmittedAndCounted() {
        ClientSpec client = client(ClientLimits.NONE);
        for (int i = 0; i < 1000; i++) {
            Admission admission = limiter.admit(client, T0);
            assertTrue(admission.granted());
            assertEquals(Map.of(), admission.rateLimitHeaders());
            limiter.complete(admission, tokens(3, 2), T0);
        }
        ClientUsageView usage = limiter.usage(client, T0);
        assertEquals(new ClientUsageView(1000, 5000, 1000, 5000, 1000, 5000, null), usage);
    }

    // ---------------------------------------------------------------- each limit

    @Test
    void requestsPerMinuteRefuseUntilTheWindowEnds() {
        ClientSpec client = client(rpm(3));
        for (int i = 0; i < 3; i++) {
            assertTrue(admitAndComplete(client, 0, T0 + i * SECOND).granted());
        }

        Admission refused = limiter.admit(client, T0 + 10 * SECOND);

        assertEquals(Kind.REQUESTS, refused.kind());
        assertEquals(50 * SECOND, refused.retryAfterMillis(), "the window started with the first request");
        assertEquals(50, refused.retryAfterSeconds());
        assertEquals(Kind.REQUESTS, limiter.admit(client, T0 + MINUTE - 1).kind());
        assertTrue(limiter.admit(client, T0 + MINUTE).granted(), "a new window at the first request after the last");
    }

    @Test
    void aWindowStartsAtTheFirstRequestAfterThePreviousOneEnded() {
        ClientSpec client = client(rpm(2));
        admitAndComplete(client, 0, T0);
        admitAndComplete(client, 0, T0 + 5 * SECOND);

        long later = T0 + 90 * SECOND; // the first window ended at T0 + 60 s; nothing came until now
        assertTrue(admitAndComplete(client, 0, later).granted());
        assertTrue(admitAndComplete(client, 0, later + 30 * SECOND).granted());
        Admission refused = limiter.admit(client, later + 59 * SECOND);
        assertEquals(Kind.REQUESTS, refused.kind());
        assertEquals(SECOND, refused.retryAfterMillis(), "the window runs a minute from its first request");
        assertTrue(limiter.admit(client, later + MINUTE).granted());
    }

    @Test
    void refusedRequestsAreNotCounted() {
        ClientSpec client = client(rpm(1));
        admitAndComplete(client, 0, T0);
        for (int i = 0; i < 5; i++) {
            assertFalse(limiter.admit(client, T0 + i).granted());
        }
        assertEquals(1, limiter.usage(client, T0).minuteRequests());
        assertEquals(1, limiter.usage(client, T0).dayRequests());
    }

    @Test
    void tokensPerMinuteRefuseOnceTheWindowHoldsTheLimit() {
        ClientSpec client = client(tpm(100));
        assertTrue(admitAndComplete(client, 60, T0).granted());
        assertTrue(admitAndComplete(client, 39, T0 + SECOND).granted(), "99 tokens: under the limit");
        assertTrue(admitAndComplete(client, 1, T0 + 2 * SECOND).granted(), "the answer that reaches it finishes");

        Admission refused = limiter.admit(client, T0 + 3 * SECOND);

        assertEquals(Kind.TOKENS, refused.kind());
        assertEquals(57 * SECOND, refused.retryAfterMillis());
        assertTrue(limiter.admit(client, T0 + MINUTE).granted());
    }

    @Test
    void tokensCountInputAndOutput() {
        ClientSpec client = client(tpm(10));
        Admission admission = limiter.admit(client, T0);
        limiter.complete(admission, new TokenCounts(6, 4, 5, 1, 2), T0);
        assertEquals(Kind.TOKENS, limiter.admit(client, T0).kind(), "6 input + 4 output; cache and reasoning are parts");
        assertEquals(10, limiter.usage(client, T0).minuteTokens());
    }

    @Test
    void anAnswerCompletingAfterItsWindowEndedOpensTheNextWindowWithItsTokens() {
        ClientSpec client = client(new ClientLimits(10, 100L, null, null, null));
        Admission longStream = limiter.admit(client, T0);

        limiter.complete(longStream, tokens(150, 0), T0 + 90 * SECOND);

        Admission refused = limiter.admit(client, T0 + 100 * SECOND);
        assertEquals(Kind.TOKENS, refused.kind());
        assertEquals(50 * SECOND, refused.retryAfterMillis(), "the window opened when the answer completed");
        assertEquals(0, limiter.usage(client, T0 + 100 * SECOND).minuteRequests());
        assertTrue(limiter.admit(client, T0 + 150 * SECOND).granted());
    }

    @Test
    void maxConcurrentRefusesWhileTheSlotsAreHeldAndCompletingTwiceFreesOne() {
        ClientSpec client = client(concurrent(2));
        Admission first = limiter.admit(client, T0);
        Admission second = limiter.admit(client, T0);
        assertTrue(first.granted() && second.granted());

        Admission refused = limiter.admit(client, T0);
        assertEquals(Kind.CONCURRENCY, refused.kind());
        assertEquals(ClientLimiter.CONCURRENCY_RETRY_MILLIS, refused.retryAfterMillis());
        assertEquals(1, refused.retryAfterSeconds());

        limiter.complete(first, TokenCounts.NONE, T0);
        limiter.complete(first, TokenCounts.NONE, T0);
        limiter.complete(refused, TokenCounts.NONE, T0);
        Admission third = limiter.admit(client, T0);
        assertTrue(third.granted());
        assertEquals(Kind.CONCURRENCY, limiter.admit(client, T0).kind(),
                "a second complete of one admission, or one of a refused admission, frees nothing");
        limiter.complete(second, TokenCounts.NONE, T0);
        assertTrue(limiter.admit(client, T0).granted());
    }

    @Test
    void aCompletedAdmissionAddsItsTokensOnce() {
        ClientSpec client = client(ClientLimits.NONE);
        Admission admission = limiter.admit(client, T0);
        limiter.complete(admission, tokens(10, 0), T0);
        limiter.complete(admission, tokens(10, 0), T0);
        assertEquals(10, limiter.usage(client, T0).dayTokens());
    }

    // ---------------------------------------------------------------- budgets

    @Test
    void aDailyBudgetRefusesUntilTheNextUtcMidnight() {
        ClientSpec client = client(budget(1000, BudgetPeriod.DAY));
        long noon = Instant.parse("2026-03-31T12:00:00Z").toEpochMilli();
        admitAndComplete(client, 999, noon);
        assertTrue(admitAndComplete(client, 1, noon + MINUTE).granted());

        Admission refused = limiter.admit(client, noon + 2 * MINUTE);

        assertEquals(Kind.BUDGET, refused.kind());
        long midnight = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
        assertEquals(midnight - (noon + 2 * MINUTE), refused.retryAfterMillis());
        assertEquals(Kind.BUDGET, limiter.admit(client, midnight - 1).kind());
        assertEquals(0L, limiter.usage(client, midnight - 1).budgetRemaining());
        assertTrue(limiter.admit(client, midnight).granted());
        assertEquals(1000L, limiter.usage(client, midnight).budgetRemaining());
    }

    @Test
    void aMonthlyBudgetSurvivesDaysAndRefusesUntilTheFirstOfTheNextMonth() {
        ClientSpec client = client(budget(1000, BudgetPeriod.MONTH));
        long first = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        admitAndComplete(client, 600, first);
        admitAndComplete(client, 400, first + 10 * BudgetPeriod.DAY_MILLIS);

        Admission refused = limiter.admit(client, T0);

        assertEquals(Kind.BUDGET, refused.kind());
        long april = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
        assertEquals(april - T0, refused.retryAfterMillis());
        ClientUsageView usage = limiter.usage(client, T0);
        assertEquals(0, usage.dayTokens(), "the tokens were spent on other days");
        assertEquals(1000, usage.monthTokens());
        assertEquals(2, usage.monthRequests());
        assertTrue(limiter.admit(client, april).granted());
        assertEquals(0, limiter.usage(client, april).monthTokens());
    }

    @Test
    void theMonthEndsAtTheEndOfItsLastDayInUtcWhateverItsLength() {
        ClientSpec client = client(budget(10, BudgetPeriod.MONTH));
        long february = Instant.parse("2028-02-29T23:59:59.999Z").toEpochMilli(); // a leap year
        admitAndComplete(client, 10, february);
        Admission refused = limiter.admit(client, february);
        assertEquals(Kind.BUDGET, refused.kind());
        assertEquals(1, refused.retryAfterMillis());
        assertTrue(limiter.admit(client, february + 1).granted());
    }

    @Test
    void aRestartKeepsTheSpentBudget() {
        ClientSpec daily = ClientSpec.withKey("daily", "d", ModelAllowList.ALL, budget(1000, BudgetPeriod.DAY), null,
                true, Origin.FILE);
        ClientSpec monthly = ClientSpec.withKey("monthly", "m", ModelAllowList.ALL, budget(5000, BudgetPeriod.MONTH),
                null, true, Origin.FILE);

        limiter.restore("daily", 1000, 7, 3000, 20, T0);
        limiter.restore("monthly", 0, 0, 4990, 40, T0);

        assertEquals(Kind.BUDGET, limiter.admit(daily, T0).kind());
        assertEquals(new ClientUsageView(0, 0, 7, 1000, 20, 3000, 0L), limiter.usage(daily, T0));
        Admission admitted = limiter.admit(monthly, T0);
        assertTrue(admitted.granted(), "10 tokens are left");
        limiter.complete(admitted, tokens(10, 0), T0);
        assertEquals(Kind.BUDGET, limiter.admit(monthly, T0).kind());
        assertEquals(new ClientUsageView(1, 10, 1, 10, 41, 5000, 0L), limiter.usage(monthly, T0));
        assertTrue(limiter.admit(daily, T0 + 2 * MINUTE).granted(), "a new day (and month) started");
    }

    // ---------------------------------------------------------------- precedence

    @Test
    void theBudgetComesFirstThenConcurrencyThenRequestsThenTokens() {
        ClientLimits all = new ClientLimits(1, 10L, 1, 10L, BudgetPeriod.DAY);
        ClientSpec client = client(all);
        Admission held = limiter.admit(client, T0); // holds the one slot and uses the one request
        limiter.restore("team", 10, 0, 10, 0, T0);   // the budget and the window's tokens are spent too
        limiter.complete(limiter.admit(client(ClientLimits.NONE), T0), tokens(10, 0), T0);
        assertEquals(Kind.BUDGET, limiter.admit(client, T0).kind());

        ClientSpec noBudget = client(new ClientLimits(1, 10L, 1, null, null));
        assertEquals(Kind.CONCURRENCY, limiter.admit(noBudget, T0).kind());

        limiter.complete(held, TokenCounts.NONE, T0);
        assertEquals(Kind.REQUESTS, limiter.admit(noBudget, T0).kind());

        ClientSpec tokensOnly = client(new ClientLimits(null, 10L, 1, null, null));
        assertEquals(Kind.TOKENS, limiter.admit(tokensOnly, T0).kind());
    }

    // ---------------------------------------------------------------- headers

    @Test
    void headersShowTheConfiguredPerMinuteLimitsAsOpenAiDoes() {
        ClientSpec client = client(new ClientLimits(3, 1000L, 8, null, null));
        Admission first = limiter.admit(client, T0);
        limiter.complete(first, tokens(100, 50), T0 + 100);

        Admission second = limiter.admit(client, T0 + 500);

        assertEquals(List.of("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
                "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens",
                "x-ratelimit-reset-tokens"), List.copyOf(second.rateLimitHeaders().keySet()));
        assertEquals(Map.of(RateLimitHeaders.LIMIT_REQUESTS, "3", RateLimitHeaders.REMAINING_REQUESTS, "1",
                RateLimitHeaders.RESET_REQUESTS, "59.5s", RateLimitHeaders.LIMIT_TOKENS, "1000",
                RateLimitHeaders.REMAINING_TOKENS, "850", RateLimitHeaders.RESET_TOKENS, "59.5s"),
                second.rateLimitHeaders());
        assertEquals("1m0s", first.rateLimitHeaders().get(RateLimitHeaders.RESET_REQUESTS));
        assertEquals("2", first.rateLimitHeaders().get(RateLimitHeaders.REMAINING_REQUESTS));
    }

    @Test
    void aRefusalCarriesHeadersToo() {
        ClientSpec client = client(rpm(1));
        admitAndComplete(client, 0, T0);
        Admission refused = limiter.admit(client, T0 + 59_980);
        assertEquals(Map.of(RateLimitHeaders.LIMIT_REQUESTS, "1", RateLimitHeaders.REMAINING_REQUESTS, "0",
                RateLimitHeaders.RESET_REQUESTS, "20ms"), refused.rateLimitHeaders());
        assertEquals(1, refused.retryAfterSeconds(), "Retry-After rounds up");
    }

    @Test
    void limitsWithoutAPerMinuteNumberSendNoHeaders() {
        assertEquals(Map.of(), limiter.admit(client(concurrent(3)), T0).rateLimitHeaders());
        assertEquals(Map.of(), limiter.admit(client(budget(5, BudgetPeriod.DAY)), T0).rateLimitHeaders());
    }

    // ---------------------------------------------------------------- usage and state

    @Test
    void usageCountsTheWindowTheDayAndTheMonth() {
        ClientSpec client = client(budget(10_000, BudgetPeriod.MONTH));
        admitAndComplete(client, 100, T0 - 5 * BudgetPeriod.DAY_MILLIS);
        admitAndComplete(client, 200, T0 - 10 * MINUTE);
        admitAndComplete(client, 300, T0);

        assertEquals(new ClientUsageView(1, 300, 2, 500, 3, 600, 9400L), limiter.usage(client, T0));
        assertEquals(new ClientUsageView(0, 0, 2, 500, 3, 600, 9400L), limiter.usage(client, T0 + MINUTE),
                "the window ended");
        assertEquals(new ClientUsageView(0, 0, 0, 0, 0, 0, 10_000L), limiter.usage(client, T0 + 2 * MINUTE),
                "April");
        assertEquals(new ClientUsageView(0, 0, 0, 0, 0, 0, null), limiter.usage(
                ClientSpec.withKey("new", "n", ModelAllowList.ALL, ClientLimits.NONE, null, true, Origin.ADMIN), T0));
    }

    @Test
    void forgettingAClientDropsItsCounts() {
        ClientSpec client = client(rpm(1));
        Admission held = limiter.admit(client, T0);
        assertEquals(1, limiter.trackedClients());

        limiter.forget("team");

        assertEquals(0, limiter.trackedClients());
        assertTrue(limiter.admit(client, T0).granted(), "a client of that name starts afresh");
        limiter.complete(held, tokens(5, 5), T0); // an admission of the forgotten counts completes harmlessly
        assertEquals(0, limiter.usage(client, T0).minuteTokens());
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void racingCallersAreAdmittedExactlyAsOftenAsMaxConcurrentAllows() throws Exception {
        ClientSpec client = client(concurrent(5));
        List<Admission> admissions = race(32, 1, () -> limiter.admit(client, T0), null);
        assertEquals(5, admissions.stream().filter(Admission::granted).count());
        assertTrue(admissions.stream().filter(a -> !a.granted()).allMatch(a -> a.kind() == Kind.CONCURRENCY));
    }

    @Test
    void racingCallersAreAdmittedExactlyAsOftenAsTheLimitsAllow() throws Exception {
        ClientSpec client = client(new ClientLimits(20, null, 5, null, null));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        List<Admission> admissions = race(32, 20, () -> limiter.admit(client, T0), admission -> {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            inFlight.decrementAndGet();
            limiter.complete(admission, tokens(1, 1), T0);
        });

        assertEquals(20, admissions.stream().filter(Admission::granted).count(), "requests-per-minute is 20");
        assertTrue(mostInFlight.get() <= 5, "max-concurrent is 5, seen " + mostInFlight.get());
        assertEquals(new ClientUsageView(20, 40, 20, 40, 20, 40, null), limiter.usage(client, T0));
    }

    /**
     * {@code threads} threads, released together, each call {@code admit} {@code rounds} times and hand every
     * granted admission to {@code granted} (when given).
     */
    private static List<Admission> race(int threads, int rounds, java.util.function.Supplier<Admission> admit,
            java.util.function.Consumer<Admission> granted) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Admission>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Admission> mine = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        Admission admission = admit.get();
                        mine.add(admission);
                        if (admission.granted() && granted != null) {
                            granted.accept(admission);
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Admission> all = new ArrayList<>();
            for (Future<List<Admission>> future : futures) {
                all.addAll(future.get(30, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The benchmark runs on legacy keys, which have no limits: admitting and completing one of their requests
     * allocates the {@link Admission} and nothing else (measured with the JVM's per-thread allocation counter).
     */
    @Test
    void aRequestOfAClientWithoutLimitsAllocatesOnlyItsAdmission() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean,
                "this JVM counts no allocations per thread");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        ClientSpec client = client(ClientLimits.NONE);
        TokenCounts answer = tokens(10, 5);
        for (int i = 0; i < 20_000; i++) {
            limiter.complete(limiter.admit(client, T0 + i), answer, T0 + i);
        }
        int rounds = 100_000;
        long thread = Thread.currentThread().getId();
        long before = counter.getThreadAllocatedBytes(thread);
        for (int i = 0; i < rounds; i++) {
            limiter.complete(limiter.admit(client, T0 + i), answer, T0 + i);
        }
        long perRequest = (counter.getThreadAllocatedBytes(thread) - before) / rounds;

        Admission[] kept = new Admission[1]; // escapes, so that the JIT cannot leave the objects out
        before = counter.getThreadAllocatedBytes(thread);
        for (int i = 0; i < rounds; i++) {
            kept[0] = new Admission(null, "team", Kind.GRANTED, 0, false, false, 0, 0, 0, 0, 0, 0);
        }
        long perAdmission = (counter.getThreadAllocatedBytes(thread) - before) / rounds;
        assertTrue(perAdmission > 0);
        assertTrue(perRequest <= perAdmission, "an Admission takes " + perAdmission + " bytes; a request allocated "
                + perRequest);
        assertEquals(120_000, limiter.usage(client, T0 + 20_000).dayRequests());
    }

    @Test
    void aNoLimitClientsAdmissionIsNotRefusedAndHoldsNoSlot() {
        ClientSpec unlimited = client(ClientLimits.NONE);
        Admission admission = limiter.admit(unlimited, T0);
        assertTrue(admission.granted());
        assertEquals(0, admission.retryAfterSeconds());
        assertNull(limiter.usage(unlimited, T0).budgetRemaining());
        // The same client given a concurrency limit later: the earlier admission held no slot, so completing it
        // frees none.
        ClientSpec limited = client(concurrent(1));
        Admission slot = limiter.admit(limited, T0);
        limiter.complete(admission, TokenCounts.NONE, T0);
        assertTrue(slot.granted());
        assertEquals(Kind.CONCURRENCY, limiter.admit(limited, T0).kind());
    }
}
