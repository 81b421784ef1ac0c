package io.caravan.bench.scenario;

import io.caravan.bench.Bench;
import io.caravan.bench.Profile;
import io.caravan.bench.proc.ResourceSampler;
import io.caravan.bench.sse.WaveResult;
import io.caravan.bench.target.Route;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;

/** One wave of streams along a route, with the target's peak RSS and CPU use while it ran. */
final class MeasuredWave {
    private MeasuredWave() {
    }

    /**
     * Unrecorded waves that bring a route to its steady state before it is measured: JIT-compiled paths, and the
     * connection pools on both sides of the target filled to the size of the reference step.
     */
    static void warmUp(Bench bench, HttpClient pool, Route route) throws InterruptedException {
        for (int i = 0; i < bench.profile().warmupWaves(); i++) {
            bench.sse().wave(pool, route, bench.profile().warmupStreams(), Profile.STREAM_SPREAD_MILLIS,
                    bench.profile().streamTimeoutMillis());
        }
    }

    static JsonObject run(Bench bench, HttpClient pool, Route route, int streams) throws InterruptedException {
        WaveResult wave;
        try (ResourceSampler target = ResourceSampler.start(route.endpoint().pids(), 100)) {
            wave = bench.sse().wave(pool, route, streams, Profile.STREAM_SPREAD_MILLIS,
                    bench.profile().streamTimeoutMillis());
            target.stop();
            return wave.toJson()
                    .put("target_rss_max_mb", Figures.round(target.maxRssMb(), 1))
                    .put("target_cpu_seconds", Figures.round(target.cpuSeconds(), 2));
        }
    }
}
