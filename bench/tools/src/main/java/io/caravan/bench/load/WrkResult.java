package io.caravan.bench.load;

import io.vertx.core.json.JsonObject;

/**
 * What one wrk run measured (latencies in microseconds). {@code requests} are the answers wrk read; {@code sent}
 * the requests it wrote, answered or still in flight when the run ended, or -1 when the run did not count them.
 */
public record WrkResult(long requests, long sent, double seconds, long errors, JsonObject errorDetail,
                        double p50Us, double p99Us, double p999Us, double meanUs, double maxUs) {

    public double requestsPerSecond() {
        return seconds > 0 ? requests / seconds : 0;
    }

    static WrkResult fromJson(JsonObject json) {
        JsonObject errors = json.getJsonObject("errors");
        long errorCount = errors.fieldNames().stream().mapToLong(errors::getLong).sum();
        JsonObject latency = json.getJsonObject("latency_us");
        return new WrkResult(json.getLong("requests"), json.getLong("sent", -1L), json.getLong("duration_us") / 1e6,
                errorCount, errors,
                latency.getDouble("p50"), latency.getDouble("p99"), latency.getDouble("p999"),
                latency.getDouble("mean"), latency.getDouble("max"));
    }
}
