package io.caravan.bench;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.pool.CooldownPolicy;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.CredentialRefresher;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.Lease;
import io.caravan.pool.ModelRule;
import io.caravan.pool.NoCredentialException;
import io.caravan.pool.Outcome;
import io.caravan.pool.SelectionPolicy;
import io.caravan.pool.SelectionStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One lease and its release, as a request takes and returns a credential, from one model's candidates of 10, 100 or
 * 1,000 credentials, per strategy and in three states of the pool:
 * <ul>
 *   <li>{@code ready}: every credential usable;</li>
 *   <li>{@code degraded}: one in ten cooling after a 429 and one in ten at its concurrency cap, spread through the
 *       file;</li>
 *   <li>{@code failover}: the first half of the credentials are tier 1 and all cooling, the second half tier 2.</li>
 * </ul>
 * Weights are 1 to 5 in turn, so that the weighted wheel has several rounds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolSelectionBenchmark {

    private static final String MODEL = "m";
    private static final Set<Dialect> KINDS = Set.of(Dialects.OPENAI);
    private static final Set<Credential> NONE = Set.of();
    private static final CooldownPolicy COOLDOWNS = new CooldownPolicy(
            Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofHours(2), Duration.ofHours(1));
    /** Far above what one benchmark thread holds, except for the credentials set at their cap. */
    private static final int ROOMY = 1_000_000;

    @Param({"10", "100", "1000"})
    public int credentials;

    @Param({"round-robin", "weighted", "fill-first", "least-busy", "priority"})
    public String strategy;

    @Param({"ready", "degraded", "failover"})
    public String state;

    private CredentialPool pool;
    /** The leases that keep the capped credentials at their cap, returned at the end. */
    private final List<Lease> held = new ArrayList<>();

    @Setup
    public void setUp() throws NoCredentialException {
        boolean degraded = state.equals("degraded");
        boolean failover = state.equals("failover");
        List<CredentialSpec> specs = new ArrayList<>();
        for (int i = 0; i < credentials; i++) {
            boolean capped = degraded && i % 10 == 1;
            int tier = failover && i >= credentials / 2 ? 2 : 1;
            specs.add(new CredentialSpec("c" + i, Dialects.OPENAI, "https://upstream.example/v1", "sk-bench-" + i,
                    List.of(ModelRule.exactOrWildcard(MODEL)), capped ? 1 : ROOMY, true, Set.of(Dialects.OPENAI),
                    1 + i % 5, tier));
        }
        pool = new CredentialPool(specs, new SelectionPolicy(SelectionStrategy.fromId(strategy), List.of()), COOLDOWNS,
                0, CredentialRefresher.API_KEYS);
        for (int i = 0; i < credentials; i++) {
            boolean cooling = (degraded && i % 10 == 0) || (failover && i < credentials / 2);
            boolean capped = degraded && i % 10 == 1;
            if (cooling) {
                leaseOnly(i).release(Outcome.rateLimited(Duration.ofHours(1)));
            } else if (capped) {
                held.add(leaseOnly(i));
            }
        }
    }

    /** A lease on credential {@code i}, taken by excluding every other one. */
    private Lease leaseOnly(int i) throws NoCredentialException {
        Set<Credential> others = new HashSet<>(pool.credentials());
        others.remove(pool.credential("c" + i));
        return pool.lease(MODEL, KINDS, others, Duration.ZERO);
    }

    @TearDown
    public void tearDown() {
        held.forEach(lease -> lease.release(Outcome.SUCCESS));
        held.clear();
    }

    @Benchmark
    public Credential leaseAndRelease() throws NoCredentialException {
        Lease lease = pool.lease(MODEL, KINDS, NONE, Duration.ZERO);
        lease.release(Outcome.SUCCESS);
        return lease.credential();
    }
}
