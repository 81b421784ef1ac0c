package io.caravan.bench;

import io.caravan.bench.load.LoadRunner;
import io.caravan.bench.load.Wrk;
import io.caravan.bench.proc.ProcStats;
import io.caravan.bench.report.MachineInfo;
import io.caravan.bench.report.ReportWriter;
import io.caravan.bench.scenario.GeminiScenario;
import io.caravan.bench.scenario.LatencyScenario;
import io.caravan.bench.scenario.MeteringScenario;
import io.caravan.bench.scenario.PathComparison;
import io.caravan.bench.scenario.ResponsesScenario;
import io.caravan.bench.scenario.SoakScenario;
import io.caravan.bench.scenario.StreamingScenario;
import io.caravan.bench.scenario.ThroughputScenario;
import io.caravan.bench.scenario.TranslationScenario;
import io.caravan.bench.sse.SseClient;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.caravan.bench.target.FakeUpstream;
import io.caravan.bench.target.Gateway;
import io.caravan.bench.target.Http;
import io.caravan.bench.target.NginxProxy;
import io.caravan.bench.target.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;

/**
 * The suite: starts the fake upstream, nginx and the gateway, runs the scenarios of issue 4 in order, then issue
 * 12's metering scenario with gateways of its own (the main one stopped first), writes the report. Exit code 0 when
 * everything ran, 1 when the floor (upstream, nginx, tools) could not run, 3 when the gateway or one of its
 * scenarios could not run (the floor figures are still written).
 */
public final class BenchMain {
    private static final int GATEWAY_START_TIMEOUT_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Profile profile = Profile.of(options);
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        JsonObject results = new JsonObject().put("meta", new JsonObject()
                .put("timestamp_utc", stamp)
                .put("mode", profile.name())
                .put("machine", MachineInfo.collect())
                .put("load_average_at_start", MachineInfo.loadAverage())
                .put("profile", profile.toJson()));
        JsonArray failures = new JsonArray();
        results.put("failures", failures);

        for (int port : new int[]{options.upstreamPort(), options.nginxPort(), options.gatewayPort(),
                options.meteringGatewayPort()}) {
            if (!Http.portIsFree(port)) {
                throw new IllegalStateException("port " + port + " is in use: set BENCH_PORT_BASE to another base");
            }
        }
        FakeUpstream upstream = FakeUpstream.start(options.upstreamBinary(), options.upstreamPort(), 2,
                options.workDir(), options.pidsFile());
        NginxProxy nginx = NginxProxy.start(options.nginxBinary(), options.benchDir().resolve("nginx/nginx.conf.template"),
                options.nginxPort(), options.upstreamPort(), options.workDir(), options.pidsFile());
        checkFloor(upstream.endpoint());
        checkFloor(nginx.endpoint());
        Bench.log("fake upstream on " + options.upstreamPort() + ", nginx on " + options.nginxPort());

