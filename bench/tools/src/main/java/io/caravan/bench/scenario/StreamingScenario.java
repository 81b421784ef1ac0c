package io.caravan.bench.scenario;

import io.caravan.bench.Bench;
import io.caravan.bench.Profile;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.caravan.bench.target.Route;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Scenario 3: concurrent 64-chunk streams, starts spread over 500 ms, stepping through the sweep until the first
 * step with an error or a stall; plus the time to first event the gateway adds at the reference step.
 */
public final class StreamingScenario {
    private StreamingScenario() {
    }

    public static JsonObject run(Bench bench) throws Exception {
        JsonObject out = new JsonObject();
        int referenceStep = referenceStep(bench);
        for (Dialect dialect : Dialect.CHAT_AND_MESSAGES) {
            JsonObject byTarget = new JsonObject();
            for (Endpoint endpoint : bench.endpoints(dialect)) {
                byTarget.put(endpoint.name(), sweep(bench, Bench.sameDialect(endpoint, dialect)));
            }
            JsonObject added = new JsonObject();
            JsonObject direct = step(byTarget.getJsonObject("direct"), referenceStep);
            for (String name : byTarget.fieldNames()) {
                JsonObject target = step(byTarget.getJsonObject(name), referenceStep);
                if (!name.equals("direct") && direct != null && target != null) {
                    added.put(name, Figures.addedTtfe(target, direct));
                }
            }
            out.put(dialect.label(), byTarget
                    .put("reference_step", referenceStep)
                    .put("added_ttfe_ms", added));
        }
        return out;
    }

    /**
     * Warms the client itself (JIT) against the fake upstream before anything is measured: a few unrecorded
     * waves as large as the middle of the sweep.
     */
    public static void warmUpClient(Bench bench) throws InterruptedException {
        int streams = bench.profile().sweep().get(bench.profile().sweep().size() / 2);
        Bench.log("SSE client warm-up: 3 waves of " + streams + " streams against the fake upstream");
        try (Pool pool = new Pool(bench)) {
            for (int i = 0; i < 3; i++) {
                for (Dialect dialect : Dialect.CHAT_AND_MESSAGES) {
                    bench.sse().wave(pool.client, Bench.sameDialect(bench.direct(), dialect), streams,
                            Profile.STREAM_SPREAD_MILLIS, bench.profile().streamTimeoutMillis());
                }
            }
        }
    }

    /** The sweep step whose time to first event is reported: the translated-path wave size when swept. */
    public static int referenceStep(Bench bench) {
        return bench.profile().sweep().contains(bench.profile().translatedStreams())
                ? bench.profile().translatedStreams()
                : bench.profile().sweep().get(0);
    }

    private static JsonObject sweep(Bench bench, Route route) throws InterruptedException {
        JsonArray steps = new JsonArray();
        int maxHeld = 0;
        Integer firstFailure = null;
        try (Pool pool = new Pool(bench)) {
            Bench.log("streams warm-up " + route.dialect().label() + " → " + route.endpoint().name());
            MeasuredWave.warmUp(bench, pool.client, route);
            for (int streams : bench.profile().sweep()) {
                Thread.sleep(1000);
                JsonObject wave = MeasuredWave.run(bench, pool.client, route, streams);
                if (!wave.getBoolean("held")) {
                    // the machine is shared: one retry keeps a passing burst of outside load from ending the sweep
                    log(route, streams, wave);
                    Thread.sleep(2000);
                    wave = MeasuredWave.run(bench, pool.client, route, streams).put("retried", true);
                }
                log(route, streams, wave);
                steps.add(wave);
                if (!wave.getBoolean("held")) {
                    firstFailure = streams;
                    break;
                }
                maxHeld = streams;
            }
        }
        return new JsonObject().put("steps", steps).put("max_held", maxHeld).put("first_failure", firstFailure);
    }

    private static void log(Route route, int streams, JsonObject wave) {
        Bench.log("streams " + streams + " " + route.dialect().label() + " → " + route.endpoint().name()
                        + ": completed " + wave.getInteger("completed") + ", errors " + wave.getInteger("errors")
                        + ", stalled " + wave.getInteger("stalled_streams") + ", ttfe p99 "
                + wave.getJsonObject("ttfe_ms").getDouble("p99") + " ms");
    }

    static JsonObject step(JsonObject sweep, int streams) {
        if (sweep == null) {
            return null;
        }
        for (Object o : sweep.getJsonArray("steps")) {
            JsonObject step = (JsonObject) o;
            if (step.getInteger("streams") == streams) {
                return step;
            }
        }
        return null;
    }

    static double ttfe(JsonObject wave, String percentile) {
        return wave.getJsonObject("ttfe_ms").getDouble(percentile);
    }

    /** A connection pool reused across the waves of one sweep, closed after it. */
    static final class Pool implements AutoCloseable {
        final HttpClient client;

        Pool(Bench bench) {
            this.client = bench.sse().newPool();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
