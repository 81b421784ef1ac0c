package io.caravan.bench.stats;

import java.util.List;

/** Least-squares slope of y over x. */
public final class LinearFit {
    private LinearFit() {
    }

    /** Slope of the points (x[i], y[i]); NaN with fewer than two distinct x. */
    public static double slope(List<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return Double.NaN;
        }
        double sx = 0, sy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
        }
        double mx = sx / n, my = sy / n, num = 0, den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? Double.NaN : num / den;
    }
}
