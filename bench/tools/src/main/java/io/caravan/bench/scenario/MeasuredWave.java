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
