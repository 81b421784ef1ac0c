package io.caravan.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options, as bench/run.sh passes them. */
public record BenchOptions(boolean quick, boolean streamsOnly, boolean throughputOnly, boolean responsesOnly,
                           boolean geminiOnly, boolean meteringOnly, int soakMinutes, Path benchDir, Path repoDir, Path workDir,
                           Path pidsFile, Path upstreamBinary, Path nginxBinary, Path gatewayJar,
                           String gatewayUnavailableReason,
                           List<String> gatewayJvmOptions, int portBase) {

    static BenchOptions parse(String[] args) {
        boolean quick = false;
        boolean streamsOnly = false;
        boolean throughputOnly = false;
        boolean responsesOnly = false;
        boolean geminiOnly = false;
        boolean meteringOnly = false;
        int soak = 10;
        Path bench = null, repo = null, work = null, pids = null, upstream = null, jar = null;
        Path nginx = Path.of("nginx");
        String unavailable = null;
        List<String> jvm = new ArrayList<>(List.of("-Xms64m", "-Xmx512m"));
        int portBase = 9101;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--streams-only" -> streamsOnly = true;
                case "--throughput-only" -> throughputOnly = true;
                case "--responses-only" -> responsesOnly = true;
                case "--gemini-only" -> geminiOnly = true;
                case "--metering-only" -> meteringOnly = true;
                case "--soak-minutes" -> { soak = Integer.parseInt(value); i++; }
                case "--bench-dir" -> { bench = Path.of(value); i++; }
                case "--repo-dir" -> { repo = Path.of(value); i++; }
                case "--work-dir" -> { work = Path.of(value); i++; }
                case "--pids-file" -> { pids = Path.of(value); i++; }
                case "--upstream-bin" -> { upstream = Path.of(value); i++; }
                case "--nginx-bin" -> { nginx = Path.of(value); i++; }
                case "--gateway-jar" -> { jar = Path.of(value); i++; }
                case "--gateway-unavailable" -> { unavailable = value; i++; }
                case "--gateway-jvm-options" -> {
                    jvm = value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
                    i++;
                }
                case "--port-base" -> { portBase = Integer.parseInt(value); i++; }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (bench == null || repo == null || work == null || pids == null || upstream == null) {
            throw new IllegalArgumentException(
                    "needs --bench-dir, --repo-dir, --work-dir, --pids-file and --upstream-bin (run bench/run.sh)");
        }
        if (jar == null && unavailable == null) {
            unavailable = "no --gateway-jar given";
        }
        boolean oneScenario = streamsOnly || throughputOnly || responsesOnly || geminiOnly || meteringOnly;
        return new BenchOptions(quick, streamsOnly, throughputOnly, responsesOnly, geminiOnly, meteringOnly,
                quick || oneScenario ? 0 : soak,
                bench, repo, work, pids, upstream, nginx, jar, unavailable, List.copyOf(jvm), portBase);
    }

    /** True when every scenario runs (not --quick and not one of the single-scenario modes). */
    public boolean fullRun() {
        return !quick && !oneScenario();
    }

    /** True in the modes that run one scenario alone, for A/B runs of one change. */
    public boolean oneScenario() {
        return streamsOnly || throughputOnly || responsesOnly || geminiOnly || meteringOnly;
    }

    /** True when a path comparison (Responses, Gemini) runs alone: it warms its own paths. */
    public boolean comparisonOnly() {
        return responsesOnly || geminiOnly;
    }

    /** The run's name: the report's file prefix and the mode in its title. */
    public String modeName() {
        return quick ? "quick" : streamsOnly ? "streams" : throughputOnly ? "throughput"
                : responsesOnly ? "responses" : geminiOnly ? "gemini" : meteringOnly ? "metering" : "full";
    }

    public int upstreamPort() {
        return portBase;
    }

    public int nginxPort() {
        return portBase + 1;
    }

    public int gatewayPort() {
        return portBase + 2;
    }

    /** The port of the metering scenario's gateways, each started fresh (the main gateway may still be up). */
    public int meteringGatewayPort() {
        return portBase + 3;
    }
}
