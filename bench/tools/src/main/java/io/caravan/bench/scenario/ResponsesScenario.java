package io.caravan.bench.scenario;

import io.caravan.bench.Bench;
import io.caravan.bench.Profile;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.caravan.bench.target.Gateway;
import io.caravan.bench.target.Http;
import io.caravan.bench.target.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 5: POST /v1/responses through the gateway along its three paths, measured like the translated path:
 * passed through to a credential that serves the Responses API (native), translated to Chat Completions for a
 * chat credential, and translated through Chat Completions to Anthropic Messages; and, for reference, the Chat
 * Completions passthrough. Each path's added latency at
 * c=1 and added time to first event are against the direct call, in the upstream's dialect, measured in this
 * scenario moments before (so a --responses-only run stands alone); throughput and gateway CPU per request at c=32;
 * ratios are path ÷ native.
 */
public final class ResponsesScenario {
    /**
     * The paths, in report order; the first is the one the others are compared with. The last is not a Responses
     * path: Chat Completions passed through, measured here too so that native Responses passthrough can be compared
     * with the same-dialect chat path on the same machine, minutes apart.
     */
    public enum ResponsesPath {
        NATIVE("native", "responses → responses (native)", Dialect.RESPONSES, Gateway.RESPONSES_MODEL,
                Dialect.RESPONSES),
        CHAT("chat", "responses → chat (translated)", Dialect.RESPONSES, Gateway.OPENAI_MODEL, Dialect.OPENAI),
        ANTHROPIC("anthropic", "responses → chat → anthropic (translated twice)", Dialect.RESPONSES,
                Gateway.ANTHROPIC_MODEL, Dialect.ANTHROPIC),
        CHAT_SAME_DIALECT("chat_same_dialect", "chat → chat (same dialect, for reference)", Dialect.OPENAI,
                Gateway.OPENAI_MODEL, Dialect.OPENAI);

        private final String key;
        private final String label;
        private final Dialect caller;
        private final String model;
        private final Dialect upstream;

        ResponsesPath(String key, String label, Dialect caller, String model, Dialect upstream) {
            this.key = key;
            this.label = label;
            this.caller = caller;
            this.model = model;
            this.upstream = upstream;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }

        /** The direct call the path is compared with: the fake upstream, in the dialect the gateway sends it. */
        Route direct(Bench bench) {
            return new Route(bench.direct(), upstream, model);
        }

        Route throughGateway(Endpoint gateway) {
            return new Route(gateway, caller, model);
        }
    }

    private ResponsesScenario() {
    }

    public static JsonObject run(Bench bench) throws Exception {
        JsonObject direct = new JsonObject();
        for (ResponsesPath path : ResponsesPath.values()) {
            if (!direct.containsKey(path.upstream.label())) {
                direct.put(path.upstream.label(), baseline(bench, path.direct(bench)));
            }
        }
        JsonObject paths = new JsonObject();
        List<ResponsesPath> answering = new ArrayList<>();
        for (ResponsesPath path : ResponsesPath.values()) {
            Http.Answer probe = Http.post(path.throughGateway(bench.gateway().endpoint()), false);
            if (probe.ok() && path.caller.looksLikeAnswer(probe.body())) {
                answering.add(path);
            } else {
                Bench.log("responses " + path.key() + " not available: " + probe.summary());
                paths.put(path.key(), new JsonObject().put("label", path.label()).put("available", false)
                        .put("detail", probe.summary()));
            }
        }
        // every path is warmed before any is measured, so that code they share is not compiled during the first
        if (bench.profile().responsesWarmup()) {
            for (ResponsesPath path : answering) {
                Bench.log("responses " + path.key() + ": warm-up");
                bench.load().run(path.throughGateway(bench.gateway().endpoint()), Profile.THROUGHPUT_CONNECTIONS,
                        bench.profile().warmupSeconds());
            }
        }
        for (ResponsesPath path : answering) {
            paths.put(path.key(), measure(bench, path, path.throughGateway(bench.gateway().endpoint()),
                    direct.getJsonObject(path.upstream.label())));
        }
        JsonObject nativePath = paths.getJsonObject(ResponsesPath.NATIVE.key());
        JsonObject inOrder = new JsonObject();
        for (ResponsesPath path : ResponsesPath.values()) {
            JsonObject measured = paths.getJsonObject(path.key());
            if (Boolean.TRUE.equals(measured.getBoolean("available"))
                    && Boolean.TRUE.equals(nativePath.getBoolean("available"))) {
                measured.put("ratios_to_native", ratios(measured, nativePath));
            }
            inOrder.put(path.key(), measured);
        }
        return new JsonObject().put("direct", direct).put("paths", inOrder);
    }

