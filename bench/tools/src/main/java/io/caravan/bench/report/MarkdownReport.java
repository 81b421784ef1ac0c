package io.caravan.bench.report;

import static io.caravan.bench.report.Md.num;
import static io.caravan.bench.report.Md.obj;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/** Renders a run's results JSON as the markdown tables of bench/results and bench/README.md. */
public final class MarkdownReport {
    private static final String[] DIALECTS = {"openai", "anthropic"};
    private static final String[] TARGETS = {"direct", "nginx", "gateway"};
    private static final Map<String, String> DIRECT_LABELS = Map.of(
            "responses", "POST /v1/responses",
            "openai", "POST /v1/chat/completions",
            "anthropic", "POST /v1/messages",
            "gemini", "POST /v1beta/models/{model}:generateContent");

    private MarkdownReport() {
    }

    /** The whole report: title, machine, every scenario, targets. */
    public static String render(JsonObject r) {
        return "# Caravan benchmark " + Md.at(r, "meta", "timestamp_utc") + " UTC (" + Md.at(r, "meta", "mode")
                + " run)\n\n" + body(r) + "\n## Targets (issues 4 and 12)\n\n" + targets(r);
    }

    /** Everything but the title and the targets, for README's results section. */
    public static String body(JsonObject r) {
        return machine(r) + failures(r) + latency(r) + throughput(r) + streaming(r) + translation(r) + responses(r)
                + gemini(r) + memory(r) + startup(r) + metering(r);
    }

    public static String targets(JsonObject r) {
        Md table = Md.table("target", "goal", "measured", "status");
        for (Object o : r.getJsonArray("targets", new JsonArray())) {
            JsonObject t = (JsonObject) o;
            String status = t.getString("status");
            table.row(t.getString("target"), t.getString("goal"), t.getString("measured"),
                    "met".equals(status) ? "**met**" : "missed".equals(status) ? "**MISSED**" : status);
        }
        return table.render();
    }

