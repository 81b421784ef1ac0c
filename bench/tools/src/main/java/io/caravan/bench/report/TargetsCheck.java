package io.caravan.bench.report;

import static io.caravan.bench.report.Md.num;
import static io.caravan.bench.report.Md.obj;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Compares a run's figures with the targets of issue 4 and issue 12 (metering): met, missed, or n/a when the figure
 * is missing.
 */
public final class TargetsCheck {
    private static final String[] DIALECTS = {"openai", "anthropic"};

    private TargetsCheck() {
    }

    public static JsonArray evaluate(JsonObject r) {
        JsonArray out = new JsonArray();
        out.add(perDialect("Added latency c=1, p50", "≤ 0.5 ms", 500, false, d ->
                num(r, "latency_c1", d, "added_us", "gateway", "p50"), Md::us));
        out.add(perDialect("Added latency c=1, p99", "≤ 2 ms", 2000, false, d ->
                num(r, "latency_c1", d, "added_us", "gateway", "p99"), Md::us));
        out.add(perDialect("Throughput c=32 vs nginx", "≥ 15% of nginx", 0.15, true, d ->
                num(r, "throughput_c32", d, "ratios", "gateway_to_nginx"), Md::percent));
        out.add(perDialect("Requests per gateway CPU-second (c=32)", "report (nginx: ~55k here)", Double.NaN, true,
                d -> num(r, "throughput_c32", d, "gateway", "requests_per_target_cpu_second"), Md::count));
        out.add(streams(r));
        out.add(perDialect("Added time to first event, p99", "≤ 5 ms", 5, false, d ->
                num(r, "streaming", d, "added_ttfe_ms", "gateway", "p99"), Md::ms));
        out.add(perDialect("RSS at the largest stream load held", "≤ 1 GB", 1024, false, d ->
                rssAtMaxHeld(r, d), Md::mb));
        out.add(translated(r));
        out.add(geminiTranslated(r));
        out.add(single("Idle RSS after start", "≤ 200 MB", num(r, "memory", "idle_after_start_mb"), 200, false,
                Md::mb));
        out.add(soak(r));
        out.add(single("Start-up to first answered POST", "≤ 3 s", num(r, "startup", "first_answer_ms"), 3000, false,
                v -> Md.ms(v)));
        out.add(meteringCost(r));
        out.add(meteringCounts(r));
        return out;
    }

    /** Issue 12: metering and limits on within 5% of off on the judged figures (the means of their rounds). */
    private static JsonObject meteringCost(JsonObject r) {
        String name = "Metering and limits on vs off (issue 12)";
        String goal = "within 5% (req/s, req per gateway CPU-s, added p50; c=32)";
        JsonObject summary = obj(r, "metering", "summary");
        if (summary == null) {
            return row(name, goal, "n/a (not run)", "n/a");
        }
        List<String> shown = new ArrayList<>();
        JsonObject figures = summary.getJsonObject("figures", new JsonObject());
        for (String key : figures.fieldNames()) {
            JsonObject f = figures.getJsonObject(key);
            if (Boolean.TRUE.equals(f.getBoolean("judged"))) {
                Double d = num(f, "difference_percent");
                shown.add(f.getString("label") + " " + (d == null ? Md.NA : String.format(Locale.ROOT, "%+.1f%%", d)));
            }
        }
        Double noise = num(summary, "noise_percent");
        shown.add(noise == null ? "one round of each (no measure of the noise)"
                : String.format(Locale.ROOT, "noise (spread of one configuration's rounds) up to %.1f%%", noise));
        if ("quick".equals(Md.at(r, "meta", "mode"))) {
            // seconds-long loads on a gateway barely warmed: the quick run checks the scenario runs, not its cost
            return row(name, goal, "quick run, not judged: " + String.join(", ", shown), "reported");
        }
        Boolean within = summary.getBoolean("within_target");
        return row(name, goal, String.join(", ", shown), within == null ? "n/a" : within ? "met" : "missed");
    }

