package io.caravan.bench.report;

import io.caravan.bench.Bench;
import io.caravan.bench.BenchOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes bench/results/&lt;timestamp&gt;.md and .json (quick runs: quick-&lt;timestamp&gt;.*), and after a full run
 * replaces the results and targets sections of bench/README.md between their markers.
 */
public final class ReportWriter {
    static final String RESULTS_BEGIN = "<!-- latest-results:begin -->";
    static final String RESULTS_END = "<!-- latest-results:end -->";
    static final String TARGETS_BEGIN = "<!-- targets:begin -->";
    static final String TARGETS_END = "<!-- targets:end -->";

    private ReportWriter() {
    }

    public static void write(JsonObject results, BenchOptions options) throws IOException {
        JsonObject clean = withoutNaN(results);
        clean.put("targets", TargetsCheck.evaluate(clean));
        String stamp = clean.getJsonObject("meta").getString("timestamp_utc");
        Path dir = Files.createDirectories(options.benchDir().resolve("results"));
        String base = (options.fullRun() ? "" : options.modeName() + "-") + stamp;
        Path json = dir.resolve(base + ".json");
        Path md = dir.resolve(base + ".md");
        Files.writeString(json, clean.encodePrettily() + "\n");
        Files.writeString(md, MarkdownReport.render(clean));
        Bench.log("wrote " + md + " and " + json);
        if (options.fullRun()) {
            updateReadme(options.benchDir().resolve("README.md"), clean, base);
        }
    }

    private static void updateReadme(Path readme, JsonObject results, String base) throws IOException {
        if (!Files.exists(readme)) {
            Bench.log("no " + readme + " to update");
            return;
        }
        String text = Files.readString(readme);
        String latest = "_Latest full run: `results/" + base + ".md`._\n\n" + MarkdownReport.body(results);
        text = replaceBetween(text, RESULTS_BEGIN, RESULTS_END, latest);
        text = replaceBetween(text, TARGETS_BEGIN, TARGETS_END, MarkdownReport.targets(results));
        Files.writeString(readme, text);
        Bench.log("updated " + readme);
    }

    static String replaceBetween(String text, String begin, String end, String content) {
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            Bench.log("README has no " + begin + " … " + end + " markers; section not updated");
            return text;
        }
        return text.substring(0, from + begin.length()) + "\n" + content + text.substring(to);
    }

    /** JSON has no NaN: missing figures become null. */
    static JsonObject withoutNaN(JsonObject in) {
        JsonObject out = new JsonObject();
        for (Map.Entry<String, Object> e : in) {
            out.put(e.getKey(), clean(e.getValue()));
        }
        return out;
    }

    private static Object clean(Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (value instanceof JsonObject o) {
            return withoutNaN(o);
        }
        if (value instanceof JsonArray a) {
            JsonArray out = new JsonArray();
            a.forEach(v -> out.add(clean(v)));
            return out;
        }
        return value;
    }
}
