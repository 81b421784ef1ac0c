package io.caravan.bench.scenario;

import io.caravan.bench.Bench;
import io.caravan.bench.BenchOptions;
import io.caravan.bench.Profile;
import io.caravan.bench.load.LoadResult;
import io.caravan.bench.proc.ManagedProcess;
import io.caravan.bench.proc.ThreadCpu;
import io.caravan.bench.sse.WaveResult;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Gateway;
import io.caravan.bench.target.GatewaySettings;
import io.caravan.bench.target.Http;
import io.caravan.bench.target.Route;
import io.caravan.bench.target.UsageDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 6 (issue 12): what metering and client limits cost. Gateways started fresh, alternately with metering
 * and limits off and on ({@link GatewaySettings}), off, on, off, on, so that drift of the machine shows as the
 * spread between rounds of one configuration rather than as a difference between them. Each round is measured as
 * the c=32 throughput scenario measures (OpenAI chat, non-stream: req/s, req per gateway CPU-second, latency
 * p50/p99, added over the direct call measured here first) plus one wave of streams (time to first event, added
 * TTFE, gateway CPU per stream), after the same warm-ups as the main gateway gets.
 *
 * <p>Every request a round sends is counted (start-up probes that got an answer, wrk's written requests, streams
 * opened). A metered round is stopped with SIGTERM, as an operator would, which makes the gateway flush what it
 * holds; its database file is then read: the rows must be exactly the requests sent.
 */
public final class MeteringScenario {
    private static final int START_TIMEOUT_SECONDS = 60;
    /** The gateway drains for up to caravan.shutdown.drain-ms (30 s) only with requests in flight; none are. */
    private static final int STOP_TIMEOUT_SECONDS = 60;
    private static final String RATE_LIMIT_HEADER = "x-ratelimit-limit-requests";
    /** The JIT compilers' share of the gateway's CPU in a warm-up slice below which the gateway counts as warm. */
    static final double JIT_SETTLED_SHARE = 0.1;

    private MeteringScenario() {
    }

    public static JsonObject run(Bench bench) throws Exception {
        Route direct = Bench.sameDialect(bench.direct(), Dialect.OPENAI);
        Bench.log("metering: direct baseline c=" + Profile.THROUGHPUT_CONNECTIONS);
        JsonObject directLoad = bench.load().run(direct, Profile.THROUGHPUT_CONNECTIONS,
                bench.profile().throughputSeconds()).toJson();
        Bench.log("metering: direct baseline, " + bench.profile().translatedStreams() + " streams");
        JsonObject directStream = streams(bench, direct, new SentRequests());
        JsonArray rounds = new JsonArray();
        int index = 0;
        for (int pair = 0; pair < bench.profile().meteringPairs(); pair++) {
            for (boolean metered : new boolean[]{false, true}) {
                rounds.add(round(bench, ++index, metered, directLoad, directStream));
            }
        }
        JsonObject summary = MeteringComparison.summarize(rounds);
        logSummary(summary);
        return new JsonObject()
                .put("direct", new JsonObject().put("non_stream", directLoad).put("stream", directStream))
                .put("rounds", rounds)
                .put("summary", summary);
    }

    /**
     * What keeps the scenario from counting as run: a round whose gateway did not start or answer. A count that
     * does not match is a finding, reported with the figures, not a failure to run.
     */
    public static List<String> problems(JsonObject result) {
        List<String> problems = new ArrayList<>();
        for (Object o : result.getJsonArray("rounds")) {
            JsonObject round = (JsonObject) o;
            if (!Boolean.TRUE.equals(round.getBoolean("available"))) {
                problems.add("metering round " + round.getInteger("round") + " (" + round.getString("metering")
                        + ") did not run: " + round.getString("detail"));
            }
        }
        return problems;
    }