    /**
     * What keeps a run from counting as having run the Responses path: a path the gateway did not answer, or one
     * whose streams all failed. Slow or stalled streams are figures, not failures.
     */
    public static List<String> problems(JsonObject result) {
        List<String> problems = new ArrayList<>();
        for (ResponsesPath path : ResponsesPath.values()) {
            JsonObject measured = result.getJsonObject("paths").getJsonObject(path.key());
            if (!Boolean.TRUE.equals(measured.getBoolean("available"))) {
                problems.add("responses " + path.key() + " not available: " + measured.getString("detail"));
            } else if (measured.getJsonObject("stream").getInteger("completed") == 0) {
                problems.add("responses " + path.key() + ": no stream completed: "
                        + measured.getJsonObject("stream").getJsonArray("error_samples", new JsonArray()).encode());
            }
        }
        return problems;
    }

    /** The direct call's latency at c=1 and one wave of streams. */
    private static JsonObject baseline(Bench bench, Route route) throws Exception {
        String name = "direct " + route.dialect().label();
        Bench.log("responses baseline: " + name + " latency c=1");
        JsonObject latency = bench.load().run(route, 1, bench.profile().responsesLoadSeconds()).toJson();
        Bench.log("responses baseline: " + name + " " + bench.profile().translatedStreams() + " streams");
        return new JsonObject().put("latency_c1", latency).put("stream", wave(bench, route));
    }

    private static JsonObject measure(Bench bench, ResponsesPath path, Route route, JsonObject direct)
            throws Exception {
        String name = "responses " + path.key();
        int seconds = bench.profile().responsesLoadSeconds();
        Bench.log(name + ": latency c=1");
        JsonObject latency = bench.load().run(route, 1, seconds).toJson();
        Bench.log(name + ": throughput c=" + Profile.THROUGHPUT_CONNECTIONS);
        JsonObject throughput = bench.load().run(route, Profile.THROUGHPUT_CONNECTIONS, seconds).toJson();
        Bench.log(name + ": " + bench.profile().translatedStreams() + " streams");
        JsonObject stream = wave(bench, route);
        JsonObject directStream = direct.getJsonObject("stream");
        return new JsonObject()
                .put("label", path.label())
                .put("available", true)
                .put("caller_dialect", path.caller.label())
                .put("model", path.model)
                .put("upstream_dialect", path.upstream.label())
                .put("latency_c1", latency)
                .put("added_us", Figures.addedLatency(latency, direct.getJsonObject("latency_c1")))
                .put("throughput_c32", throughput)
                .put("stream", stream)
                .put("added_ttfe_ms", new JsonObject()
                        .put("p50", Figures.round(StreamingScenario.ttfe(stream, "p50")
                                - StreamingScenario.ttfe(directStream, "p50"), 3))
                        .put("p99", Figures.round(StreamingScenario.ttfe(stream, "p99")
                                - StreamingScenario.ttfe(directStream, "p99"), 3)));
    }

    /** Unrecorded warm-up waves over a pool (not in a quick run), then the measured wave over the same pool. */
    private static JsonObject wave(Bench bench, Route route) throws InterruptedException {
        try (StreamingScenario.Pool pool = new StreamingScenario.Pool(bench)) {
            if (bench.profile().responsesWarmup()) {
                MeasuredWave.warmUp(bench, pool.client, route);
                Thread.sleep(500);
            }
            JsonObject wave = MeasuredWave.run(bench, pool.client, route, bench.profile().translatedStreams());
            int streams = wave.getInteger("streams");
            wave.put("events_per_stream", streams == 0 ? Double.NaN
                    : Figures.round(wave.getLong("events") / (double) streams, 1));
            Bench.log("  " + route.dialect().label() + " → " + route.endpoint().name() + " (" + route.model()
                    + "): completed " + wave.getInteger("completed") + "/" + streams + ", stalled "
                    + wave.getInteger("stalled_streams") + ", ttfe p50 " + StreamingScenario.ttfe(wave, "p50")
                    + " ms, " + wave.getValue("events_per_stream") + " events per stream");
            return wave;
        }
    }

    private static JsonObject ratios(JsonObject path, JsonObject nativePath) {
        return new JsonObject()
                .put("added_latency_p50", Figures.ratio(path.getJsonObject("added_us").getDouble("p50"),
                        nativePath.getJsonObject("added_us").getDouble("p50")))
                .put("cpu_per_request", Figures.ratio(
                        path.getJsonObject("throughput_c32").getDouble("target_cpu_us_per_request"),
                        nativePath.getJsonObject("throughput_c32").getDouble("target_cpu_us_per_request")))
                .put("ttfe_p50", Figures.ratio(StreamingScenario.ttfe(path.getJsonObject("stream"), "p50"),
                        StreamingScenario.ttfe(nativePath.getJsonObject("stream"), "p50")));
    }
}
