package io.caravan.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.chaos.CallerView.Outcome;
import io.caravan.chaos.CallerView.Verdict;
import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.e2e.TestGateway;
import io.caravan.pool.CredentialPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The gateway booted as users run it, with ten credentials of both kinds of which three fail in every way
 * {@link Fault} knows (two drawing a fault per request, one hanging), under a few thousand concurrent requests of
 * both dialects, streamed and not, same-dialect and translated, some from callers that leave early. Every request
 * must get a correct answer or a clean error in its caller's dialect within the bound, and afterwards the gateway
 * must hold no lease, no request, no memory and no threads it did not hold before.
 *
 * <p>The run is reproducible from {@code -Dchaos.seed=N} as far as the faults and requests go (which credential a
 * request meets depends on timing). Limits are lowered so that each fault crosses them: whole answers over 256 KB,
 * events over 64 KB, no first byte in 2 s.
 */
class ChaosMixedRunTest {

    private static final long SEED = Long.getLong("chaos.seed", 20_261_201L);
    private static final int REQUESTS = 3_000;
    private static final int WARM_UP_REQUESTS = 100;
    private static final int CONCURRENCY = 48;
    private static final Duration RUN_BUDGET = Duration.ofSeconds(60);
    /** The caller's bound: an answer (or error) not complete by then is a lost request. */
    private static final long ANSWER_BOUND_MILLIS = 30_000;
    private static final int CALLER_BODY_CAP = 4 * 1024 * 1024;
    private static final long HEAP_GROWTH_ALLOWED = 64L * 1024 * 1024;
    private static final int THREAD_GROWTH_ALLOWED = 32;
    private static final double IMPATIENT_SHARE = 0.08;
    /** Healthy credentials of one kind serve the same models, so their shares differ by chance only. */
    private static final double MAX_SHARE_RATIO = 1.6;

    private static final String GPT = "gpt-chaos";
    private static final String CLAUDE = "claude-chaos";
    private static final String SHARED = "shared-chaos";

    /** One request of the run: what was asked, and what came of it. */
    private record Call(int index, Dialect dialect, String model, boolean stream, boolean includeUsage,
            long leaveAfterMillis, Verdict verdict, long millis) {

        String nonce() {
            return "chaos-" + index;
        }

        /** Only a credential of the other kind serves the model. */
        boolean translated() {
            return dialect == Dialects.OPENAI ? CLAUDE.equals(model) : GPT.equals(model);
        }

        String describe() {
            return nonce() + " (" + dialect.id() + " caller, " + model + (translated() ? ", translated" : SHARED.equals(model) ? ", either kind" : "")
                    + (stream ? ", stream" + (includeUsage ? " with usage" : "") : ", whole answer")
                    + (leaveAfterMillis > 0 ? ", leaves after " + leaveAfterMillis + " ms" : "") + ")";
        }
    }

    @Test
    void everyRequestIsAnsweredOrRefusedCleanlyAndNothingLeaks() throws Exception {
        List<ChaosUpstream> upstreams = new ArrayList<>();
        try {
            for (int i = 1; i <= 5; i++) {
                upstreams.add(ChaosUpstream.openAi("openai-" + i, i == 5 ? Fault.MIXED : Fault.HEALTHY, SEED + i));
                upstreams.add(ChaosUpstream.anthropic("anthropic-" + i,
                        i == 5 ? Fault.MIXED : i == 4 ? Fault.HANG : Fault.HEALTHY, SEED + 10 + i));
            }
            TestGateway.Builder builder = TestGateway.builder()
                    .set("caravan.limits.max-answer-bytes", Integer.toString(256 * 1024))
                    .set("caravan.limits.max-event-bytes", Integer.toString(64 * 1024))
                    .set("caravan.timeout.stall-ms", "300")
                    .set("caravan.timeout.first-byte-ms", "2000")
                    .set("caravan.timeout.answer-ms", "10000")
                    .set("caravan.timeout.idle-ms", "5000")
                    .set("caravan.timeout.request-ms", "25000")
                    .set("caravan.cooldown.transient-ms", "1000")
                    .set("caravan.cooldown.rate-limit-base-ms", "500")
                    .set("caravan.cooldown.rate-limit-max-ms", "2000");
            for (ChaosUpstream upstream : upstreams) {
                String models = upstream.name().startsWith("openai") ? "[" + GPT + ", " + SHARED + "]"
                        : "[" + CLAUDE + ", " + SHARED + "]";
                builder.rawCredential(upstream.credentialYaml(models));
            }
            try (TestGateway gateway = builder.start()) {
                run(gateway, upstreams);
            }
        } finally {
            upstreams.forEach(ChaosUpstream::close);
        }
    }