    private static JsonObject round(Bench bench, int index, boolean metered, JsonObject directLoad,
                                    JsonObject directStream) throws Exception {
        BenchOptions options = bench.options();
        String name = "metering-" + index + "-" + (metered ? "on" : "off");
        GatewaySettings settings = metered ? GatewaySettings.meteringOn(options.workDir().resolve(name))
                : GatewaySettings.meteringOff(options.workDir().resolve(name));
        JsonObject out = new JsonObject().put("round", index).put("metering", settings.name());
        Bench.log("metering round " + index + ": metering and limits " + settings.name() + ", starting " + name);
        Gateway gateway;
        try {
            gateway = Gateway.start(name, settings, options.repoDir(), options.gatewayJar(),
                    options.gatewayJvmOptions(), options.meteringGatewayPort(), options.upstreamPort(),
                    options.workDir(), options.pidsFile(), START_TIMEOUT_SECONDS);
        } catch (IOException e) {
            Bench.log(name + " did not start: " + e.getMessage());
            return out.put("available", false).put("detail", e.getMessage());
        }
        SentRequests sent = new SentRequests();
        sent.probes(gateway.probesAnswered(), 1);
        out.put("startup_ms", Math.round(gateway.startupMillis()));
        ManagedProcess.Termination stop;
        try {
            measure(bench, gateway, sent, out, directLoad, directStream);
        } catch (IOException | RuntimeException e) {
            // one round that cannot be measured (wrk failed, say) leaves the others standing
            Bench.log(name + " could not be measured: " + e);
            out.put("available", false).put("detail", e.toString());
        } finally {
            stop = gateway.terminate(STOP_TIMEOUT_SECONDS);
        }
        out.put("stop", new JsonObject().put("graceful", stop.graceful()).put("exit_code", stop.exitCode())
                .put("seconds", Figures.round(stop.seconds(), 2)));
        out.put("sent", sent.toJson());
        if (!stop.graceful()) {
            Bench.log(name + " did not end within " + STOP_TIMEOUT_SECONDS + " s of SIGTERM: killed");
        }
        if (settings.metered()) {
            out.put("recorded", recorded(settings, sent, stop, name));
        }
        return out;
    }

    private static void measure(Bench bench, Gateway gateway, SentRequests sent, JsonObject out,
                                JsonObject directLoad, JsonObject directStream) throws Exception {
        Route route = Bench.sameDialect(gateway.endpoint(), Dialect.OPENAI);
        Http.Answer probe = Http.post(route, false);
        sent.probes(probe.answered() ? 1 : 0, probe.ok() ? 1 : 0);
        // the limiter's headers on an answer show the clients file was read and its limits apply
        out.put("rate_limit_header", probe.header(RATE_LIMIT_HEADER));
        if (!probe.ok() || !Dialect.OPENAI.looksLikeAnswer(probe.body())) {
            out.put("available", false).put("detail", "no answer to a chat request: " + probe.summary());
            return;
        }
        Profile profile = bench.profile();
        String name = gateway.endpoint().name();
        out.put("warm_up", warmUp(bench, gateway, route, sent));
        Thread.sleep(1000);
        Bench.log(name + ": throughput c=" + Profile.THROUGHPUT_CONNECTIONS);
        ThreadCpu before = ThreadCpu.snapshot(gateway.pid());
        LoadResult load = bench.load().run(route, Profile.THROUGHPUT_CONNECTIONS, profile.throughputSeconds(), true);
        Map<ThreadCpu.Group, Double> byThread = ThreadCpu.snapshot(gateway.pid()).since(before);
        sent.nonStream(load);
        JsonObject nonStream = load.toJson().put("cpu_by_thread", cpuByThread(byThread, load.wrk().requests()));
        double withoutJit = load.targetCpuSeconds() - byThread.get(ThreadCpu.Group.JIT);
        nonStream.put("requests_per_cpu_second_without_jit",
                withoutJit > 0 ? Figures.round(load.wrk().requests() / withoutJit, 0) : Double.NaN);
        Thread.sleep(1000);
        Bench.log(name + ": streams");
        JsonObject stream = streams(bench, route, sent);
        out.put("available", true)
                .put("non_stream", nonStream)
                .put("added_us", Figures.addedLatency(nonStream, directLoad))
                .put("stream", stream)
                .put("added_ttfe_ms", Figures.addedTtfe(stream, directStream));
        Bench.log(String.format(Locale.ROOT, "%s: %,.0f req/s, %,.0f req per CPU-s, p50 %.0f µs, p99 %.0f µs; "
                        + "streams %d/%d completed, TTFE p99 %.2f ms, %.2f ms CPU per stream", name,
                nonStream.getDouble("requests_per_second"), nonStream.getDouble("requests_per_target_cpu_second"),
                Figures.latency(nonStream, "p50"), Figures.latency(nonStream, "p99"), stream.getInteger("completed"),
                stream.getInteger("streams"), StreamingScenario.ttfe(stream, "p99"),
                stream.getDouble("target_cpu_ms_per_stream")));
    }

