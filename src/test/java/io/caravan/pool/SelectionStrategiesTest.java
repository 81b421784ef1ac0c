package io.caravan.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How each selection strategy picks among a model's credentials, and the tiers every strategy honours. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SelectionStrategiesTest {

    private static final Set<Dialect> OPENAI = Set.of(Dialects.OPENAI);
    private static final Set<Credential> NONE = Set.of();
    private static final CooldownPolicy COOLDOWNS = new CooldownPolicy(
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofHours(1));

    /** A credential serving model {@code m}. */
    private static CredentialSpec spec(String name, int maxConcurrent, int weight, int tier) {
        return new CredentialSpec(name, Dialects.OPENAI, "https://upstream.example", "key-" + name,
                List.of(ModelRule.exactOrWildcard("m"), ModelRule.exactOrWildcard("other")), maxConcurrent, true,
                Set.of(Dialects.OPENAI), weight, tier);
    }

    private static CredentialSpec spec(String name) {
        return spec(name, 64, 1, 1);
    }

    private static CredentialPool pool(SelectionStrategy strategy, CredentialSpec... specs) {
        return pool(new SelectionPolicy(strategy, List.of()), specs);
    }

    private static CredentialPool pool(SelectionPolicy policy, CredentialSpec... specs) {
        return new CredentialPool(List.of(specs), policy, COOLDOWNS, 10, CredentialRefresher.API_KEYS);
    }

    private static Lease lease(CredentialPool pool, String model) throws NoCredentialException {
        return pool.lease(model, OPENAI, NONE, Duration.ZERO);
    }

    /** Leases and releases {@code n} times in a row, counting the leases per credential name in the file's order. */
    private static Map<String, Integer> spread(CredentialPool pool, String model, int n) throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Credential c : pool.credentials()) {
            counts.put(c.name(), 0);
        }
        for (int i = 0; i < n; i++) {
            Lease lease = lease(pool, model);
            counts.merge(lease.credential().name(), 1, Integer::sum);
            lease.release(Outcome.SUCCESS);
        }
        return counts;
    }

    private static List<String> names(CredentialPool pool, String model, int n) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Lease lease = lease(pool, model);
            names.add(lease.credential().name());
            lease.release(Outcome.SUCCESS);
        }
        return names;
    }

    private static void rateLimit(CredentialPool pool, String name) throws Exception {
        Lease held = null;
        for (int i = 0; i < 100 && held == null; i++) {
            Lease lease = lease(pool, "m");
            if (lease.credential().name().equals(name)) {
                held = lease;
            } else {
                lease.release(Outcome.SUCCESS);
            }
        }
        assertNotNull(held, name + " was never leased");
        held.release(Outcome.rateLimited(Duration.ofSeconds(30)));
    }

    /** Holds {@code n} leases of the named credential (taken by excluding every other one). */
    private static List<Lease> hold(CredentialPool pool, String name, int n) throws Exception {
        Set<Credential> others = new java.util.HashSet<>(pool.credentials());
        others.remove(pool.credential(name));
        List<Lease> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Lease lease = pool.lease("m", OPENAI, others, Duration.ZERO);
            assertEquals(name, lease.credential().name());
            held.add(lease);
        }
        return held;
    }

    // ---------------------------------------------------------------- round-robin and priority

    @Test
    void roundRobinGivesEveryCredentialTheSameShare() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.ROUND_ROBIN, spec("a"), spec("b"), spec("c"));
        assertEquals(Map.of("a", 100, "b", 100, "c", 100), spread(pool, "m", 300));
    }

    @Test
    void priorityWithoutTiersIsRoundRobin() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.PRIORITY, spec("a"), spec("b"), spec("c"));
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), names(pool, "m", 6));
    }

    // ---------------------------------------------------------------- weighted

    @Test
    void weightedGivesTurnsInProportionToTheWeightsInterleaved() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.WEIGHTED, spec("a", 64, 1, 1), spec("b", 64, 3, 1));
        assertEquals(List.of("b", "a", "b", "b", "b", "a", "b", "b"), names(pool, "m", 8));
        assertEquals(Map.of("a", 100, "b", 300), spread(pool, "m", 400));
    }

    @Test
    void weightedSpreadsACoolingCredentialsShareByTheOthersWeights() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.WEIGHTED, spec("a", 64, 1, 1), spec("b", 64, 2, 1),
                spec("heavy", 64, 6, 1));
        rateLimit(pool, "heavy");
        Map<String, Integer> counts = spread(pool, "m", 300);
        assertEquals(0, counts.get("heavy"));
        assertEquals(100, counts.get("a"));
        assertEquals(200, counts.get("b"));
    }

    @Test
    void weightedStillFindsTheOnlyUsableCredentialBehindAHeavyOnesRun() throws Exception {
        List<CredentialSpec> specs = new ArrayList<>();
        specs.add(spec("heavy", 64, 1000, 1));
        for (int i = 0; i < 3; i++) {
            specs.add(spec("light" + i, 64, 1, 1));
        }
        CredentialPool pool = pool(SelectionStrategy.WEIGHTED, specs.toArray(CredentialSpec[]::new));
        rateLimit(pool, "heavy");
        Lease first = lease(pool, "m");
        Lease second = lease(pool, "m");
        Lease third = lease(pool, "m");
        assertEquals(Set.of("light0", "light1", "light2"), Set.of(first.credential().name(),
                second.credential().name(), third.credential().name()));
    }

    // ---------------------------------------------------------------- fill-first

    @Test
    void fillFirstUsesTheFirstCredentialUntilItIsAtItsCap() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.FILL_FIRST, spec("a", 2, 1, 1), spec("b", 2, 1, 1),
                spec("c", 2, 1, 1));
        assertEquals(Map.of("a", 50, "b", 0, "c", 0), spread(pool, "m", 50));
        Lease a1 = lease(pool, "m");
        Lease a2 = lease(pool, "m");
        Lease b1 = lease(pool, "m");
        assertEquals(List.of("a", "a", "b"), List.of(a1.credential().name(), a2.credential().name(),
                b1.credential().name()));
        a1.release(Outcome.SUCCESS);
        assertEquals("a", lease(pool, "m").credential().name(), "a freed slot of the first is used again at once");
    }

    @Test
    void fillFirstMovesOnWhileTheFirstCools() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.FILL_FIRST, spec("a"), spec("b"), spec("c"));
        rateLimit(pool, "a");
        assertEquals(Map.of("a", 0, "b", 50, "c", 0), spread(pool, "m", 50));
        pool.reset("a");
        assertEquals("a", lease(pool, "m").credential().name());
    }

    // ---------------------------------------------------------------- least-busy

    @Test
    void leastBusyTakesTheCredentialWithTheFewestInFlightForItsCap() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.LEAST_BUSY, spec("a", 10, 1, 1), spec("b", 2, 1, 1));
        hold(pool, "a", 2);
        hold(pool, "b", 1);
        // a: 2 of 10, b: 1 of 2: a is the less busy although it has more in flight.
        assertEquals(Map.of("a", 10, "b", 0), spread(pool, "m", 10));
    }

    @Test
    void leastBusyPassesOverABusyCredentialAndSharesTheIdleOnes() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.LEAST_BUSY, spec("a", 4, 1, 1), spec("b", 4, 1, 1),
                spec("c", 4, 1, 1));
        hold(pool, "a", 3);
        assertEquals(Map.of("a", 0, "b", 45, "c", 45), spread(pool, "m", 90));
    }

    @Test
    void leastBusyInALargeTierNeverPicksABusyCredentialWhileIdleOnesRemain() throws Exception {
        int n = 3 * LeastBusySelector.COMPARE_ALL_UP_TO;
        CredentialSpec[] specs = new CredentialSpec[n];
        for (int i = 0; i < n; i++) {
            specs[i] = spec("c" + i, 4, 1, 1);
        }
        CredentialPool pool = pool(SelectionStrategy.LEAST_BUSY, specs);
        hold(pool, "c5", 1);
        Map<String, Integer> counts = spread(pool, "m", 2000);
        assertEquals(0, counts.get("c5"), "it loses every draw, against any idle credential");
        // Two random draws among the idle ones: each of the 23 gets about 87 of 2,000; 30 is far in the tail.
        for (int i = 0; i < n; i++) {
            if (i != 5) {
                assertTrue(counts.get("c" + i) > 30, counts.toString());
            }
        }
    }

    @Test
    void leastBusyInALargeTierFindsTheLastFreeCredential() throws Exception {
        int n = 3 * LeastBusySelector.COMPARE_ALL_UP_TO;
        CredentialSpec[] specs = new CredentialSpec[n];
        for (int i = 0; i < n; i++) {
            specs[i] = spec("c" + i, 1, 1, 1);
        }
        CredentialPool pool = pool(SelectionStrategy.LEAST_BUSY, specs);
        Set<String> leased = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            leased.add(lease(pool, "m").credential().name());
        }
        assertEquals(n, leased.size(), "every credential got one of its one slot");
        assertNull(pool.leaseIfFree("m", OPENAI, NONE));
    }

    // ---------------------------------------------------------------- tiers

    @ParameterizedTest
    @EnumSource(SelectionStrategy.class)
    void everyStrategyServesFromTheFirstTierWhileItCanAndFromTheNextWhenItCannot(SelectionStrategy strategy)
            throws Exception {
        // The tier-2 credential is first in the file (and the heaviest): only its tier keeps it back.
        CredentialPool pool = pool(strategy, spec("backup", 64, 9, 2), spec("a", 64, 1, 1), spec("b", 64, 1, 1));
        assertEquals(0, spread(pool, "m", 40).get("backup"));
        rateLimit(pool, "a");
        rateLimit(pool, "b");
        assertEquals(Map.of("backup", 20, "a", 0, "b", 0), spread(pool, "m", 20));
        pool.reset("b");
        assertEquals(Map.of("backup", 0, "a", 0, "b", 20), spread(pool, "m", 20), "traffic returns to tier 1");
    }

    @Test
    void aTierFoundOutServesAgainWhenACredentialOfItIsEnabledOrItsCooldownEnds() throws Exception {
        // Once tier 1 is found all cooling or disabled, leases skip it: these are the ways back it must not miss.
        CredentialPool pool = pool(SelectionStrategy.ROUND_ROBIN, spec("a"), spec("backup", 64, 1, 2));
        pool.setEnabled("a", false);
        assertEquals(Map.of("a", 0, "backup", 5), spread(pool, "m", 5));
        pool.setEnabled("a", true);
        assertEquals(Map.of("a", 5, "backup", 0), spread(pool, "m", 5), "enabled: back at once");

        Lease onA = lease(pool, "m");
        onA.release(Outcome.rateLimited(Duration.ofMillis(200)));
        assertEquals(Map.of("a", 0, "backup", 5), spread(pool, "m", 5));
        String served = "backup";
        for (int i = 0; i < 500 && served.equals("backup"); i++) {
            Thread.sleep(10);
            Lease next = lease(pool, "m");
            served = next.credential().name();
            next.release(Outcome.SUCCESS);
        }
        assertEquals("a", served, "its cooldown over, tier 1 serves again");
    }

    @Test
    void aFullFirstTierSpillsOverToTheNextWithoutWaiting() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.PRIORITY, spec("a", 1, 1, 1), spec("backup", 8, 1, 2));
        Lease a = lease(pool, "m");
        assertEquals("a", a.credential().name());
        assertEquals("backup", lease(pool, "m").credential().name());
        a.release(Outcome.SUCCESS);
        assertEquals("a", lease(pool, "m").credential().name());
    }

    @Test
    void aRetryTriesTheRestOfItsTierBeforeTheNextTier() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.ROUND_ROBIN, spec("a", 64, 1, 1), spec("b", 64, 1, 1),
                spec("backup", 64, 1, 2));
        Lease first = lease(pool, "m");
        Set<Credential> tried = new java.util.HashSet<>(Set.of(first.credential()));
        Lease second = pool.lease("m", OPENAI, tried, Duration.ZERO);
        assertEquals(1, second.credential().spec().tier());
        tried.add(second.credential());
        assertEquals("backup", pool.lease("m", OPENAI, tried, Duration.ZERO).credential().name());
    }

    @Test
    void tiersAreNumbersNotPositionsAndGapsDoNotMatter() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.ROUND_ROBIN, spec("t9", 64, 1, 9), spec("t3", 64, 1, 3));
        assertEquals(Map.of("t9", 0, "t3", 10), spread(pool, "m", 10));
    }

    // ---------------------------------------------------------------- groups and reloads

    @Test
    void eachModelIsChosenForByItsGroupsStrategy() throws Exception {
        SelectionPolicy policy = new SelectionPolicy(SelectionStrategy.ROUND_ROBIN, List.of(
                new SelectionPolicy.Group(List.of(ModelRule.exactOrWildcard("m")), SelectionStrategy.FILL_FIRST)));
        CredentialPool pool = pool(policy, spec("a"), spec("b"));
        assertEquals(Map.of("a", 10, "b", 0), spread(pool, "m", 10));
        assertEquals(Map.of("a", 5, "b", 5), spread(pool, "other", 10));
    }

    @Test
    void aReloadThatChangesTheStrategyOrAWeightTakesEffectAtOnce() throws Exception {
        CredentialPool pool = pool(SelectionStrategy.ROUND_ROBIN, spec("a"), spec("b"));
        assertEquals(Map.of("a", 5, "b", 5), spread(pool, "m", 10));
        pool.reload(List.of(spec("a"), spec("b")), new SelectionPolicy(SelectionStrategy.FILL_FIRST, List.of()));
        assertEquals(Map.of("a", 10, "b", 0), spread(pool, "m", 10));
        pool.reload(List.of(spec("a", 64, 1, 1), spec("b", 64, 4, 1)),
                new SelectionPolicy(SelectionStrategy.WEIGHTED, List.of()));
        assertEquals(Map.of("a", 20, "b", 80), spread(pool, "m", 100));
    }

    @Test
    void theAdminStatusShowsWeightAndTier() {
        CredentialPool pool = pool(SelectionStrategy.WEIGHTED, spec("a", 64, 7, 2));
        CredentialStatus status = pool.status("a");
        assertEquals(7, status.weight());
        assertEquals(2, status.tier());
    }
}