    /** Issue 12: every request sent to a metered gateway is a row in its database after SIGTERM. */
    private static JsonObject meteringCounts(JsonObject r) {
        String name = "Requests recorded = requests sent, metered rounds (issue 12)";
        String goal = "equal after SIGTERM (rows and aggregates)";
        JsonArray rounds = Md.at(r, "metering", "rounds") instanceof JsonArray a ? a : null;
        if (rounds == null) {
            return row(name, goal, "n/a (not run)", "n/a");
        }
        List<String> shown = new ArrayList<>();
        for (Object o : rounds) {
            JsonObject round = (JsonObject) o;
            JsonObject recorded = round.getJsonObject("recorded");
            if (recorded != null) {
                shown.add("round " + round.getValue("round") + ": " + Md.count(num(round, "sent", "total"))
                        + " sent, " + (recorded.containsKey("error") ? "n/a"
                        : Md.count(num(recorded, "total")) + " recorded, " + Md.count(num(recorded, "aggregated"))
                        + " in the day aggregates"));
            }
        }
        Boolean match = Md.at(r, "metering", "summary", "counts_match") instanceof Boolean b ? b : null;
        return row(name, goal, shown.isEmpty() ? "n/a (no metered round counted)" : String.join("; ", shown),
                match == null ? "n/a" : match ? "met" : "missed");
    }

    private static JsonObject perDialect(String name, String goal, double limit, boolean atLeast,
                                         Function<String, Double> figure,
                                         Function<Double, String> format) {
        List<String> shown = new ArrayList<>();
        String status = "reported";
        for (String d : DIALECTS) {
            Double v = figure.apply(d);
            shown.add(d + " " + format.apply(v));
            status = worse(status, judge(v, limit, atLeast));
        }
        return row(name, goal, String.join(", ", shown), status);
    }

    private static JsonObject single(String name, String goal, Double value, double limit, boolean atLeast,
                                     Function<Double, String> format) {
        return row(name, goal, format.apply(value), judge(value, limit, atLeast));
    }

    private static String judge(Double value, double limit, boolean atLeast) {
        if (value == null || value.isNaN()) {
            return "n/a";
        }
        if (Double.isNaN(limit)) {
            return "reported";
        }
        return (atLeast ? value >= limit : value <= limit) ? "met" : "missed";
    }

    /** n/a beats missed beats met beats reported when combining dialects: the least favourable wins. */
    private static String worse(String a, String b) {
        List<String> order = List.of("reported", "met", "missed", "n/a");
        return order.indexOf(a) >= order.indexOf(b) ? a : b;
    }

    /** Met when the gateway holds at least half of what nginx holds and, in a full run, at least 500. */
    private static JsonObject streams(JsonObject r) {
        boolean quick = "quick".equals(Md.at(r, "meta", "mode"));
        List<String> shown = new ArrayList<>();
        String status = "met";
        for (String d : DIALECTS) {
            Double gateway = num(r, "streaming", d, "gateway", "max_held");
            Double nginx = num(r, "streaming", d, "nginx", "max_held");
            shown.add(String.format(Locale.ROOT, "%s: gateway %s vs nginx %s", d, Md.count(gateway),
                    Md.count(nginx)));
            if (gateway == null || nginx == null || nginx == 0) {
                status = worse(status, "n/a");
            } else {
                boolean met = gateway >= 0.5 * nginx && (quick || gateway >= 500);
                status = worse(status, met ? "met" : "missed");
            }
        }
        return row("Concurrent 64-chunk streams held (no stall, no error)", "≥ 50% of nginx and ≥ 500",
                String.join("; ", shown), status);
    }

