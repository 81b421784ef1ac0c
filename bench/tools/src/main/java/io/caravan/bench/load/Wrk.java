package io.caravan.bench.load;

import io.caravan.bench.proc.ManagedProcess;
import io.caravan.bench.target.Route;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs wrk (Debian's package) with bench/wrk/post.lua for non-stream load and parses its JSON summary. */
public final class Wrk {
    private static final String MARKER = "WRK_JSON ";

    private final Path script;
    private final Path workDir;
    private final Path pidsFile;
    private int runs;

    public Wrk(Path script, Path workDir, Path pidsFile) {
        this.script = script;
        this.workDir = workDir;
        this.pidsFile = pidsFile;
    }

    public WrkResult run(Route route, int connections, int seconds) throws IOException, InterruptedException {
        return run(route, connections, seconds, false);
    }

    /** A run that also counts every request it writes (see post.lua: a Lua call per request, so only on demand). */
    public WrkResult run(Route route, int connections, int seconds, boolean countSent)
            throws IOException, InterruptedException {
        Path body = workDir.resolve("body-" + route.dialect().label() + "-" + route.model() + ".json");
        Files.writeString(body, route.body(false));
        int threads = Math.min(2, connections);
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "-d" + seconds + "s", "--timeout", "5s", "-s", script.toString(), route.endpoint().baseUrl()));
        Path log = workDir.resolve("wrk-" + (++runs) + ".log");
        ManagedProcess wrk = ManagedProcess.start("wrk", withEnv(command, route, body, countSent), workDir, log,
                pidsFile);
        int exit = wrk.waitFor(seconds + 30L);
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith(MARKER)) {
                return WrkResult.fromJson(new JsonObject(line.substring(MARKER.length())));
            }
        }
        throw new IOException("wrk exited " + exit + " without a summary:\n" + wrk.logTail(20));
    }

    /** wrk reads its parameters from the environment: pass them through env(1) so the command says it all. */
    private static List<String> withEnv(List<String> command, Route route, Path body, boolean countSent) {
        List<String> full = new ArrayList<>(List.of("env",
                "BENCH_PATH=" + route.path(false),
                "BENCH_BODY_FILE=" + body,
                "BENCH_HEADERS=" + headerLines(route.headers()),
                "BENCH_COUNT_SENT=" + (countSent ? "1" : "0")));
        full.addAll(command);
        return full;
    }

    /** The headers as post.lua reads them: one "Name: value" per line. */
    static String headerLines(Map<String, String> headers) {
        StringBuilder lines = new StringBuilder();
        headers.forEach((name, value) -> lines.append(name).append(": ").append(value).append('\n'));
        return lines.toString();
    }
}