        // --metering-only starts only the metering scenario's own gateways
        Gateway gateway = options.meteringOnly() ? null : startGateway(options, results, failures);
        int maxStreams = Collections.max(profile.sweep()) + 256;
        LoadRunner load = new LoadRunner(new Wrk(options.benchDir().resolve("wrk/post.lua"), options.workDir(),
                options.pidsFile()), upstream.pid());
        try (SseClient sse = new SseClient(2, maxStreams)) {
            Bench bench = new Bench(options, profile, upstream, nginx, gateway, load, sse);
            StreamingScenario.warmUpClient(bench);
            if (gateway != null) {
                prepareGateway(bench, results);
            }
            // --streams-only / --throughput-only / --responses-only / --gemini-only / --metering-only: one scenario
            // alone, a few minutes, for A/B runs of one change
            boolean all = !options.oneScenario();
            JsonObject latency = all ? step("latency_c1", results, failures, () -> LatencyScenario.run(bench)) : null;
            JsonObject throughput = all || options.throughputOnly()
                    ? step("throughput_c32", results, failures, () -> ThroughputScenario.run(bench)) : null;
            JsonObject streaming = all || options.streamsOnly()
                    ? step("streaming", results, failures, () -> StreamingScenario.run(bench)) : null;
            if (gateway != null && latency != null && throughput != null && streaming != null) {
                step("translation", results, failures,
                        () -> TranslationScenario.run(bench, latency, throughput, streaming));
            }
            if (gateway != null && (all || options.responsesOnly())) {
                compare("responses", ResponsesScenario.PATHS, bench, results, failures);
            }
            if (gateway != null && (all || options.geminiOnly())) {
                compare("gemini", GeminiScenario.PATHS, bench, results, failures);
            }
            if (gateway != null && profile.soakMinutes() > 0 && bench.gatewayServes(Dialect.OPENAI)) {
                step("soak", results, failures, () -> SoakScenario.run(bench));
                Thread.sleep(profile.settleSeconds() * 1000L);
                memory(results).put("idle_after_soak_mb", rssMb(gateway));
            }
            if (gateway != null && !gateway.isAlive()) {
                failures.add("gateway process ended during the run:\n" + gateway.logTail(30));
            }
            if (all || options.meteringOnly()) {
                metering(bench, gateway, results, failures);
            }
        } finally {
            if (gateway != null) {
                gateway.stop();
            }
            nginx.stop();
            upstream.stop();
        }
        results.getJsonObject("meta").put("load_average_at_end", MachineInfo.loadAverage());
        ReportWriter.write(results, options);
        if (!failures.isEmpty()) {
            Bench.log("some parts could not run:");
            failures.forEach(f -> Bench.log("  " + f));
        }
        System.exit(failures.isEmpty() ? 0 : 3);
    }

    /**
     * Issue 12's scenario, with gateways of its own started fresh: the main gateway is stopped first, so that it
     * does not share the cores with them.
     */
    private static void metering(Bench bench, Gateway mainGateway, JsonObject results, JsonArray failures) {
        BenchOptions options = bench.options();
        if (options.gatewayJar() == null) {
            if (options.meteringOnly()) {
                results.put("gateway", new JsonObject().put("available", false)
                        .put("jvm_options", String.join(" ", options.gatewayJvmOptions()))
                        .put("detail", options.gatewayUnavailableReason()));
                failures.add("metering: gateway not available: " + options.gatewayUnavailableReason());
            }
            return;
        }
        if (mainGateway != null) {
            mainGateway.stop();
        } else {
            results.put("gateway", new JsonObject().put("available", true)
                    .put("jvm_options", String.join(" ", options.gatewayJvmOptions())));
        }
        JsonObject metering = step("metering", results, failures, () -> MeteringScenario.run(bench));
        if (metering != null) {
            failures.addAll(new JsonArray(MeteringScenario.problems(metering)));
        }
    }

    /** A path comparison, run as a step: its paths that did not answer or stream are failures too. */
    private static void compare(String name, PathComparison comparison, Bench bench, JsonObject results,
                                JsonArray failures) {
        JsonObject measured = step(name, results, failures, () -> comparison.run(bench));
        if (measured != null) {
            failures.addAll(new JsonArray(comparison.problems(measured)));
        }
    }

    private static void checkFloor(Endpoint endpoint) {
        for (Dialect dialect : Dialect.values()) {
            Http.Answer answer = Http.post(Bench.sameDialect(endpoint, dialect), false);
            if (!answer.ok() || !dialect.looksLikeAnswer(answer.body())) {
                throw new IllegalStateException(endpoint.name() + " " + dialect.label() + ": " + answer.summary());
            }
        }
    }

    private static Gateway startGateway(BenchOptions options, JsonObject results, JsonArray failures) {
        JsonObject status = new JsonObject().put("jvm_options", String.join(" ", options.gatewayJvmOptions()));
        results.put("gateway", status);
        if (options.gatewayJar() == null) {
            status.put("available", false).put("detail", options.gatewayUnavailableReason());
            failures.add("gateway not available: " + options.gatewayUnavailableReason());
            return null;
        }
        try {
            Bench.log("starting the gateway");
            Gateway gateway = Gateway.start(options.repoDir(), options.gatewayJar(), options.gatewayJvmOptions(),
                    options.gatewayPort(), options.upstreamPort(), options.workDir(), options.pidsFile(),
                    GATEWAY_START_TIMEOUT_SECONDS);
            Bench.log("gateway answered its first POST " + Math.round(gateway.startupMillis()) + " ms after launch");
            status.put("available", true);
            results.put("startup", new JsonObject().put("first_answer_ms", Math.round(gateway.startupMillis())));
            return gateway;
        } catch (IOException | InterruptedException e) {
            status.put("available", false).put("detail", e.getMessage());
            failures.add("gateway did not start: " + e.getMessage());
            return null;
        }
    }

    /**
     * Idle RSS, which paths answer, JIT warm-up of each answering path (not in a --responses-only or --gemini-only
     * run, whose scenario warms its own paths), idle RSS again.
     */
    private static void prepareGateway(Bench bench, JsonObject results) throws Exception {
        Gateway gateway = bench.gateway();
        Thread.sleep(bench.profile().settleSeconds() * 1000L);
        memory(results).put("idle_after_start_mb", rssMb(gateway));
        JsonObject paths = new JsonObject();
        for (Dialect caller : Dialect.CHAT_AND_MESSAGES) {
            for (Route route : new Route[]{Bench.sameDialect(gateway.endpoint(), caller),
                    Bench.translated(gateway.endpoint(), caller)}) {
                Http.Answer answer = Http.post(route, false);
                boolean ok = answer.ok() && caller.looksLikeAnswer(answer.body());
                String upstreamDialect = route.model().equals(Gateway.OPENAI_MODEL) ? "openai" : "anthropic";
                paths.put(caller.label() + "->" + upstreamDialect,
                        new JsonObject().put("available", ok).put("detail", answer.summary()));
                if (!ok) {
                    Bench.log("gateway path " + caller.label() + "->" + upstreamDialect + " not available: "
                            + answer.summary());
                    continue;
                }
                if (route.model().equals(Bench.sameDialect(gateway.endpoint(), caller).model())) {
                    bench.markGatewayServes(caller);
                }
                if (!bench.options().comparisonOnly()) {
                    Bench.log("warm-up " + caller.label() + "->" + upstreamDialect);
                    bench.load().run(route, Profile.THROUGHPUT_CONNECTIONS, bench.profile().warmupSeconds());
                }
            }
        }
        results.getJsonObject("gateway").put("paths", paths);
        Thread.sleep(bench.profile().settleSeconds() * 1000L);
        memory(results).put("idle_after_warmup_mb", rssMb(gateway));
    }

    private static JsonObject memory(JsonObject results) {
        if (!results.containsKey("memory")) {
            results.put("memory", new JsonObject());
        }
        return results.getJsonObject("memory");
    }

    private static double rssMb(Gateway gateway) {
        return Math.round(ProcStats.rssKb(gateway.pid()) / 1024.0 * 10) / 10.0;
    }

    /** Runs one scenario; a scenario that throws is recorded as a failure and the suite goes on. */
    private static JsonObject step(String name, JsonObject results, JsonArray failures, Scenario scenario) {
        try {
            JsonObject out = scenario.run();
            results.put(name, out);
            return out;
        } catch (Exception e) {
            Bench.log(name + " failed: " + e);
            failures.add(name + ": " + e);
            return null;
        }
    }

    @FunctionalInterface
    private interface Scenario {
        JsonObject run() throws Exception;
    }
}
