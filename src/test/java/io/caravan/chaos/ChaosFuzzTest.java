package io.caravan.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.chaos.MalformedRequests.Case;
import io.caravan.chaos.RawExchange.End;
import io.caravan.chaos.RawExchange.Response;
import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.e2e.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed requests over raw sockets ({@link MalformedRequests}, seeded by {@code -Dchaos.seed=N}):
 * none may get a 5xx, every error body must be the caller's dialect's error JSON (a request broken at the HTTP level
 * may instead be refused with a plain 4xx or a closed connection, and its dialect may be unknowable), no answer may
 * reflect the request's headers or show internals, no connection may be left hanging past the listener time-outs,
 * and {@code /healthz} answers throughout.
 */
class ChaosFuzzTest {

    private static final long SEED = Long.getLong("chaos.seed", 20_261_201L);
    private static final int REQUESTS = 3_000;
    private static final int CONCURRENCY = 24;
    private static final Duration BUDGET = Duration.ofSeconds(35);
    private static final int HEADER_TIMEOUT_MS = 1_500;
    private static final int BODY_TIMEOUT_MS = 1_500;
    private static final int IDLE_TIMEOUT_MS = 3_000;
    /** A request that got neither an answer nor a closed connection by then was left hanging. */
    private static final long ANSWER_BOUND_MILLIS = Math.max(IDLE_TIMEOUT_MS, Math.max(HEADER_TIMEOUT_MS, BODY_TIMEOUT_MS))
            + 3_500;
    private static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Pattern> INTERNALS = List.of(Pattern.compile("Exception"), Pattern.compile("\\.java\\b"),
            Pattern.compile("\\bat [\\w$.]+\\("), Pattern.compile("\\b(io\\.caravan|io\\.vertx|io\\.netty|org\\.apache)\\."));

    private record Finding(Case request, String problem, Response response) {
    }