    private static String machine(JsonObject r) {
        JsonObject m = obj(r, "meta", "machine");
        JsonObject p = obj(r, "meta", "profile");
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Machine: %s cores, %s, %s GiB RAM, Linux %s; %s; %s; %s. "
                        + "Gateway, fake upstream, nginx and load generators all share it.%n%n",
                m.getValue("nproc"), m.getString("cpu_model"), m.getValue("memory_gib"), m.getString("kernel"),
                m.getString("java"), m.getString("nginx"), m.getString("wrk")));
        out.append(String.format(Locale.ROOT, "Run: %s s per latency point, %s s per throughput point, sweep %s, "
                        + "soak %s min. Gateway JVM options: `%s`. Load average (1/5/15 min) at start %s, at end %s "
                        + "(anything above ~0.3 at start means other work shared the cores).%n%n",
                p.getValue("latency_seconds"), p.getValue("throughput_seconds"), p.getJsonArray("sweep").encode(),
                p.getValue("soak_minutes"), Md.at(r, "gateway", "jvm_options"),
                Md.at(r, "meta", "load_average_at_start"), Md.at(r, "meta", "load_average_at_end")));
        Double direct = num(r, "throughput_c32", "openai", "direct", "requests_per_second");
        Double gateway = num(r, "throughput_c32", "openai", "gateway", "requests_per_second");
        if (direct == null) {
            return out.toString(); // a run without the throughput scenario
        }
        out.append(String.format(Locale.ROOT, "Fake upstream called directly (c=32, OpenAI): %s req/s, "
                        + "using %s CPU-s in %s s — the floor the others are compared with%s.%n%n",
                Md.count(direct), Md.at(r, "throughput_c32", "openai", "direct", "upstream_cpu_seconds"),
                Md.at(r, "throughput_c32", "openai", "direct", "seconds"),
                gateway == null ? ""
                        : String.format(Locale.ROOT, " (%.1f× the gateway's %s req/s)", direct / gateway,
                        Md.count(gateway))));
        return out.toString();
    }

    private static String failures(JsonObject r) {
        JsonArray failures = r.getJsonArray("failures", new JsonArray());
        if (failures.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("**Parts that could not run:**\n\n");
        for (Object f : failures) {
            out.append("- ").append(f.toString().lines().findFirst().orElse("")).append('\n');
        }
        return out.append('\n').toString();
    }

    private static String latency(JsonObject r) {
        Md table = Md.table("dialect", "target", "req/s", "p50", "p99", "added p50", "added p99");
        for (String d : DIALECTS) {
            for (String t : TARGETS) {
                JsonObject x = obj(r, "latency_c1", d, t);
                if (x == null) {
                    table.row(d, t, "n/a (not available)", "", "", "", "");
                    continue;
                }
                boolean base = t.equals("direct");
                table.row(d, t, Md.count(x.getDouble("requests_per_second")), Md.us(num(x, "latency_us", "p50")),
                        Md.us(num(x, "latency_us", "p99")),
                        base ? "—" : Md.us(num(r, "latency_c1", d, "added_us", t, "p50")),
                        base ? "—" : Md.us(num(r, "latency_c1", d, "added_us", t, "p99")));
            }
        }
        return "## 1. Added latency at concurrency 1 (non-stream)\n\n"
                + "wrk, 1 connection; added = target − direct for the same percentile.\n\n" + table.render() + "\n";
    }

    private static String throughput(JsonObject r) {
        Md table = Md.table("dialect", "target", "req/s", "p99", "vs direct", "vs nginx", "target CPU-s",
                "req per target CPU-s", "peak RSS", "upstream CPU-s", "errors");
        for (String d : DIALECTS) {
            Double direct = num(r, "throughput_c32", d, "direct", "requests_per_second");
            Double nginx = num(r, "throughput_c32", d, "nginx", "requests_per_second");
            for (String t : TARGETS) {
                JsonObject x = obj(r, "throughput_c32", d, t);
                if (x == null) {
                    table.row(d, t, "n/a (not available)", "", "", "", "", "", "", "", "");
                    continue;
                }
                double rps = x.getDouble("requests_per_second");
                table.row(d, t, Md.count(rps), Md.us(num(x, "latency_us", "p99")),
                        t.equals("direct") ? "—" : Md.percent(direct == null ? null : rps / direct),
                        t.equals("gateway") ? Md.percent(nginx == null ? null : rps / nginx) : "—",
                        x.getValue("target_cpu_seconds"), Md.count(num(x, "requests_per_target_cpu_second")),
                        Md.mb(num(x, "target_rss_max_mb")), x.getValue("upstream_cpu_seconds"),
                        Md.count(num(x, "errors")));
            }
        }
        return "## 2. Throughput at concurrency 32 (non-stream)\n\n"
                + "wrk, 2 threads, 32 connections. CPU-s = utime+stime of the target's processes during the run "
                + "(nginx: master and workers).\n\n" + table.render() + "\n";
    }

    private static String streaming(JsonObject r) {
        Md summary = Md.table("dialect", "target", "max streams held", "first failing step", "added TTFE p50",
                "added TTFE p99", "at step");
        Md detail = Md.table("dialect", "target", "streams", "completed", "errors", "stalled", "TTFE p50",
                "TTFE p99", "max gap", "peak RSS", "CPU-s");
        StringBuilder errors = new StringBuilder();
        for (String d : DIALECTS) {
            for (String t : TARGETS) {
                JsonObject sweep = obj(r, "streaming", d, t);
                if (sweep == null) {
                    summary.row(d, t, "n/a (not available)", "", "", "", "");
                    continue;
                }
                boolean base = t.equals("direct");
                summary.row(d, t, Md.count(num(sweep, "max_held")),
                        sweep.getValue("first_failure") == null ? "none" : Md.count(num(sweep, "first_failure")),
                        base ? "—" : Md.ms(num(r, "streaming", d, "added_ttfe_ms", t, "p50")),
                        base ? "—" : Md.ms(num(r, "streaming", d, "added_ttfe_ms", t, "p99")),
                        Md.at(r, "streaming", d, "reference_step"));
                for (Object o : sweep.getJsonArray("steps")) {
                    JsonObject s = (JsonObject) o;
                    String retried = Boolean.TRUE.equals(s.getBoolean("retried")) ? " (retry)" : "";
                    detail.row(d, t, s.getValue("streams") + retried, s.getValue("completed"), s.getValue("errors"),
                            s.getValue("stalled_streams"), Md.ms(num(s, "ttfe_ms", "p50")),
                            Md.ms(num(s, "ttfe_ms", "p99")), Md.ms(num(s, "max_gap_ms")),
                            Md.mb(num(s, "target_rss_max_mb")), s.getValue("target_cpu_seconds"));
                    for (Object e : s.getJsonArray("error_samples", new JsonArray())) {
                        errors.append("- ").append(d).append(" → ").append(t).append(" at ")
                                .append(s.getValue("streams")).append(": ").append(e).append('\n');
                    }
                }
            }
        }
        return "## 3. Streaming (64 events 20 ms apart per stream, starts spread over 500 ms)\n\n"
                + "A step holds when every stream completes with no error and no stall (first event > 100 ms, or a "
                + "gap > 120 ms between events); a step that does not hold is run once more before the sweep stops "
                + "(marked retry). TTFE = request start to first event; added TTFE = target − direct "
                + "at the reference step.\n\n" + summary.render() + "\n" + detail.render() + "\n"
                + (errors.length() == 0 ? "" : "Errors seen:\n\n" + errors + "\n");
    }

    private static String translation(JsonObject r) {
        JsonObject tr = obj(r, "translation");
        if (tr == null) {
            return "## 4. Translated path vs same-dialect path\n\nn/a (the gateway did not run)\n\n";
        }
        Md table = Md.table("caller → upstream", "added p50 (c=1)", "added p99 (c=1)", "req/s (c=32)",
                "gateway CPU µs/req", "TTFE p50 / p99", "streams held", "latency ratio", "CPU ratio",
                "TTFE ratio");
        for (String path : new String[]{"openai->anthropic", "anthropic->openai"}) {
            String caller = path.substring(0, path.indexOf('-'));
            JsonObject same = obj(r, "throughput_c32", caller, "gateway");
            JsonObject sameWave = sameWave(r, caller);
            if (same != null) {
                table.row(caller + " → " + caller + " (same)",
                        Md.us(num(r, "latency_c1", caller, "added_us", "gateway", "p50")),
                        Md.us(num(r, "latency_c1", caller, "added_us", "gateway", "p99")),
                        Md.count(num(same, "requests_per_second")), Md.count(num(same, "target_cpu_us_per_request")),
                        ttfe(sameWave), held(sameWave), "1.00×", "1.00×", "1.00×");
            }
            JsonObject t = obj(tr, path);
            String label = path.replace("->", " → ") + " (translated)";
            if (t == null || !Boolean.TRUE.equals(t.getBoolean("available"))) {
                table.row(label, "n/a (not available)", "", "", "", "", "", "", "", "");
                continue;
            }
            table.row(label, Md.us(num(t, "added_us", "p50")), Md.us(num(t, "added_us", "p99")),
                    Md.count(num(t, "throughput_c32", "requests_per_second")),
                    Md.count(num(t, "throughput_c32", "target_cpu_us_per_request")), ttfe(obj(t, "stream")),
                    held(obj(t, "stream")), Md.ratio(num(t, "ratios", "added_latency_p50")),
                    Md.ratio(num(t, "ratios", "cpu_per_request")), Md.ratio(num(t, "ratios", "ttfe_p50")));
        }
        return "## 4. Translated path vs same-dialect path\n\n"
                + "Added latency of a translated call is against the direct call in the upstream's dialect. Ratios "
                + "are translated ÷ same-dialect (target ≤ 1.5×).\n\n" + table.render() + "\n";
    }

    private static String responses(JsonObject r) {
        return comparison(r, "responses", "## 5. Responses API path (POST /v1/responses)\n\n",
                "A Responses request (one `input_text` message, `store: false`) for a model served by an OpenAI "
                + "credential with `apis: [chat, responses]` (passed through unchanged), by a plain chat credential "
                + "(translated to Chat Completions) and by an Anthropic credential (translated twice); last, for "
                + "reference, a Chat Completions request passed through to the chat credential. ");
    }

    private static String gemini(JsonObject r) {
        return comparison(r, "gemini", "## 6. Gemini API path (POST /v1beta/models/{model}:generateContent)\n\n",
                "A Gemini request (one user `contents` entry and `generationConfig`; streams are "
                + "`:streamGenerateContent?alt=sse`, key in `x-goog-api-key`) for a model served by a `gemini` "
                + "credential (passed through unchanged: native) and by a plain chat credential (translated to Chat "
                + "Completions); an OpenAI Chat Completions request for the Gemini credential (translated to "
                + "Gemini); last, for reference, a Chat Completions request passed through to the chat credential. ");
    }

    /** A path comparison's section: the paths, then the direct calls they were measured against. */
    private static String comparison(JsonObject r, String key, String title, String description) {
        JsonObject result = obj(r, key);
        if (result == null) {
            boolean gatewayRan = Boolean.TRUE.equals(Md.at(r, "gateway", "available"));
            return title + (gatewayRan ? "n/a (not run in this mode)" : "n/a (the gateway did not run)") + "\n\n";
        }
        Md table = Md.table("path", "added p50 (c=1)", "added p99 (c=1)", "req/s (c=32)", "gateway CPU µs/req",
                "TTFE p50 / p99", "added TTFE p50 / p99", "streams held", "events per stream", "latency ratio",
                "CPU ratio", "TTFE ratio");
        for (String path : obj(result, "paths").fieldNames()) {
            JsonObject p = obj(result, "paths", path);
            String label = p == null ? path : p.getString("label", path);
            if (p == null || !Boolean.TRUE.equals(p.getBoolean("available"))) {
                table.row(label, "n/a (not available)", "", "", "", "", "", "", "", "", "", "");
                continue;
            }
            table.row(label, Md.us(num(p, "added_us", "p50")), Md.us(num(p, "added_us", "p99")),
                    Md.count(num(p, "throughput_c32", "requests_per_second")),
                    Md.count(num(p, "throughput_c32", "target_cpu_us_per_request")), ttfe(obj(p, "stream")),
                    Md.ms(num(p, "added_ttfe_ms", "p50")) + " / " + Md.ms(num(p, "added_ttfe_ms", "p99")),
                    held(obj(p, "stream")), Md.at(p, "stream", "events_per_stream"),
                    Md.ratio(num(p, "ratios_to_native", "added_latency_p50")),
                    Md.ratio(num(p, "ratios_to_native", "cpu_per_request")),
                    Md.ratio(num(p, "ratios_to_native", "ttfe_p50")));
        }
        Md direct = Md.table("direct call (fake upstream)", "p50 (c=1)", "p99 (c=1)", "TTFE p50 / p99",
                "streams held", "events per stream");
        JsonObject directs = obj(result, "direct");
        for (String dialect : directs == null ? java.util.Set.<String>of() : directs.fieldNames()) {
            JsonObject d = obj(directs, dialect);
            direct.row(DIRECT_LABELS.getOrDefault(dialect, dialect),
                    Md.us(num(d, "latency_c1", "latency_us", "p50")),
                    Md.us(num(d, "latency_c1", "latency_us", "p99")), ttfe(obj(d, "stream")),
                    held(obj(d, "stream")), Md.at(d, "stream", "events_per_stream"));
        }
        return title + description + "Added = gateway − the direct call in the upstream's dialect, measured in the "
                + "same scenario; " + Md.at(r, "meta", "profile", "translated_streams") + " streams per wave; ratios "
                + "are path ÷ native. Events per stream are what the caller received (the fake sends 64 in every "
                + "dialect).\n\n" + table.render() + "\n" + direct.render() + "\n";
    }

    private static JsonObject sameWave(JsonObject r, String caller) {
        Object step = Md.at(r, "meta", "profile", "translated_streams");
        JsonObject sweep = obj(r, "streaming", caller, "gateway");
        if (sweep == null || step == null) {
            return null;
        }
        for (Object o : sweep.getJsonArray("steps")) {
            if (((JsonObject) o).getValue("streams").equals(step)) {
                return (JsonObject) o;
            }
        }
        return null;
    }

    private static String ttfe(JsonObject wave) {
        return wave == null ? Md.NA : Md.ms(num(wave, "ttfe_ms", "p50")) + " / " + Md.ms(num(wave, "ttfe_ms", "p99"));
    }

    private static String held(JsonObject wave) {
        return wave == null ? Md.NA : wave.getValue("completed") + "/" + wave.getValue("streams")
                + (Boolean.TRUE.equals(wave.getBoolean("held")) ? "" : " (not held)");
    }

    private static String memory(JsonObject r) {
        Md table = Md.table("phase", "gateway RSS", "nginx RSS (all processes)");
        table.row("idle after start", Md.mb(num(r, "memory", "idle_after_start_mb")), "—");
        table.row("idle after warm-up", Md.mb(num(r, "memory", "idle_after_warmup_mb")), "—");
        for (String d : DIALECTS) {
            table.row("peak, latency c=1 " + d, Md.mb(num(r, "latency_c1", d, "gateway", "target_rss_max_mb")),
                    Md.mb(num(r, "latency_c1", d, "nginx", "target_rss_max_mb")));
            table.row("peak, throughput c=32 " + d,
                    Md.mb(num(r, "throughput_c32", d, "gateway", "target_rss_max_mb")),
                    Md.mb(num(r, "throughput_c32", d, "nginx", "target_rss_max_mb")));
            JsonObject gatewaySweep = obj(r, "streaming", d, "gateway");
            JsonObject nginxSweep = obj(r, "streaming", d, "nginx");
            JsonArray steps = gatewaySweep != null ? gatewaySweep.getJsonArray("steps")
                    : nginxSweep != null ? nginxSweep.getJsonArray("steps") : new JsonArray();
            for (Object o : steps) {
                Object n = ((JsonObject) o).getValue("streams");
                table.row("peak, " + n + " streams " + d, Md.mb(stepRss(gatewaySweep, n)),
                        Md.mb(stepRss(nginxSweep, n)));
            }
        }
        JsonObject soak = obj(r, "soak");
        StringBuilder out = new StringBuilder("## 7. Memory\n\n").append(table.render()).append('\n');
        if (soak != null) {
            out.append(String.format(Locale.ROOT, "Soak (%d min: wrk c=%s OpenAI non-stream plus waves of %s "
                            + "streams alternating dialects, %d waves, %d held): RSS start %s, max %s, end %s, "
                            + "idle after %s; slope %.2f MB/min overall, %.2f MB/min over the second half "
                            + "(%s). Non-stream during the soak: %s req/s, %s errors.%n%n",
                    soak.getInteger("minutes"), Md.at(r, "meta", "profile", "soak_connections"),
                    Md.at(r, "meta", "profile", "soak_streams"), soak.getInteger("stream_waves"),
                    soak.getInteger("stream_waves_held"), Md.mb(num(soak, "rss_start_mb")),
                    Md.mb(num(soak, "rss_max_mb")), Md.mb(num(soak, "rss_end_mb")),
                    Md.mb(num(r, "memory", "idle_after_soak_mb")), num(soak, "slope_mb_per_min"),
                    num(soak, "slope_second_half_mb_per_min"),
                    Boolean.TRUE.equals(soak.getBoolean("flat")) ? "flat" : "growing",
                    Md.count(num(soak, "non_stream", "requests_per_second")),
                    Md.count(num(soak, "non_stream", "errors"))));
        } else {
            out.append("Soak: not run in this mode.\n\n");
        }
        return out.toString();
    }

    private static Double stepRss(JsonObject sweep, Object streams) {
        if (sweep == null) {
            return null;
        }
        for (Object o : sweep.getJsonArray("steps")) {
            if (((JsonObject) o).getValue("streams").equals(streams)) {
                return ((JsonObject) o).getDouble("target_rss_max_mb");
            }
        }
        return null;
    }

    private static String startup(JsonObject r) {
        Double ms = num(r, "startup", "first_answer_ms");
        return "## 8. Start-up\n\nFrom `java -jar` launch to the first 200 answer to a POST /v1/chat/completions: "
                + (ms == null ? "n/a (the gateway did not start)" : Md.ms(ms)) + ".\n\n";
    }

    private static String metering(JsonObject r) {
        String title = "## 9. Metering and client limits, on beside off (issue 12)\n\n";
        JsonObject m = obj(r, "metering");
        if (m == null) {
            boolean gatewayRan = Boolean.TRUE.equals(Md.at(r, "gateway", "available"));
            return title + (gatewayRan ? "n/a (not run in this mode)" : "n/a (the gateway did not run)") + "\n\n";
        }
        StringBuilder out = new StringBuilder(title);
        out.append("Gateways started fresh, one per round, alternately with metering and limits off (empty "
                + "`caravan.store.url`, the key in `caravan.client-keys`: no limits) and on (metered into a fresh "
                + "SQLite file, the key a client of a clients file whose limits are on but never reached). Each "
                + "round: warm-up, then OpenAI chat at c=32 as in section 2 (added = gateway − the direct call at "
                + "c=32, measured first), then one wave of streams after warm-up waves. On vs off compares the "
                + "means of each configuration's rounds; spread = (max − min) ÷ mean over the rounds of one "
                + "configuration, the run's own noise.\n\n");
        JsonObject summary = obj(m, "summary");
        Md figures = Md.table("figure", "off", "on", "on vs off", "spread off", "spread on", "within 5%");
        JsonObject all = obj(summary, "figures");
        for (String key : all == null ? java.util.Set.<String>of() : all.fieldNames()) {
            JsonObject f = all.getJsonObject(key);
            String unit = key.endsWith("_us") ? "us" : key.endsWith("_ms") || key.endsWith("_per_stream") ? "ms" : "";
            Boolean within = f.getBoolean("within_target");
            figures.row(f.getString("label"), figure(num(f, "off"), unit), figure(num(f, "on"), unit),
                    signedPercent(num(f, "difference_percent")), percent1(num(f, "off_spread_percent")),
                    percent1(num(f, "on_spread_percent")),
                    !Boolean.TRUE.equals(f.getBoolean("judged")) ? "reported"
                            : within == null ? Md.NA : within ? "**met**" : "**MISSED**");
        }
        out.append(figures.render()).append('\n');
        Object within = Md.at(summary, "within_target");
        Double noise = num(summary, "noise_percent");
        out.append(String.format(Locale.ROOT, "Within %s%% on every judged figure: %s (rounds: %s off, %s on; %s)"
                        + "%s.%n%n", Md.at(summary, "target_percent"), within == null ? Md.NA
                        : Boolean.TRUE.equals(within) ? "**met**" : "**MISSED**", Md.at(summary, "rounds_off"),
                Md.at(summary, "rounds_on"), noise == null ? "one round of each, so no measure of the noise"
                        : "rounds of one configuration spread up to " + percent1(noise)
                        + ", so a difference below that is noise",
                "quick".equals(Md.at(r, "meta", "mode")) ? "; a quick run only touches the path: not judged" : ""));
        Md rounds = Md.table("round", "metering", "req/s", "req per CPU-s", "p50", "p99", "added p50", "added p99",
                "streams completed", "TTFE p50 / p99", "CPU per stream", "x-ratelimit-limit-requests",
                "start-up", "warm-up (JIT share at its end)", "stop after SIGTERM");
        Md cpu = Md.table("round", "metering", "event loops", "workers", "usage store", "JIT compilers",
                "garbage collector", "other", "total");
        Md counts = Md.table("round", "sent", "of which answered", "recorded (rows)", "rows per status",
                "day aggregates", "200 rows without tokens", "match");
        StringBuilder findings = new StringBuilder();
        for (Object o : m.getJsonArray("rounds", new JsonArray())) {
            JsonObject x = (JsonObject) o;
            String round = String.valueOf(x.getValue("round"));
            String metering = x.getString("metering");
            if (!Boolean.TRUE.equals(x.getBoolean("available"))) {
                rounds.row(round, metering, "n/a (" + x.getString("detail", "did not run").replaceAll("\\s+", " ")
                        + ")", "", "", "", "", "", "", "", "", "", "", "", "");
                continue;
            }
            JsonObject stream = obj(x, "stream");
            rounds.row(round, metering, Md.count(num(x, "non_stream", "requests_per_second")),
                    Md.count(num(x, "non_stream", "requests_per_target_cpu_second")),
                    Md.us(num(x, "non_stream", "latency_us", "p50")), Md.us(num(x, "non_stream", "latency_us", "p99")),
                    Md.us(num(x, "added_us", "p50")), Md.us(num(x, "added_us", "p99")), held(stream), ttfe(stream),
                    Md.ms(num(stream, "target_cpu_ms_per_stream")),
                    x.getValue("rate_limit_header") == null ? "none" : x.getValue("rate_limit_header"),
                    Md.ms(num(x, "startup_ms")), warmUp(obj(x, "warm_up")), stop(obj(x, "stop")));
            JsonObject byThread = obj(x, "non_stream", "cpu_by_thread");
            if (byThread != null) {
                cpu.row(round, metering, cpuShare(byThread, "event_loops"), cpuShare(byThread, "workers"),
                        cpuShare(byThread, "usage_store"), cpuShare(byThread, "jit"), cpuShare(byThread, "gc"),
                        cpuShare(byThread, "other"), Md.count(num(x, "non_stream", "target_cpu_us_per_request")));
            }
            JsonObject recorded = obj(x, "recorded");
            if (recorded == null) {
                continue;
            }
            Double sent = num(x, "sent", "total");
            Object match = recorded.getValue("matches_sent");
            Object aggregatesMatch = recorded.getValue("aggregates_match");
            String shownRecorded = recorded.containsKey("error") ? "n/a (" + recorded.getString("error") + ")"
                    : Md.count(num(recorded, "total"));
            counts.row(round, Md.count(sent) + String.format(Locale.ROOT, " (%s probes, %s non-stream, %s streams)",
                            Md.count(num(x, "sent", "probes")), Md.count(num(x, "sent", "non_stream")),
                            Md.count(num(x, "sent", "streams"))),
                    Md.count(num(x, "sent", "answered")), shownRecorded,
                    recorded.containsKey("by_status") ? recorded.getJsonObject("by_status").encode() : Md.NA,
                    Md.count(num(recorded, "aggregated")), Md.count(num(recorded, "answered_without_tokens")),
                    match == null || aggregatesMatch == null ? Md.NA
                            : Boolean.TRUE.equals(match) && Boolean.TRUE.equals(aggregatesMatch) ? "yes" : "**NO**");
            if (Boolean.FALSE.equals(match)) {
                findings.append(String.format(Locale.ROOT, "- **Finding:** round %s sent %s requests but its "
                                + "database holds %s rows.%n", round, Md.count(sent),
                        Md.count(num(recorded, "total"))));
            }
            if (Boolean.FALSE.equals(aggregatesMatch)) {
                findings.append(String.format(Locale.ROOT, "- **Finding:** round %s's day aggregates count %s "
                                + "requests, its rows %s.%n", round, Md.count(num(recorded, "aggregated")),
                        Md.count(num(recorded, "total"))));
            }
            Double untokened = num(recorded, "answered_without_tokens");
            if (untokened != null && untokened > 0) {
                findings.append(String.format(Locale.ROOT, "- **Finding:** round %s recorded %s answers (200) "
                        + "without tokens; the fake upstream reports usage in every answer.%n", round,
                        Md.count(untokened)));
            }
        }
        out.append(rounds.render()).append('\n');
        if (!cpu.isEmpty()) {
            out.append("Gateway CPU per answered request during the c=32 run (µs), by kind of thread (from "
                    + "/proc/<pid>/task; JIT compilers still busy mean the fresh gateway was not yet at its steady "
                    + "state):\n\n").append(cpu.render()).append('\n');
        }
        out.append("Requests sent to each metered gateway over its life (start-up probes that got an answer, wrk's "
                + "written requests including those in flight when it stopped, streams opened) against the rows its "
                + "database holds after it stopped on SIGTERM (read with `sqlite3`); the day aggregates, which the "
                + "admin usage API reads, must count as many:\n\n");
        out.append(counts.render()).append('\n');
        if (findings.length() > 0) {
            out.append(findings).append('\n');
        }
        out.append(String.format(Locale.ROOT, "Direct call in the same scenario: c=32 %s req/s, p50 %s, p99 %s; "
                        + "streams TTFE %s.%n%n", Md.count(num(m, "direct", "non_stream", "requests_per_second")),
                Md.us(num(m, "direct", "non_stream", "latency_us", "p50")),
                Md.us(num(m, "direct", "non_stream", "latency_us", "p99")), ttfe(obj(m, "direct", "stream"))));
        return out.toString();
    }

    private static String warmUp(JsonObject warmUp) {
        if (warmUp == null) {
            return Md.NA;
        }
        Double share = num(warmUp, "jit_share_last_slice");
        return String.format(Locale.ROOT, "%s s (%s%s)", warmUp.getValue("seconds"), Md.percent(share),
                Boolean.TRUE.equals(warmUp.getBoolean("settled")) ? "" : ", not settled");
    }

    private static String cpuShare(JsonObject byThread, String group) {
        return Md.count(num(byThread, group, "us_per_request"));
    }

    private static String figure(Double value, String unit) {
        return switch (unit) {
            case "us" -> Md.us(value);
            case "ms" -> Md.ms(value);
            default -> Md.count(value);
        };
    }

    private static String signedPercent(Double value) {
        return value == null || value.isNaN() ? Md.NA : String.format(Locale.ROOT, "%+.1f%%", value);
    }

    private static String percent1(Double value) {
        return value == null || value.isNaN() ? Md.NA : String.format(Locale.ROOT, "%.1f%%", value);
    }

    private static String stop(JsonObject stop) {
        if (stop == null) {
            return Md.NA;
        }
        return Boolean.TRUE.equals(stop.getBoolean("graceful"))
                ? String.format(Locale.ROOT, "%.2f s, exit %s", num(stop, "seconds"), stop.getValue("exit_code"))
                : "**killed** after " + String.format(Locale.ROOT, "%.0f s", num(stop, "seconds"));
    }
}