    /**
     * wrk c=32 in slices until the JIT compilers settle: at least the profile's warm-up, then until a slice in which
     * they used less than {@value #JIT_SETTLED_SHARE} of the gateway's CPU, at most the profile's maximum. A fresh
     * gateway measured while C2 still compiles pays its compilation in every figure (measured: a third of its CPU
     * after 16 s), and two configurations compile different code.
     */
    private static JsonObject warmUp(Bench bench, Gateway gateway, Route route, SentRequests sent) throws Exception {
        Profile profile = bench.profile();
        int seconds = 0;
        double jitShare = Double.NaN;
        Bench.log(gateway.endpoint().name() + ": warm-up c=" + Profile.THROUGHPUT_CONNECTIONS + " until the JIT "
                + "settles (" + profile.warmupSeconds() + "–" + profile.meteringWarmupMaxSeconds() + " s)");
        while (!warmEnough(seconds, jitShare, profile.warmupSeconds(), profile.meteringWarmupMaxSeconds())) {
            int slice = Math.min(profile.meteringWarmupSliceSeconds(), profile.meteringWarmupMaxSeconds() - seconds);
            ThreadCpu before = ThreadCpu.snapshot(gateway.pid());
            LoadResult load = bench.load().run(route, Profile.THROUGHPUT_CONNECTIONS, slice, true);
            Map<ThreadCpu.Group, Double> byThread = ThreadCpu.snapshot(gateway.pid()).since(before);
            sent.nonStream(load);
            double total = byThread.values().stream().mapToDouble(Double::doubleValue).sum();
            jitShare = total > 0 ? byThread.get(ThreadCpu.Group.JIT) / total : Double.NaN;
            seconds += slice;
        }
        boolean settled = jitShare < JIT_SETTLED_SHARE;
        Bench.log(String.format(Locale.ROOT, "%s: warmed %d s, JIT %.0f%% of the gateway's CPU in the last slice%s",
                gateway.endpoint().name(), seconds, jitShare * 100, settled ? "" : " (not settled)"));
        return new JsonObject().put("seconds", seconds).put("jit_share_last_slice", Figures.round(jitShare, 3))
                .put("settled", settled);
    }

    /** Done warming: past the minimum with the JIT settled, or at the maximum whatever the JIT does. */
    static boolean warmEnough(int seconds, double jitShare, int minSeconds, int maxSeconds) {
        return seconds >= maxSeconds || seconds >= minSeconds && jitShare < JIT_SETTLED_SHARE;
    }

    /**
     * Where the gateway's CPU went during the measured run, per kind of thread: seconds and µs per answered request.
     * The JIT's share shows how far from its steady state a freshly started gateway still was.
     */
    private static JsonObject cpuByThread(Map<ThreadCpu.Group, Double> seconds, long requests) {
        JsonObject out = new JsonObject();
        for (Map.Entry<ThreadCpu.Group, Double> e : seconds.entrySet()) {
            out.put(e.getKey().key(), new JsonObject()
                    .put("label", e.getKey().label())
                    .put("cpu_seconds", Figures.round(e.getValue(), 2))
                    .put("us_per_request",
                            requests == 0 ? Double.NaN : Figures.round(e.getValue() * 1e6 / requests, 1)));
        }
        return out;
    }

    /**
     * Unrecorded warm-up waves, then the measured wave, over one pool (as the stream sweep measures its reference
     * step), every stream counted as a request sent.
     */
    private static JsonObject streams(Bench bench, Route route, SentRequests sent) throws InterruptedException {
        Profile profile = bench.profile();
        try (StreamingScenario.Pool pool = new StreamingScenario.Pool(bench)) {
            for (int i = 0; i < profile.warmupWaves(); i++) {
                sent.streams(bench.sse().wave(pool.client, route, profile.warmupStreams(),
                        Profile.STREAM_SPREAD_MILLIS, profile.streamTimeoutMillis()));
            }
            Thread.sleep(500);
            JsonObject wave = MeasuredWave.run(bench, pool.client, route, profile.translatedStreams());
            sent.streams(wave);
            int streams = wave.getInteger("streams");
            return wave.put("target_cpu_ms_per_stream", streams == 0 ? Double.NaN
                    : Figures.round(wave.getDouble("target_cpu_seconds") * 1000 / streams, 3));
        }
    }

