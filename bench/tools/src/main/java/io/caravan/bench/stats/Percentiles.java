package io.caravan.bench.stats;

import java.util.Arrays;

/** Nearest-rank percentiles over a set of samples. */
public final class Percentiles {
    private final double[] sorted;

    public Percentiles(double[] samples) {
        this.sorted = samples.clone();
        Arrays.sort(this.sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** The p-th percentile (0 &lt; p &le; 100), or NaN without samples. */
    public double at(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
