package io.caravan.bench.scenario;

import io.caravan.bench.Bench;
import io.caravan.bench.Profile;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Endpoint;
import io.vertx.core.json.JsonObject;

/** Scenario 2: non-stream throughput at concurrency 32, with ratios to direct and to nginx. */
public final class ThroughputScenario {
    private ThroughputScenario() {
    }

    public static JsonObject run(Bench bench) throws Exception {
        JsonObject out = new JsonObject();
        for (Dialect dialect : Dialect.CHAT_AND_MESSAGES) {
            JsonObject byTarget = new JsonObject();
            for (Endpoint endpoint : bench.endpoints(dialect)) {
                Bench.log("throughput c=" + Profile.THROUGHPUT_CONNECTIONS + " " + dialect.label() + " → "
                        + endpoint.name());
                byTarget.put(endpoint.name(), bench.load().run(Bench.sameDialect(endpoint, dialect),
                        Profile.THROUGHPUT_CONNECTIONS, bench.profile().throughputSeconds()).toJson());
            }
            double direct = rps(byTarget, "direct");
            double nginx = rps(byTarget, "nginx");
            JsonObject ratios = new JsonObject().put("nginx_to_direct", Figures.ratio(nginx, direct));
            if (byTarget.containsKey("gateway")) {
                double gateway = rps(byTarget, "gateway");
                ratios.put("gateway_to_direct", Figures.ratio(gateway, direct))
                        .put("gateway_to_nginx", Figures.ratio(gateway, nginx));
            }
            out.put(dialect.label(), byTarget.put("ratios", ratios));
        }
        return out;
    }

    private static double rps(JsonObject byTarget, String name) {
        return byTarget.getJsonObject(name).getDouble("requests_per_second");
    }
}