    /** The rows the stopped gateway left in its database, against the requests the round sent. */
    private static JsonObject recorded(GatewaySettings settings, SentRequests sent, ManagedProcess.Termination stop,
                                       String name) throws InterruptedException {
        JsonObject out = new JsonObject();
        try {
            UsageDatabase.Recorded recorded = UsageDatabase.read(settings.database());
            JsonObject byStatus = new JsonObject();
            recorded.byStatus().forEach((status, count) -> byStatus.put(Integer.toString(status), count));
            boolean matches = recorded.total() == sent.total();
            boolean aggregatesMatch = recorded.aggregated() == recorded.total();
            out.put("total", recorded.total()).put("by_status", byStatus)
                    .put("aggregated", recorded.aggregated())
                    .put("answered_without_tokens", recorded.answeredWithoutTokens())
                    .put("matches_sent", matches)
                    .put("aggregates_match", aggregatesMatch);
            if (matches) {
                Bench.log(name + ": recorded " + recorded.total() + " requests, as many as were sent");
            } else {
                Bench.log("FINDING: " + name + " was sent " + sent.total() + " requests (" + sent.answered()
                        + " answered before the loads stopped) but recorded " + recorded.total() + " "
                        + byStatus.encode() + (stop.graceful() ? "" : "; it was killed, not stopped"));
            }
            if (!aggregatesMatch) {
                Bench.log("FINDING: " + name + "'s day aggregates count " + recorded.aggregated()
                        + " requests, its request rows " + recorded.total());
            }
            if (recorded.answeredWithoutTokens() > 0) {
                Bench.log("FINDING: " + name + " recorded " + recorded.answeredWithoutTokens()
                        + " answers (status 200) without tokens, though the fake upstream reports usage in each");
            }
        } catch (IOException e) {
            Bench.log(name + ": could not read what it recorded: " + e.getMessage());
            out.put("error", e.getMessage());
        }
        return out;
    }

    private static void logSummary(JsonObject summary) {
        JsonObject figures = summary.getJsonObject("figures");
        StringBuilder line = new StringBuilder("metering on vs off:");
        for (String key : figures.fieldNames()) {
            JsonObject f = figures.getJsonObject(key);
            if (f.getBoolean("judged")) {
                line.append(String.format(Locale.ROOT, " %s %s%%;", f.getString("label"),
                        f.getValue("difference_percent")));
            }
        }
        Boolean within = summary.getBoolean("within_target");
        line.append(" within ").append(MeteringComparison.TARGET_PERCENT).append("%: ")
                .append(within == null ? "n/a" : within ? "PASS" : "MISS")
                .append(noise(summary));
        Bench.log(line.toString());
    }

    private static String noise(JsonObject summary) {
        double noise = summary.getDouble("noise_percent");
        return Double.isNaN(noise) ? " (one round of each: no measure of the noise)"
                : " (rounds of one configuration spread up to " + noise + "%)";
    }

    /**
     * Every request one round sent its gateway: start-up and availability probes that got an answer, each wrk
     * run's written requests (answered or still in flight when wrk stopped), each stream opened.
     */
    static final class SentRequests {
        private long probes;
        private long probesAnsweredOk;
        private long nonStream;
        private long nonStreamAnswered;
        private long streams;
        private long streamsCompleted;

        void probes(long answered, long ok) {
            probes += answered;
            probesAnsweredOk += ok;
        }

        void nonStream(LoadResult load) {
            if (load.wrk().sent() < 0) {
                throw new IllegalStateException("wrk did not count the requests it sent");
            }
            nonStream += load.wrk().sent();
            nonStreamAnswered += load.wrk().requests();
        }

        void streams(WaveResult wave) {
            streams += wave.streams();
            streamsCompleted += wave.completed();
        }

        void streams(JsonObject wave) {
            streams += wave.getInteger("streams");
            streamsCompleted += wave.getInteger("completed");
        }

        long total() {
            return probes + nonStream + streams;
        }

        /** Of the total, the requests whose whole answer the bench read. */
        long answered() {
            return probesAnsweredOk + nonStreamAnswered + streamsCompleted;
        }

        JsonObject toJson() {
            return new JsonObject()
                    .put("probes", probes)
                    .put("non_stream", nonStream)
                    .put("non_stream_answered", nonStreamAnswered)
                    .put("streams", streams)
                    .put("streams_completed", streamsCompleted)
                    .put("total", total())
                    .put("answered", answered());
        }
    }
}
