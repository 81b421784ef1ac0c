package io.caravan.bench.proc;

import java.util.List;
import java.util.function.Supplier;

/**
 * Watches a set of processes while a load runs: CPU seconds used between start() and stop(), and the largest
 * RSS seen, sampled every interval on a daemon thread.
 */
public final class ResourceSampler implements AutoCloseable {
    private final Supplier<List<Long>> pids;
    private final long intervalMillis;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxRssKb;
    private final double cpuAtStart;
    private double cpuUsed = Double.NaN;

    private ResourceSampler(Supplier<List<Long>> pids, long intervalMillis) {
        this.pids = pids;
        this.intervalMillis = intervalMillis;
        this.cpuAtStart = ProcStats.sumCpuSeconds(pids.get());
        this.maxRssKb = ProcStats.sumRssKb(pids.get());
        this.thread = new Thread(this::loop, "resource-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public static ResourceSampler start(Supplier<List<Long>> pids, long intervalMillis) {
        return new ResourceSampler(pids, intervalMillis);
    }

    private void loop() {
        while (running) {
            maxRssKb = Math.max(maxRssKb, ProcStats.sumRssKb(pids.get()));
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling and fixes the CPU figure; safe to call twice. */
    public ResourceSampler stop() {
        if (running) {
            running = false;
            thread.interrupt();
            maxRssKb = Math.max(maxRssKb, ProcStats.sumRssKb(pids.get()));
            cpuUsed = ProcStats.sumCpuSeconds(pids.get()) - cpuAtStart;
        }
        return this;
    }

    public double cpuSeconds() {
        return cpuUsed;
    }

    public double maxRssMb() {
        return maxRssKb / 1024.0;
    }

    @Override
    public void close() {
        stop();
    }
}
