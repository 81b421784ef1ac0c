package io.caravan.bench.scenario;

import io.caravan.bench.Bench;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.vertx.core.json.JsonObject;

/** Scenario 1: non-stream latency at concurrency 1, and what nginx and the gateway add to the direct call. */
public final class LatencyScenario {
    private LatencyScenario() {
    }

    public static JsonObject run(Bench bench) throws Exception {
        JsonObject out = new JsonObject();
        for (Dialect dialect : Dialect.CHAT_AND_MESSAGES) {
            JsonObject byTarget = new JsonObject();
            JsonObject added = new JsonObject();
            for (Endpoint endpoint : bench.endpoints(dialect)) {
                Bench.log("latency c=1 " + dialect.label() + " → " + endpoint.name());
                JsonObject result = bench.load()
                        .run(Bench.sameDialect(endpoint, dialect), 1, bench.profile().latencySeconds()).toJson();
                byTarget.put(endpoint.name(), result);
                if (!endpoint.name().equals("direct")) {
                    added.put(endpoint.name(), Figures.addedLatency(result, byTarget.getJsonObject("direct")));
                }
            }
            out.put(dialect.label(), byTarget.put("added_us", added));
        }
        return out;
    }
}