    private void run(TestGateway gateway, List<ChaosUpstream> upstreams) throws Exception {
        // The warm-up loads every class and grows the worker pools, so that the baseline is the gateway at work.
        List<Call> warmUp = drive(gateway, 1_000_000, WARM_UP_REQUESTS, Duration.ofSeconds(40));
        awaitQuiet(gateway);
        long heapBefore = ChaosCalls.settledHeapBytes();
        int threadsBefore = ChaosCalls.liveThreads();
        Map<String, Integer> countsBefore = new TreeMap<>();
        upstreams.forEach(u -> countsBefore.put(u.name(), u.requestCount()));

        long started = System.nanoTime();
        List<Call> calls = drive(gateway, 0, REQUESTS, RUN_BUDGET);
        long runMillis = (System.nanoTime() - started) / 1_000_000;

        CredentialPool pool = gateway.pool();
        gateway.awaitLeasesBalanced(Duration.ofSeconds(15));
        long leased = pool.leasedCount();
        long released = pool.releasedCount();
        int inFlight = gateway.awaitNothingInFlight(Duration.ofSeconds(15));
        long heapAfter = ChaosCalls.settledHeapBytes();
        int threadsAfter = awaitThreadsBelow(threadsBefore + THREAD_GROWTH_ALLOWED, Duration.ofSeconds(10));

        String summary = summary(calls, runMillis, upstreams, heapBefore, heapAfter, threadsBefore, threadsAfter);
        System.out.println(summary);

        // Every property is checked and all that fail are reported together: one run shows every defect it met.
        List<String> violations = new ArrayList<>();
        List<Call> failed = new ArrayList<>();
        failed.addAll(warmUp.stream().filter(c -> c.verdict.failed()).toList());
        failed.addAll(calls.stream().filter(c -> c.verdict.failed()).toList());
        if (!failed.isEmpty()) {
            violations.add(failed.size() + " requests were lost or broken (warm-up included).\n"
                    + failures(failed, upstreams));
        }
        long patient = calls.stream().filter(c -> c.leaveAfterMillis == 0).count();
        long answered = calls.stream().filter(c -> c.verdict.outcome() == Outcome.ANSWERED).count();
        if (answered < patient * 0.8) {
            violations.add("with 7 of 10 credentials healthy, at least 80% of the " + patient
                    + " patient callers get an answer; " + answered + " did.");
        }
        if (calls.size() < REQUESTS / 2) {
            violations.add("the run got through only " + calls.size() + " requests in " + RUN_BUDGET.toSeconds() + " s.");
        }
        if (leased != released) {
            violations.add("leases not balanced after the run: leased " + leased + ", released " + released + ".");
        }
        if (inFlight != 0) {
            violations.add(inFlight + " requests still counted in flight after the run.");
        }
        if (heapAfter > heapBefore + HEAP_GROWTH_ALLOWED) {
            violations.add("heap after the run " + mib(heapAfter) + " MiB, before " + mib(heapBefore)
                    + " MiB (allowed +" + mib(HEAP_GROWTH_ALLOWED) + ").");
        }
        if (threadsAfter > threadsBefore + THREAD_GROWTH_ALLOWED) {
            violations.add("live threads after the run " + threadsAfter + ", before " + threadsBefore + " (allowed +"
                    + THREAD_GROWTH_ALLOWED + ").");
        }
        int readFar = upstreams.stream().mapToInt(ChaosUpstream::endlessAnswersReadFar).sum();
        if (readFar > 0) {
            violations.add("the gateway read more than " + mib(ChaosUpstream.ENDLESS_EVIDENCE_BYTES) + " MiB of "
                    + readFar + " endless answers instead of stopping at its own bounds (max-event-bytes 64 KB, "
                    + "max-answer-bytes 256 KB).");
        }
        for (String kind : List.of("openai", "anthropic")) {
            Map<String, Integer> healthy = new TreeMap<>();
            upstreams.stream().filter(u -> u.fault() == Fault.HEALTHY && u.name().startsWith(kind))
                    .forEach(u -> healthy.put(u.name(), u.requestCount() - countsBefore.get(u.name())));
            int least = healthy.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            int most = healthy.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (least == 0 || most > least * MAX_SHARE_RATIO) {
                violations.add("the round-robin is not even over the healthy " + kind + " credentials while others "
                        + "cool down (allowed: at most " + MAX_SHARE_RATIO + " times the least): " + healthy + ".");
            }
        }
        assertTrue(violations.isEmpty(), violations.size() + " properties of the mixed run failed:\n- "
                + String.join("\n- ", violations) + "\n" + summary);
    }

