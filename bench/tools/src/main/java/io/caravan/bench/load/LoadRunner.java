package io.caravan.bench.load;

import io.caravan.bench.proc.ResourceSampler;
import io.caravan.bench.target.Route;
import java.io.IOException;
import java.util.List;

/** Runs wrk along a route while watching the target's and the fake upstream's processes. */
public final class LoadRunner {
    private final Wrk wrk;
    private final long upstreamPid;

    public LoadRunner(Wrk wrk, long upstreamPid) {
        this.wrk = wrk;
        this.upstreamPid = upstreamPid;
    }

    public LoadResult run(Route route, int connections, int seconds) throws IOException, InterruptedException {
        return run(route, connections, seconds, false);
    }

    /** As {@link #run(Route, int, int)}, and wrk counts the requests it writes ({@link WrkResult#sent()}). */
    public LoadResult run(Route route, int connections, int seconds, boolean countSent)
            throws IOException, InterruptedException {
        boolean targetIsUpstream = route.endpoint().pids().get().equals(List.of(upstreamPid));
        try (ResourceSampler target = ResourceSampler.start(route.endpoint().pids(), 200);
             ResourceSampler upstream = ResourceSampler.start(() -> List.of(upstreamPid), 1000)) {
            WrkResult result = wrk.run(route, connections, seconds, countSent);
            target.stop();
            upstream.stop();
            return new LoadResult(result, target.cpuSeconds(), target.maxRssMb(),
                    targetIsUpstream ? target.cpuSeconds() : upstream.cpuSeconds());
        }
    }
}
