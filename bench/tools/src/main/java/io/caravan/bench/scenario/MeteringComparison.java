package io.caravan.bench.scenario;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The metering scenario's verdict from its rounds: each figure's mean with metering and limits off and on, the
 * difference in percent, and how far rounds of one configuration spread among themselves (the run's noise).
 * Issue 12's target: on is within {@value #TARGET_PERCENT} % of off for the judged figures (non-stream
 * throughput, gateway CPU per request and added latency p50); the others are reported.
 */
public final class MeteringComparison {
    public static final double TARGET_PERCENT = 5;

    /** One compared figure: where it is in a round's JSON, and which way is better. */
    enum Figure {
        REQUESTS_PER_SECOND("requests_per_second", "req/s (c=32)", true, true,
                r -> num(r, "non_stream", "requests_per_second")),
        REQUESTS_PER_CPU_SECOND("requests_per_cpu_second", "req per gateway CPU-s (c=32)", true, true,
                r -> num(r, "non_stream", "requests_per_target_cpu_second")),
        REQUESTS_PER_CPU_SECOND_WITHOUT_JIT("requests_per_cpu_second_without_jit",
                "req per gateway CPU-s leaving out the JIT (c=32)", true, false,
                r -> num(r, "non_stream", "requests_per_cpu_second_without_jit")),
        ADDED_P50_US("added_p50_us", "added latency p50 (c=32)", false, true, r -> num(r, "added_us", "p50")),
        ADDED_P99_US("added_p99_us", "added latency p99 (c=32)", false, false, r -> num(r, "added_us", "p99")),
        LATENCY_P50_US("latency_p50_us", "latency p50 (c=32)", false, false,
                r -> num(r, "non_stream", "latency_us", "p50")),
        LATENCY_P99_US("latency_p99_us", "latency p99 (c=32)", false, false,
                r -> num(r, "non_stream", "latency_us", "p99")),
        STREAM_CPU_MS("stream_cpu_ms_per_stream", "gateway CPU per stream", false, false,
                r -> num(r, "stream", "target_cpu_ms_per_stream")),
        STREAM_ADDED_TTFE_P50_MS("stream_added_ttfe_p50_ms", "added TTFE p50", false, false,
                r -> num(r, "added_ttfe_ms", "p50")),
        STREAM_ADDED_TTFE_P99_MS("stream_added_ttfe_p99_ms", "added TTFE p99", false, false,
                r -> num(r, "added_ttfe_ms", "p99"));

        final String key;
        final String label;
        final boolean higherIsBetter;
        final boolean judged;
        final Function<JsonObject, Double> read;

        Figure(String key, String label, boolean higherIsBetter, boolean judged, Function<JsonObject, Double> read) {
            this.key = key;
            this.label = label;
            this.higherIsBetter = higherIsBetter;
            this.judged = judged;
            this.read = read;
        }
    }

    private MeteringComparison() {
    }

    /**
     * The comparison of the rounds ({@code metering} "off" or "on"; rounds that did not run are left out): per
     * figure the means, the difference, the spreads; whether every judged figure is within the target (null when
     * a configuration has no round); and whether every metered round recorded exactly the requests it was sent.
     */
    public static JsonObject summarize(JsonArray rounds) {
        List<JsonObject> off = ran(rounds, "off");
        List<JsonObject> on = ran(rounds, "on");
        JsonObject figures = new JsonObject();
        Boolean within = off.isEmpty() || on.isEmpty() ? null : Boolean.TRUE;
        double noise = Double.NaN;
        for (Figure figure : Figure.values()) {
            double offMean = mean(off, figure);
            double onMean = mean(on, figure);
            double difference = differencePercent(onMean, offMean);
            double offSpread = spreadPercent(off, figure);
            double onSpread = spreadPercent(on, figure);
            boolean ok = withinTarget(difference, figure.higherIsBetter);
            figures.put(figure.key, new JsonObject()
                    .put("label", figure.label)
                    .put("off", Figures.round(offMean, 1))
                    .put("on", Figures.round(onMean, 1))
                    .put("difference_percent", Figures.round(difference, 1))
                    .put("off_spread_percent", Figures.round(offSpread, 1))
                    .put("on_spread_percent", Figures.round(onSpread, 1))
                    .put("higher_is_better", figure.higherIsBetter)
                    .put("judged", figure.judged)
                    .put("within_target", Double.isNaN(difference) ? null : ok));
            if (figure.judged && within != null) {
                within = Double.isNaN(difference) ? null : within && ok;
                noise = max(noise, max(offSpread, onSpread));
            }
        }
        return new JsonObject()
                .put("target_percent", TARGET_PERCENT)
                .put("rounds_off", off.size())
                .put("rounds_on", on.size())
                .put("figures", figures)
                .put("within_target", within)
                .put("noise_percent", Figures.round(noise, 1)) // NaN (null in the report) with one round each
                .put("counts_match", countsMatch(on));
    }

    /** (on − off) ÷ off in percent; NaN when either is missing. */
    static double differencePercent(double on, double off) {
        return Double.isNaN(on) || Double.isNaN(off) || off == 0 ? Double.NaN : (on - off) / Math.abs(off) * 100;
    }

    /** At most the target worse than off, in the figure's direction (better by any amount is within). */
    static boolean withinTarget(double differencePercent, boolean higherIsBetter) {
        if (Double.isNaN(differencePercent)) {
            return false;
        }
        return higherIsBetter ? differencePercent >= -TARGET_PERCENT : differencePercent <= TARGET_PERCENT;
    }

    /** (max − min) ÷ mean in percent over one configuration's rounds; NaN with fewer than two. */
    static double spreadPercent(List<JsonObject> rounds, Figure figure) {
        List<Double> values = values(rounds, figure);
        if (values.size() < 2) {
            return Double.NaN;
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return mean == 0 ? Double.NaN : (max - min) / Math.abs(mean) * 100;
    }

    /**
     * True when every metered round recorded a row for each request it was sent and its day aggregates count as
     * many; null when no metered round got as far as counting.
     */
    private static Boolean countsMatch(List<JsonObject> on) {
        boolean unknown = on.isEmpty();
        for (JsonObject round : on) {
            JsonObject recorded = round.getJsonObject("recorded", new JsonObject());
            for (String check : new String[]{"matches_sent", "aggregates_match"}) {
                Boolean match = recorded.getBoolean(check);
                if (Boolean.FALSE.equals(match)) {
                    return false;
                }
                unknown |= match == null;
            }
        }
        return unknown ? null : Boolean.TRUE;
    }

    private static List<JsonObject> ran(JsonArray rounds, String metering) {
        List<JsonObject> out = new ArrayList<>();
        for (Object o : rounds) {
            JsonObject round = (JsonObject) o;
            if (metering.equals(round.getString("metering")) && Boolean.TRUE.equals(round.getBoolean("available"))) {
                out.add(round);
            }
        }
        return out;
    }

    private static double mean(List<JsonObject> rounds, Figure figure) {
        return values(rounds, figure).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static List<Double> values(List<JsonObject> rounds, Figure figure) {
        List<Double> values = new ArrayList<>();
        for (JsonObject round : rounds) {
            Double v = figure.read.apply(round);
            if (v != null && !v.isNaN()) {
                values.add(v);
            }
        }
        return values;
    }

    /** The larger of two figures that may be missing (NaN); NaN only when both are. */
    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static Double num(JsonObject root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof JsonObject object)) {
                return null;
            }
            current = object.getValue(key);
        }
        return current instanceof Number n ? n.doubleValue() : null;
    }
}