    /** Sends requests {@code first..first+count-1} from {@link #CONCURRENCY} callers, stopping at the budget. */
    private List<Call> drive(TestGateway gateway, int first, int count, Duration budget) throws InterruptedException {
        long stopAt = System.nanoTime() + budget.toNanos();
        AtomicInteger next = new AtomicInteger(first);
        Call[] calls = new Call[count];
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
        for (int t = 0; t < CONCURRENCY; t++) {
            callers.execute(() -> {
                for (int i = next.getAndIncrement(); i < first + count && System.nanoTime() < stopAt;
                        i = next.getAndIncrement()) {
                    calls[i - first] = call(gateway, i);
                }
            });
        }
        callers.shutdown();
        if (!callers.awaitTermination(budget.toMillis() + ANSWER_BOUND_MILLIS + 10_000, TimeUnit.MILLISECONDS)) {
            callers.shutdownNow();
            throw new AssertionError("the callers did not finish within the run budget and the answer bound");
        }
        List<Call> done = new ArrayList<>();
        for (Call c : calls) {
            if (c != null) {
                done.add(c);
            }
        }
        return done;
    }

    private static Call call(TestGateway gateway, int index) {
        Random random = new Random(SEED * 7_919 + index);
        Dialect dialect = random.nextBoolean() ? Dialects.OPENAI : Dialects.ANTHROPIC;
        int pick = random.nextInt(10);
        String model = pick < 3 ? GPT : pick < 6 ? CLAUDE : SHARED;
        boolean stream = random.nextBoolean();
        boolean includeUsage = random.nextBoolean();
        long leaveAfter = random.nextDouble() < IMPATIENT_SHARE ? 50 + random.nextInt(1_500) : 0;
        String nonce = "chaos-" + index;
        byte[] request = ChaosCalls.completion(gateway.port(), dialect, model, stream, includeUsage, nonce);
        RawExchange.Response response = RawExchange.send(gateway.port(), request,
                leaveAfter > 0 ? leaveAfter : ANSWER_BOUND_MILLIS, CALLER_BODY_CAP, leaveAfter > 0);
        Verdict verdict = CallerView.judge(dialect, stream, ProviderWire.answerText(nonce), response);
        return new Call(index, dialect, model, stream, includeUsage, leaveAfter, verdict, response.millis());
    }

    private static void awaitQuiet(TestGateway gateway) throws InterruptedException {
        gateway.awaitLeasesBalanced(Duration.ofSeconds(10));
        gateway.awaitNothingInFlight(Duration.ofSeconds(10));
    }

