package io.caravan.bench.scenario;

import io.caravan.bench.Bench;
import io.caravan.bench.load.LoadResult;
import io.caravan.bench.proc.ProcStats;
import io.caravan.bench.stats.LinearFit;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 5 (the soak): mixed load on the gateway for N minutes (wrk non-stream plus waves of streams in both
 * dialects) while its RSS is sampled every few seconds; reports start, max, end and the slope, whole and over
 * the second half, where a plateau shows as a slope near zero.
 */
public final class SoakScenario {
    /** Growth over the second half at or under this rate counts as flat. */
    public static final double FLAT_MB_PER_MINUTE = 1.0;

    private SoakScenario() {
    }

    public static JsonObject run(Bench bench) throws Exception {
        int minutes = bench.profile().soakMinutes();
        long seconds = minutes * 60L;
        long pid = bench.gateway().pid();
        Bench.log("soak: " + minutes + " min of mixed load on the gateway");
        Route nonStream = Bench.sameDialect(bench.gateway().endpoint(), Dialect.OPENAI);
        CompletableFuture<LoadResult> wrk = CompletableFuture.supplyAsync(() -> {
            try {
                return bench.load().run(nonStream, bench.profile().soakConnections(), (int) seconds);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<double[]> samples = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        long nextSample = start;
        int waves = 0, heldWaves = 0;
        try (StreamingScenario.Pool pool = new StreamingScenario.Pool(bench)) {
            while (System.nanoTime() < deadline) {
                if (System.nanoTime() >= nextSample) {
                    samples.add(new double[]{(System.nanoTime() - start) / 60e9, ProcStats.rssKb(pid) / 1024.0});
                    nextSample += bench.profile().soakSampleSeconds() * 1_000_000_000L;
                }
                if (deadline - System.nanoTime() > 5_000_000_000L) {
                    Dialect dialect = Dialect.CHAT_AND_MESSAGES.get(waves % 2);
                    Route route = Bench.sameDialect(bench.gateway().endpoint(), dialect);
                    JsonObject wave = MeasuredWave.run(bench, pool.client, route, bench.profile().soakStreams());
                    waves++;
                    heldWaves += wave.getBoolean("held") ? 1 : 0;
                } else {
                    Thread.sleep(200);
                }
            }
        }
        samples.add(new double[]{(System.nanoTime() - start) / 60e9, ProcStats.rssKb(pid) / 1024.0});
        LoadResult nonStreamLoad = wrk.get(seconds + 60, TimeUnit.SECONDS);
        return summarize(samples)
                .put("minutes", minutes)
                .put("stream_waves", waves)
                .put("stream_waves_held", heldWaves)
                .put("non_stream", nonStreamLoad.toJson());
    }

    static JsonObject summarize(List<double[]> samples) {
        JsonArray raw = new JsonArray();
        double max = 0;
        for (double[] s : samples) {
            raw.add(new JsonArray().add(Figures.round(s[0], 3)).add(Figures.round(s[1], 1)));
            max = Math.max(max, s[1]);
        }
        List<double[]> secondHalf = samples.subList(samples.size() / 2, samples.size());
        double slopeAll = LinearFit.slope(samples);
        double slopeSecondHalf = LinearFit.slope(secondHalf);
        return new JsonObject()
                .put("rss_start_mb", Figures.round(samples.get(0)[1], 1))
                .put("rss_max_mb", Figures.round(max, 1))
                .put("rss_end_mb", Figures.round(samples.get(samples.size() - 1)[1], 1))
                .put("slope_mb_per_min", Figures.round(slopeAll, 3))
                .put("slope_second_half_mb_per_min", Figures.round(slopeSecondHalf, 3))
                .put("flat", !Double.isNaN(slopeSecondHalf) && slopeSecondHalf <= FLAT_MB_PER_MINUTE)
                .put("samples_min_mb", raw);
    }
}
