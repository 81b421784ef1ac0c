package io.caravan.bench.load;

import io.vertx.core.json.JsonObject;

/** A wrk run plus what it cost the target (CPU seconds, peak RSS) and the fake upstream (CPU seconds). */
public record LoadResult(WrkResult wrk, double targetCpuSeconds, double targetRssMaxMb, double upstreamCpuSeconds) {

    public double requestsPerCpuSecond() {
        return targetCpuSeconds > 0 ? wrk.requests() / targetCpuSeconds : Double.NaN;
    }

    /** Target CPU time per request in microseconds. */
    public double cpuMicrosPerRequest() {
        return wrk.requests() > 0 ? targetCpuSeconds * 1e6 / wrk.requests() : Double.NaN;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("requests", wrk.requests())
                .put("sent", wrk.sent() < 0 ? null : wrk.sent())
                .put("seconds", round(wrk.seconds(), 3))
                .put("requests_per_second", round(wrk.requestsPerSecond(), 1))
                .put("errors", wrk.errors())
                .put("error_detail", wrk.errorDetail())
                .put("latency_us", new JsonObject()
                        .put("p50", wrk.p50Us()).put("p99", wrk.p99Us()).put("p999", wrk.p999Us())
                        .put("mean", wrk.meanUs()).put("max", wrk.maxUs()))
                .put("target_cpu_seconds", round(targetCpuSeconds, 2))
                .put("requests_per_target_cpu_second", round(requestsPerCpuSecond(), 0))
                .put("target_cpu_us_per_request", round(cpuMicrosPerRequest(), 2))
                .put("target_rss_max_mb", round(targetRssMaxMb, 1))
                .put("upstream_cpu_seconds", round(upstreamCpuSeconds, 2));
    }

    static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