    @Test
    void malformedRequestsNeverGet5xxAndAlwaysGetTheCallersErrorShape() throws Exception {
        try (ChaosUpstream openAi = ChaosUpstream.openAi("openai-fuzz", Fault.HEALTHY, SEED);
                ChaosUpstream anthropic = ChaosUpstream.anthropic("anthropic-fuzz", Fault.HEALTHY, SEED + 1);
                TestGateway gateway = TestGateway.builder()
                        .rawCredential(openAi.credentialYaml("[gpt-chaos]"))
                        .rawCredential(anthropic.credentialYaml("[claude-chaos]"))
                        .set("camel.server.max-body-size", Integer.toString(MAX_BODY))
                        .set("caravan.listener.header-timeout-ms", Integer.toString(HEADER_TIMEOUT_MS))
                        .set("caravan.listener.body-timeout-ms", Integer.toString(BODY_TIMEOUT_MS))
                        .set("caravan.listener.idle-timeout-ms", Integer.toString(IDLE_TIMEOUT_MS))
                        .set("caravan.cooldown.transient-ms", "500")
                        .start()) {
            openAi.watchHeaderValue(MalformedRequests.INJECTED);
            anthropic.watchHeaderValue(MalformedRequests.INJECTED);
            HealthProbe health = new HealthProbe(gateway.port());
            Thread probe = new Thread(health, "chaos-healthz-probe");
            probe.setDaemon(true);
            probe.start();

            MalformedRequests generator = new MalformedRequests(SEED, gateway.port(), "gpt-chaos", "claude-chaos");
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                cases.add(generator.next(i));
            }
            List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            long started = System.nanoTime();
            long stopAt = started + BUDGET.toNanos();
            ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
            for (int t = 0; t < CONCURRENCY; t++) {
                callers.execute(() -> {
                    for (int i = sent.getAndIncrement(); i < cases.size() && System.nanoTime() < stopAt;
                            i = sent.getAndIncrement()) {
                        Case c = cases.get(i);
                        Response response = RawExchange.send(gateway.port(), c.bytes(), ANSWER_BOUND_MILLIS, 1 << 20, false);
                        String outcome = response.status() > 0 ? Integer.toString(response.status())
                                : response.end().name().toLowerCase(Locale.ROOT);
                        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                        String problem = judge(c, response);
                        if (problem != null) {
                            findings.add(new Finding(c, problem, response));
                        }
                    }
                });
            }
            callers.shutdown();
            boolean finished = callers.awaitTermination(BUDGET.toMillis() + ANSWER_BOUND_MILLIS + 10_000,
                    TimeUnit.MILLISECONDS);
            long runMillis = (System.nanoTime() - started) / 1_000_000;
            int done = Math.min(sent.get(), cases.size());

            // Well-formed requests of both dialects still work after all that (no malformed one poisoned a credential).
            Response validOpenAi = RawExchange.send(gateway.port(), ChaosCalls.completion(gateway.port(), Dialects.OPENAI,
                    "gpt-chaos", false, false, "chaos-1"), 10_000, 1 << 20, false);
            Response validAnthropic = RawExchange.send(gateway.port(), ChaosCalls.completion(gateway.port(),
                    Dialects.ANTHROPIC, "claude-chaos", true, false, "chaos-2"), 10_000, 1 << 20, false);
            health.stop();
            probe.join(5_000);
            gateway.awaitLeasesBalanced(Duration.ofSeconds(10));
            long leased = gateway.pool().leasedCount();
            long released = gateway.pool().releasedCount();
            int inFlight = gateway.awaitNothingInFlight(Duration.ofSeconds(10));

            String summary = "CHAOS FUZZ RUN seed=" + SEED + " requests=" + done + " in " + runMillis + " ms (concurrency "
                    + CONCURRENCY + ") outcomes=" + new TreeMap<>(outcomes) + " findings=" + findings.size()
                    + " healthz=" + health.ok.get() + " ok / " + health.failed.get() + " failed";
            System.out.println(summary);

            List<String> violations = new ArrayList<>();
            if (!finished) {
                violations.add("the callers did not finish within the budget");
            }
            if (!findings.isEmpty()) {
                StringBuilder sb = new StringBuilder(findings.size() + " malformed requests were answered wrongly.\n"
                        + "By family and problem, with the first two of each:\n");
                Map<String, List<Finding>> groups = findings.stream()
                        .sorted((a, b) -> Integer.compare(a.request().index(), b.request().index()))
                        .collect(Collectors.groupingBy(f -> f.request().family() + ": " + f.problem(), TreeMap::new,
                                Collectors.toList()));
                groups.forEach((k, group) -> {
                    sb.append("  ").append(group.size()).append(" × ").append(k).append('\n');
                    group.stream().limit(2).forEach(f -> sb.append("      ").append(f.request().describe())
                            .append("\n        got ").append(f.response().describe()).append('\n'));
                });
                violations.add(sb.toString());
            }
            if (health.failed.get() > 0 || health.ok.get() == 0) {
                violations.add("/healthz failed " + health.failed.get() + " times during the run (ok " + health.ok.get()
                        + "); first failure: " + health.firstFailure);
            }
            CallerView.Verdict openAiVerdict = CallerView.judge(Dialects.OPENAI, false, ProviderWire.answerText("chaos-1"),
                    validOpenAi);
            CallerView.Verdict anthropicVerdict = CallerView.judge(Dialects.ANTHROPIC, true,
                    ProviderWire.answerText("chaos-2"), validAnthropic);
            if (openAiVerdict.outcome() != CallerView.Outcome.ANSWERED) {
                violations.add("a valid OpenAI request after the run was not answered: " + validOpenAi.describe());
            }
            if (anthropicVerdict.outcome() != CallerView.Outcome.ANSWERED) {
                violations.add("a valid Anthropic stream request after the run was not answered: "
                        + validAnthropic.describe());
            }
            int leaked = openAi.requestsWithWatchedHeaderValue() + anthropic.requestsWithWatchedHeaderValue();
            int wrongKeys = openAi.wrongKeyRequests() + anthropic.wrongKeyRequests();
            if (leaked > 0 || wrongKeys > 0) {
                violations.add(leaked + " upstream requests carried a value a caller sent in an upstream-* header, and "
                        + wrongKeys + " presented another key than the credential's (callers must never set upstream "
                        + "headers)");
            }
            if (leased != released || inFlight != 0) {
                violations.add("after the run: leased " + leased + ", released " + released + ", in flight " + inFlight);
            }
            assertTrue(violations.isEmpty(), violations.size() + " properties of the fuzz run failed:\n- "
                    + String.join("\n- ", violations) + "\n" + summary);
        }
    }

    /** Null when the answer is acceptable for the request, else what is wrong with it. */
    private static String judge(Case c, Response r) {
        if (r.end() == End.NO_END_IN_TIME) {
            return "no answer, and the connection left open past the listener time-outs";
        }
        String seen = r.bodyText() + " " + r.headers();
        if (seen.contains(c.probe())) {
            return "the answer reflects a request header";
        }
        for (Pattern internal : INTERNALS) {
            if (internal.matcher(r.bodyText()).find()) {
                return "the answer shows internals (" + internal.pattern() + ")";
            }
        }
        if (r.status() == 0) {
            return c.framing() ? null : "a well-framed request got no answer (connection closed)";
        }
        if (r.status() == 501 && r.body().length == 0 && !knownVersion(c.bytes())) {
            // The one 5xx no gateway code can reach: Netty parses "http/1.1", "HTTP/01.1" or the HTTP/2 preface's
            // "HTTP/2.0" as a version Vert.x's HTTP/1.x codec does not know, and Vert.x answers 501 and closes
            // before any handler runs.
            return null;
        }
        if (r.status() >= 500) {
            return "a 5xx";
        }
        if (r.status() >= 400) {
            if (r.end() != End.COMPLETE) {
                return c.framing() ? null : "an error answer cut short";
            }
            boolean head = new String(c.bytes(), 0, Math.min(5, c.bytes().length)).equals("HEAD ");
            if (r.body().length == 0) {
                return c.framing() || head ? null : "a " + r.status() + " without an error body";
            }
            String problem = CallerView.errorShapeProblem(c.dialect(), r.bodyText());
            if (problem != null && c.framing()) {
                // Broken framing may be refused by the HTTP codec before any route knows the caller: a plain 4xx is
                // acceptable there, but a JSON error must still be one of the two dialects' shapes.
                Dialect other = c.dialect() == Dialects.OPENAI ? Dialects.ANTHROPIC : Dialects.OPENAI;
                boolean json = r.bodyText().trim().startsWith("{");
                problem = !json || CallerView.errorShapeProblem(other, r.bodyText()) == null ? null : problem;
            }
            return problem == null ? null : "an error body not in the caller's (" + c.dialect().id() + ") dialect";
        }
        if (r.status() >= 200 && r.status() < 300) {
            if (r.end() == End.COMPLETE && (r.body().length == 0 || looksLikeAnswer(r))) {
                return null;
            }
            return "a " + r.status() + " that is not an answer";
        }
        return "an unexpected status " + r.status();
    }

    /** Whether the request line ends in exactly {@code HTTP/1.0} or {@code HTTP/1.1}. */
    private static boolean knownVersion(byte[] request) {
        String text = new String(request, java.nio.charset.StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        String line = end < 0 ? text : text.substring(0, end);
        return line.endsWith(" HTTP/1.0") || line.endsWith(" HTTP/1.1");
    }

    private static boolean looksLikeAnswer(Response r) {
        String text = r.bodyText();
        if (text.startsWith("event:") || text.startsWith("data:") || text.startsWith(":")) {
            return true;
        }
        try {
            JsonNode json = JSON.readTree(text);
            return json != null && json.isObject();
        } catch (Exception e) {
            return false;
        }
    }

    /** Polls {@code /healthz} every 100 ms on a fresh connection; each must be a 200 within 2 s. */
    private static final class HealthProbe implements Runnable {
        private final int port;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        volatile String firstFailure;

        HealthProbe(int port) {
            this.port = port;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            while (running.get()) {
                Response r = RawExchange.send(port, ChaosCalls.healthz(port), 2_000, 64 * 1024, false);
                if (r.status() == 200 && r.end() == End.COMPLETE) {
                    ok.incrementAndGet();
                } else {
                    if (failed.getAndIncrement() == 0) {
                        firstFailure = r.describe();
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
