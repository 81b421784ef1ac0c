package io.caravan.bench.scenario;

import io.vertx.core.json.JsonObject;

/** Small helpers shared by scenarios for derived figures. */
final class Figures {
    private Figures() {
    }

    static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** a / b rounded, or NaN when either is missing. */
    static double ratio(double a, double b) {
        return b > 0 && !Double.isNaN(a) ? round(a / b, 3) : Double.NaN;
    }

    /** A latency percentile (µs) of a load result JSON. */
    static double latency(JsonObject loadResult, String percentile) {
        return loadResult.getJsonObject("latency_us").getDouble(percentile);
    }

    /** p50 and p99 of a wave's time to first event minus the base wave's, in milliseconds. */
    static JsonObject addedTtfe(JsonObject wave, JsonObject baseWave) {
        return new JsonObject()
                .put("p50", round(StreamingScenario.ttfe(wave, "p50") - StreamingScenario.ttfe(baseWave, "p50"), 3))
                .put("p99", round(StreamingScenario.ttfe(wave, "p99") - StreamingScenario.ttfe(baseWave, "p99"), 3));
    }

    /** p50 and p99 of (target − base), in microseconds. */
    static JsonObject addedLatency(JsonObject target, JsonObject base) {
        return new JsonObject()
                .put("p50", latency(target, "p50") - latency(base, "p50"))
                .put("p99", latency(target, "p99") - latency(base, "p99"));
    }
}
