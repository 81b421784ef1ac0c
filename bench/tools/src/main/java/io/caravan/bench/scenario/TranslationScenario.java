package io.caravan.bench.scenario;

import io.caravan.bench.Bench;
import io.caravan.bench.Profile;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Http;
import io.caravan.bench.target.Route;
import io.vertx.core.json.JsonObject;

/**
 * Scenario 4: the translated path (OpenAI request to the Anthropic upstream and the reverse) measured like the
 * same-dialect path, and the cost ratios translated / same-dialect: added latency at c=1, gateway CPU per request
 * at c=32, time to first event. A path the gateway answers with an error is reported as not available.
 */
public final class TranslationScenario {
    private TranslationScenario() {
    }

    public static JsonObject run(Bench bench, JsonObject latency, JsonObject throughput, JsonObject streaming)
            throws Exception {
        JsonObject out = new JsonObject();
        for (Dialect caller : Dialect.CHAT_AND_MESSAGES) {
            Dialect upstream = Bench.other(caller);
            String key = caller.label() + "->" + upstream.label();
            Route route = Bench.translated(bench.gateway().endpoint(), caller);
            Http.Answer probe = Http.post(route, false);
            if (!probe.ok() || !caller.looksLikeAnswer(probe.body())) {
                Bench.log("translated " + key + " not available: " + probe.summary());
                out.put(key, new JsonObject().put("available", false).put("detail", probe.summary()));
                continue;
            }
            out.put(key, measure(bench, route, caller, upstream, latency, throughput, streaming));
        }
        return out;
    }

    private static JsonObject measure(Bench bench, Route route, Dialect caller, Dialect upstream,
                                      JsonObject latency, JsonObject throughput, JsonObject streaming)
            throws Exception {
        String key = caller.label() + "->" + upstream.label();
        Bench.log("translated " + key + ": latency c=1");
        JsonObject lat = bench.load().run(route, 1, bench.profile().latencySeconds()).toJson();
        JsonObject added = Figures.addedLatency(lat, latency.getJsonObject(upstream.label()).getJsonObject("direct"));
        Bench.log("translated " + key + ": throughput c=" + Profile.THROUGHPUT_CONNECTIONS);
        JsonObject thr = bench.load().run(route, Profile.THROUGHPUT_CONNECTIONS,
                bench.profile().throughputSeconds()).toJson();
        Bench.log("translated " + key + ": " + bench.profile().translatedStreams() + " streams");
        JsonObject wave;
        try (StreamingScenario.Pool pool = new StreamingScenario.Pool(bench)) {
            MeasuredWave.warmUp(bench, pool.client, route);
            Thread.sleep(500);
            wave = MeasuredWave.run(bench, pool.client, route, bench.profile().translatedStreams());
        }

        JsonObject result = new JsonObject()
                .put("available", true)
                .put("latency_c1", lat)
                .put("added_us", added)
                .put("throughput_c32", thr)
                .put("stream", wave);
        if (!bench.gatewayServes(caller)) {
            return result.put("ratios", new JsonObject()).put("note", "same-dialect path not available");
        }
        JsonObject sameAdded = latency.getJsonObject(caller.label()).getJsonObject("added_us")
                .getJsonObject("gateway");
        JsonObject sameThroughput = throughput.getJsonObject(caller.label()).getJsonObject("gateway");
        JsonObject sameWave = StreamingScenario.step(streaming.getJsonObject(caller.label())
                .getJsonObject("gateway"), bench.profile().translatedStreams());
        JsonObject ratios = new JsonObject()
                .put("added_latency_p50", Figures.ratio(added.getDouble("p50"), sameAdded.getDouble("p50")))
                .put("added_latency_p99", Figures.ratio(added.getDouble("p99"), sameAdded.getDouble("p99")))
                .put("cpu_per_request", Figures.ratio(thr.getDouble("target_cpu_us_per_request"),
                        sameThroughput.getDouble("target_cpu_us_per_request")))
                .put("throughput_same_to_translated", Figures.ratio(
                        sameThroughput.getDouble("requests_per_second"), thr.getDouble("requests_per_second")));
        if (sameWave != null) {
            ratios.put("ttfe_p50", Figures.ratio(StreamingScenario.ttfe(wave, "p50"),
                    StreamingScenario.ttfe(sameWave, "p50")));
        }
        return result
                .put("same_dialect", new JsonObject()
                        .put("added_us", sameAdded)
                        .put("requests_per_second", sameThroughput.getDouble("requests_per_second"))
                        .put("target_cpu_us_per_request", sameThroughput.getDouble("target_cpu_us_per_request"))
                        .put("stream", sameWave))
                .put("ratios", ratios);
    }
}