    private static int awaitThreadsBelow(int bound, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int threads = ChaosCalls.liveThreads();
        while (threads > bound && System.nanoTime() < deadline) {
            Thread.sleep(100);
            threads = ChaosCalls.liveThreads();
        }
        return threads;
    }

    private static String summary(List<Call> calls, long runMillis, List<ChaosUpstream> upstreams, long heapBefore,
            long heapAfter, int threadsBefore, int threadsAfter) {
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        Map<String, Long> httpErrors = new TreeMap<>();
        long maxMillis = 0;
        for (Call c : calls) {
            outcomes.merge(c.verdict.outcome(), 1L, Long::sum);
            if (c.verdict.outcome() == Outcome.HTTP_ERROR) {
                httpErrors.merge(c.verdict.kind(), 1L, Long::sum);
            }
            if (c.leaveAfterMillis == 0) {
                maxMillis = Math.max(maxMillis, c.millis);
            }
        }
        long streams = calls.stream().filter(Call::stream).count();
        long translated = calls.stream().filter(Call::translated).count();
        long shared = calls.stream().filter(c -> SHARED.equals(c.model)).count();
        Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
        for (ChaosUpstream u : upstreams) {
            if (u.fault() != Fault.HEALTHY) {
                u.appliedFaults().forEach((f, n) -> faults.merge(f, n, Integer::sum));
            }
        }
        String perCredential = upstreams.stream().map(u -> u.name() + "=" + u.requestCount())
                .collect(Collectors.joining(" "));
        return "CHAOS MIXED RUN seed=" + SEED + " requests=" + calls.size() + " in " + runMillis + " ms (concurrency "
                + CONCURRENCY + ", " + streams + " streamed, " + translated + " translated, " + shared + " for a model of both kinds)"
                + " answered=" + outcomes.getOrDefault(Outcome.ANSWERED, 0L)
                + " http-errors=" + outcomes.getOrDefault(Outcome.HTTP_ERROR, 0L) + httpErrors
                + " in-band-errors=" + outcomes.getOrDefault(Outcome.IN_BAND_ERROR, 0L)
                + " impatient-left=" + outcomes.getOrDefault(Outcome.LEFT_EARLY, 0L)
                + " lost=" + outcomes.getOrDefault(Outcome.LOST, 0L)
                + " broken=" + outcomes.getOrDefault(Outcome.BROKEN, 0L)
                + " max-latency=" + maxMillis + " ms"
                + " endless-read-past-16MiB=" + upstreams.stream().mapToInt(ChaosUpstream::endlessAnswersReadFar).sum()
                + " heap=" + mib(heapBefore) + "->" + mib(heapAfter) + " MiB threads=" + threadsBefore + "->" + threadsAfter
                + "\n  faults applied: " + faults + "\n  upstream requests: " + perCredential;
    }

    private static String failures(List<Call> failed, List<ChaosUpstream> upstreams) {
        Map<String, Long> byKind = failed.stream().collect(Collectors.groupingBy(
                c -> c.verdict.outcome() + ": " + c.verdict.kind(), TreeMap::new, Collectors.counting()));
        StringBuilder sb = new StringBuilder("By kind:\n");
        byKind.forEach((kind, n) -> sb.append("  ").append(n).append(" × ").append(kind).append('\n'));
        sb.append("First ones:\n");
        for (Call c : failed.subList(0, Math.min(15, failed.size()))) {
            sb.append("  ").append(c.describe()).append("\n    upstreams did: ").append(served(c.nonce(), upstreams))
                    .append("\n    caller got: ").append(c.verdict.outcome()).append(": ").append(c.verdict.kind())
                    .append(" — ").append(c.verdict.detail())
                    .append('\n');
        }
        return sb.toString();
    }

    private static String served(String nonce, List<ChaosUpstream> upstreams) {
        List<String> seen = new ArrayList<>();
        for (ChaosUpstream u : upstreams) {
            for (String what : u.servedFor(nonce)) {
                seen.add(u.name() + ":" + what);
            }
        }
        return seen.isEmpty() ? "(no upstream saw it)" : String.join(", ", seen);
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
