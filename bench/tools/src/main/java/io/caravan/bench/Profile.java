package io.caravan.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How long and how hard each scenario runs: the full run, or the seconds-long smoke run (--quick). In the quick run
 * the path comparisons (Responses, Gemini) only touch each path: one-second loads and one wave, without warm-ups,
 * and the metering scenario runs one pair (off, on) of tiny loads instead of two. A metering round warms its fresh
 * gateway in slices of meteringWarmupSliceSeconds, for at least warmupSeconds and at most meteringWarmupMaxSeconds,
 * until the JIT compilers settle ({@code MeteringScenario}): a fresh gateway is otherwise still compiling while it
 * is measured.
 */
public record Profile(String name, int warmupSeconds, int latencySeconds, int throughputSeconds,
                      List<Integer> sweep, int warmupStreams, int warmupWaves, int translatedStreams,
                      long streamTimeoutMillis, int pathLoadSeconds, boolean pathWarmup,
                      int settleSeconds, int soakMinutes, int soakSampleSeconds, int soakConnections,
                      int soakStreams, int meteringPairs, int meteringWarmupSliceSeconds,
                      int meteringWarmupMaxSeconds) {

    public static final int THROUGHPUT_CONNECTIONS = 32;
    public static final long STREAM_SPREAD_MILLIS = 500;

    static Profile of(BenchOptions options) {
        if (options.quick()) {
            return new Profile("quick", 1, 2, 2, List.of(8), 4, 1, 8, 10_000, 1, false, 1, 0, 10, 4, 8, 1, 1, 2);
        }
        return new Profile(options.modeName(), 8, 10, 10, List.of(32, 128, 512, 1000, 2000), 128, 2, 128,
                30_000, 10, true, 5, options.soakMinutes(), 10, 8, 128, 2, 3, 30);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("name", name)
                .put("warmup_seconds", warmupSeconds)
                .put("latency_seconds", latencySeconds)
                .put("throughput_seconds", throughputSeconds)
                .put("throughput_connections", THROUGHPUT_CONNECTIONS)
                .put("sweep", new JsonArray(sweep))
                .put("stream_spread_ms", STREAM_SPREAD_MILLIS)
                .put("stream_warmup", warmupWaves + " waves of " + warmupStreams)
                .put("translated_streams", translatedStreams)
                .put("path_load_seconds", pathLoadSeconds)
                .put("path_warmup", pathWarmup)
                .put("soak_minutes", soakMinutes)
                .put("soak_sample_seconds", soakSampleSeconds)
                .put("soak_connections", soakConnections)
                .put("soak_streams", soakStreams)
                .put("metering_rounds", meteringPairs * 2)
                .put("metering_warmup_seconds", "from " + warmupSeconds + " until the JIT settles, at most "
                        + meteringWarmupMaxSeconds);
    }
}
