package io.caravan.bench.sse;

import io.caravan.bench.stats.Percentiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one wave of concurrent streams did: completions, errors, stalls, time to first event. */
public record WaveResult(int streams, int completed, int errors, int stalled, List<String> errorSamples,
                         double ttfeP50Ms, double ttfeP99Ms, double ttfeMaxMs, double maxGapMs,
                         double durationP50Ms, long events, double wallSeconds) {

    public static final double INTERVAL_MS = 20;
    public static final double STALL_TOLERANCE_MS = 100;

    /** True when every stream completed with no error and no stall. */
    public boolean held() {
        return completed == streams && errors == 0 && stalled == 0;
    }

    static WaveResult of(List<StreamProbe> probes, double wallSeconds) {
        int completed = 0, errors = 0, stalled = 0;
        long events = 0;
        double maxGap = 0;
        Map<String, Integer> samples = new LinkedHashMap<>();
        double[] ttfe = probes.stream().mapToDouble(StreamProbe::firstEventMillis).filter(d -> !Double.isNaN(d))
                .toArray();
        double[] durations = probes.stream().filter(StreamProbe::completed)
                .mapToDouble(StreamProbe::durationMillis).toArray();
        for (StreamProbe probe : probes) {
            events += probe.events();
            maxGap = Math.max(maxGap, probe.maxGapMillis());
            if (probe.completed()) {
                completed++;
            } else {
                errors++;
                String message = probe.error() == null ? "unfinished" : probe.error();
                if (samples.size() < 5 || samples.containsKey(message)) {
                    samples.merge(message, 1, Integer::sum);
                }
            }
            if (probe.stalled(INTERVAL_MS, STALL_TOLERANCE_MS)) {
                stalled++;
            }
        }
        Percentiles t = new Percentiles(ttfe);
        List<String> errorSamples = samples.entrySet().stream().map(e -> e.getValue() + "× " + e.getKey()).toList();
        return new WaveResult(probes.size(), completed, errors, stalled, errorSamples, t.at(50), t.at(99), t.max(),
                maxGap, new Percentiles(durations).at(50), events, wallSeconds);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("streams", streams)
                .put("completed", completed)
                .put("errors", errors)
                .put("stalled_streams", stalled)
                .put("held", held())
                .put("error_samples", new JsonArray(errorSamples))
                .put("ttfe_ms", new JsonObject().put("p50", r(ttfeP50Ms)).put("p99", r(ttfeP99Ms))
                        .put("max", r(ttfeMaxMs)))
                .put("max_gap_ms", r(maxGapMs))
                .put("stream_duration_p50_ms", r(durationP50Ms))
                .put("events", events)
                .put("wall_seconds", r(wallSeconds));
    }

    private static double r(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }
}
