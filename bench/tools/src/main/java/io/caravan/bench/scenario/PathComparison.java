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
 * Paths through the gateway measured side by side in the same minutes, each against the direct call in the dialect
 * the gateway sends upstream, and compared with the first of them (the native path): added latency at c=1 and
 * added time to first event over one wave of streams, both against the direct call measured by the comparison
 * itself moments before (so a single-scenario run stands alone); throughput and gateway CPU per request at c=32;
 * events per stream as the caller got them; ratios path ÷ native. Every answering path is warmed (c=32) before any
 * is measured; a path the gateway answers with an error is reported as not available and the others are still
 * measured. The Responses and Gemini scenarios are each one list of paths.
 */
public final class PathComparison {
    /**
     * One way through the gateway: the caller's dialect, the model it names (which decides the credential) and the
     * dialect that credential speaks upstream.
     */
    public record ComparedPath(String key, String label, Dialect caller, String model, Dialect upstream) {
        /** The direct call the path is compared with: the fake upstream, in the dialect the gateway sends it. */
        Route direct(Bench bench) {
            return new Route(bench.direct(), upstream, model);
        }

        Route throughGateway(Endpoint gateway) {
            return new Route(gateway, caller, model);
        }
    }

    /**
     * Chat Completions passed through to the chat credential: measured last in every comparison, for reference, so
     * that each native path can be set beside the same-dialect chat path on the same machine, minutes apart.
     */
    public static final ComparedPath CHAT_SAME_DIALECT = new ComparedPath("chat_same_dialect",
            "chat → chat (same dialect, for reference)", Dialect.OPENAI, Gateway.OPENAI_MODEL, Dialect.OPENAI);

    private final String name;
    private final List<ComparedPath> paths;

    /**
     * @param name  the scenario's name, in its log lines and problems
     * @param paths in report order; the first is the native path the others are compared with
     */
    public PathComparison(String name, List<ComparedPath> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least its native path");
        }
        this.name = name;
        this.paths = List.copyOf(paths);
    }

    public List<ComparedPath> paths() {
        return paths;
    }

    public JsonObject run(Bench bench) throws Exception {
        JsonObject direct = new JsonObject();
        for (ComparedPath path : paths) {
            if (!direct.containsKey(path.upstream().label())) {
                direct.put(path.upstream().label(), baseline(bench, path.direct(bench)));
            }
        }
        JsonObject measured = new JsonObject();
        List<ComparedPath> answering = new ArrayList<>();
        for (ComparedPath path : paths) {
            Http.Answer probe = Http.post(path.throughGateway(bench.gateway().endpoint()), false);
            if (probe.ok() && path.caller().looksLikeAnswer(probe.body())) {
                answering.add(path);
            } else {
                Bench.log(name + " " + path.key() + " not available: " + probe.summary());
                measured.put(path.key(), notAvailable(path, probe.summary()));
            }
        }
        // every path is warmed before any is measured, so that code they share is not compiled during the first
        if (bench.profile().pathWarmup()) {
            for (ComparedPath path : answering) {
                Bench.log(name + " " + path.key() + ": warm-up");
                bench.load().run(path.throughGateway(bench.gateway().endpoint()), Profile.THROUGHPUT_CONNECTIONS,
                        bench.profile().warmupSeconds());
            }
        }
        for (ComparedPath path : answering) {
            measured.put(path.key(), measure(bench, path, direct.getJsonObject(path.upstream().label())));
        }
        return new JsonObject().put("direct", direct).put("paths", inOrderWithRatios(measured));
    }

    /**
     * What keeps a run from counting as having run this comparison: a path the gateway did not answer, or one whose
     * streams all failed. Slow or stalled streams are figures, not failures.
     */
    public List<String> problems(JsonObject result) {
        List<String> problems = new ArrayList<>();
        for (ComparedPath path : paths) {
            JsonObject measured = result.getJsonObject("paths").getJsonObject(path.key());
            if (measured == null || !Boolean.TRUE.equals(measured.getBoolean("available"))) {
                problems.add(name + " " + path.key() + " not available: "
                        + (measured == null ? "not measured" : measured.getString("detail")));
            } else if (measured.getJsonObject("stream").getInteger("completed") == 0) {
                problems.add(name + " " + path.key() + ": no stream completed: "
                        + measured.getJsonObject("stream").getJsonArray("error_samples", new JsonArray()).encode());
            }
        }
        return problems;
    }

    /** The paths in report order, each answering one with its ratios to the native path when that answered too. */
    JsonObject inOrderWithRatios(JsonObject measured) {
        JsonObject nativePath = measured.getJsonObject(paths.get(0).key());
        boolean nativeAnswered = nativePath != null && Boolean.TRUE.equals(nativePath.getBoolean("available"));
        JsonObject inOrder = new JsonObject();
        for (ComparedPath path : paths) {
            JsonObject one = measured.getJsonObject(path.key());
            if (nativeAnswered && Boolean.TRUE.equals(one.getBoolean("available"))) {
                one.put("ratios_to_native", ratios(one, nativePath));
            }
            inOrder.put(path.key(), one);
        }
        return inOrder;
    }

    static JsonObject notAvailable(ComparedPath path, String detail) {
        return new JsonObject().put("label", path.label()).put("available", false).put("detail", detail);
    }

    /** The direct call's latency at c=1 and one wave of streams. */
    private JsonObject baseline(Bench bench, Route route) throws Exception {
        String direct = "direct " + route.dialect().label();
        Bench.log(name + " baseline: " + direct + " latency c=1");
        JsonObject latency = bench.load().run(route, 1, bench.profile().pathLoadSeconds()).toJson();
        Bench.log(name + " baseline: " + direct + " " + bench.profile().translatedStreams() + " streams");
        return new JsonObject().put("latency_c1", latency).put("stream", wave(bench, route));
    }

    private JsonObject measure(Bench bench, ComparedPath path, JsonObject direct) throws Exception {
        Route route = path.throughGateway(bench.gateway().endpoint());
        String what = name + " " + path.key();
        int seconds = bench.profile().pathLoadSeconds();
        Bench.log(what + ": latency c=1");
        JsonObject latency = bench.load().run(route, 1, seconds).toJson();
        Bench.log(what + ": throughput c=" + Profile.THROUGHPUT_CONNECTIONS);
        JsonObject throughput = bench.load().run(route, Profile.THROUGHPUT_CONNECTIONS, seconds).toJson();
        Bench.log(what + ": " + bench.profile().translatedStreams() + " streams");
        JsonObject stream = wave(bench, route);
        JsonObject directStream = direct.getJsonObject("stream");
        return new JsonObject()
                .put("label", path.label())
                .put("available", true)
                .put("caller_dialect", path.caller().label())
                .put("model", path.model())
                .put("upstream_dialect", path.upstream().label())
                .put("latency_c1", latency)
                .put("added_us", Figures.addedLatency(latency, direct.getJsonObject("latency_c1")))
                .put("throughput_c32", throughput)
                .put("stream", stream)
                .put("added_ttfe_ms", Figures.addedTtfe(stream, directStream));
    }

    /** Unrecorded warm-up waves over a pool (not in a quick run), then the measured wave over the same pool. */
    private static JsonObject wave(Bench bench, Route route) throws InterruptedException {
        try (StreamingScenario.Pool pool = new StreamingScenario.Pool(bench)) {
            if (bench.profile().pathWarmup()) {
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