    private static Double rssAtMaxHeld(JsonObject r, String d) {
        JsonObject sweep = obj(r, "streaming", d, "gateway");
        if (sweep == null) {
            return null;
        }
        Double held = num(sweep, "max_held");
        for (Object o : sweep.getJsonArray("steps")) {
            JsonObject step = (JsonObject) o;
            if (held != null && step.getInteger("streams") == held.intValue()) {
                return step.getDouble("target_rss_max_mb");
            }
        }
        return null;
    }

    private static JsonObject translated(JsonObject r) {
        List<String> shown = new ArrayList<>();
        String status = "met";
        for (String path : new String[]{"openai->anthropic", "anthropic->openai"}) {
            status = worse(status, costRatios(path, obj(r, "translation", path), "ratios", shown));
        }
        return row("Translated path cost vs same dialect", "≤ 1.5×", String.join("; ", shown), status);
    }

    /**
     * Issue 14: the Gemini paths translated either way cost at most 1.5× the native Gemini passthrough (added
     * latency p50 at c=1, gateway CPU per request at c=32), as issue 4's translated paths against the same dialect.
     */
    private static JsonObject geminiTranslated(JsonObject r) {
        String name = "Gemini translated paths vs native (issue 14)";
        String goal = "≤ 1.5× (added latency p50, CPU/req)";
        JsonObject paths = obj(r, "gemini", "paths");
        if (paths == null) {
            return row(name, goal, "n/a (not run)", "n/a");
        }
        JsonObject nativePath = obj(paths, "native");
        if (nativePath == null || !Boolean.TRUE.equals(nativePath.getBoolean("available"))) {
            return row(name, goal, "native n/a (not available)", "n/a");
        }
        List<String> shown = new ArrayList<>();
        String status = "met";
        for (String path : new String[]{"gemini_to_chat", "chat_to_gemini"}) {
            status = worse(status, costRatios(path.replace("_to_", "->"), obj(paths, path), "ratios_to_native",
                    shown));
        }
        if ("quick".equals(Md.at(r, "meta", "mode")) && !"n/a".equals(status)) {
            // one-second loads on unwarmed paths: the quick run checks that the paths run, not what they cost
            return row(name, goal, "quick run, not judged: " + String.join("; ", shown), "reported");
        }
        return row(name, goal, String.join("; ", shown), status);
    }

    /**
     * One translated path's added latency p50 and CPU per request ratios (under ratiosKey) against 1.5×, shown under
     * label; n/a when the path did not answer.
     */
    private static String costRatios(String label, JsonObject path, String ratiosKey, List<String> shown) {
        if (path == null || !Boolean.TRUE.equals(path.getBoolean("available"))) {
            shown.add(label + " n/a (not available)");
            return "n/a";
        }
        Double latency = num(path, ratiosKey, "added_latency_p50");
        Double cpu = num(path, ratiosKey, "cpu_per_request");
        shown.add(label + " latency " + Md.ratio(latency) + ", CPU/req " + Md.ratio(cpu));
        return worse(judge(latency, 1.5, false), judge(cpu, 1.5, false));
    }

    private static JsonObject soak(JsonObject r) {
        JsonObject soak = obj(r, "soak");
        if (soak == null) {
            return row("RSS flat over the soak", "plateau (second-half slope ≤ 1 MB/min)", "n/a (no soak)", "n/a");
        }
        String shown = String.format(Locale.ROOT, "%s → max %s → %s over %d min; second-half slope %.2f MB/min",
                Md.mb(soak.getDouble("rss_start_mb")), Md.mb(soak.getDouble("rss_max_mb")),
                Md.mb(soak.getDouble("rss_end_mb")), soak.getInteger("minutes"),
                soak.getDouble("slope_second_half_mb_per_min"));
        return row("RSS flat over the soak", "plateau (second-half slope ≤ 1 MB/min)", shown,
                soak.getBoolean("flat") ? "met" : "missed");
    }

    private static JsonObject row(String name, String goal, String measured, String status) {
        return new JsonObject().put("target", name).put("goal", goal).put("measured", measured).put("status", status);
    }
}
