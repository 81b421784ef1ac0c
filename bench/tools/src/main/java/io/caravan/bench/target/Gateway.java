package io.caravan.bench.target;

import io.caravan.bench.proc.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Caravan itself: java -jar target/caravan.jar from the repository top level, pointed at the fake upstream
 * through a generated credentials file, with its callers and metering as {@link GatewaySettings} says. Start-up
 * time is from process launch to the first answered POST.
 * Each model has one credential: {@link #OPENAI_MODEL} a Chat Completions one, {@link #ANTHROPIC_MODEL} an
 * Anthropic one, {@link #RESPONSES_MODEL} an OpenAI one that also serves the Responses API (POST /v1/responses is
 * passed through to it; for the other two the gateway translates), {@link #GEMINI_MODEL} a Gemini one (Gemini
 * requests are passed through to it, the others translated).
 */
public final class Gateway {
    public static final String CLIENT_KEY = "bench-client-key";
    public static final String OPENAI_MODEL = "bench-model";
    public static final String ANTHROPIC_MODEL = "bench-claude";
    public static final String RESPONSES_MODEL = "bench-responses";
    public static final String GEMINI_MODEL = "bench-gemini";

    private final ManagedProcess process;
    private final Endpoint endpoint;
    private final double startupMillis;
    private final int probesAnswered;

    private Gateway(ManagedProcess process, String name, int port, double startupMillis, int probesAnswered) {
        this.process = process;
        this.endpoint = new Endpoint(name, port, CLIENT_KEY, () -> List.of(process.pid()));
        this.startupMillis = startupMillis;
        this.probesAnswered = probesAnswered;
    }

    /**
     * Starts the gateway with metering and limits off, as every scenario but issue 12's runs it, and waits (up to
     * timeoutSeconds) for its first 200 answer to a POST.
     */
    public static Gateway start(Path repoDir, Path jar, List<String> jvmOptions, int port, int upstreamPort,
                                Path workDir, Path pidsFile, int timeoutSeconds)
            throws IOException, InterruptedException {
        return start("gateway", GatewaySettings.meteringOff(workDir.resolve("gateway")), repoDir, jar, jvmOptions,
                port, upstreamPort, workDir, pidsFile, timeoutSeconds);
    }

    /**
     * Starts a gateway named {@code name} (its endpoint's name and its log file, {@code <name>.log}) with the
     * settings given, and waits (up to timeoutSeconds) for its first 200 answer to a POST.
     */
    public static Gateway start(String name, GatewaySettings settings, Path repoDir, Path jar,
                                List<String> jvmOptions, int port, int upstreamPort, Path workDir, Path pidsFile,
                                int timeoutSeconds)
            throws IOException, InterruptedException {
        Path credentials = writeCredentials(workDir, upstreamPort);
        List<String> command = new ArrayList<>();
        command.add("java");
        command.addAll(jvmOptions);
        // with client keys the gateway listens on every interface by default; the bench keeps to loopback
        command.add("-Dcamel.server.host=127.0.0.1");
        command.add("-Dcamel.server.port=" + port);
        command.add("-Dcaravan.credentials-file=" + credentials);
        command.addAll(settings.systemProperties());
        command.add("-jar");
        command.add(repoDir.relativize(jar.toAbsolutePath()).toString());
        ManagedProcess process = ManagedProcess.start(name, command, repoDir, workDir.resolve(name + ".log"),
                pidsFile);
        Route probe = new Route(new Endpoint(name, port, CLIENT_KEY, List::of), Dialect.OPENAI, OPENAI_MODEL);
        long deadline = process.launchedNanos() + timeoutSeconds * 1_000_000_000L;
        Http.Answer last = null;
        int answered = 0;
        while (System.nanoTime() < deadline && process.isAlive()) {
            last = Http.post(probe, false);
            if (last.answered()) {
                answered++;
            }
            if (last.ok()) {
                double millis = (System.nanoTime() - process.launchedNanos()) / 1e6;
                return new Gateway(process, name, port, millis, answered);
            }
            Thread.sleep(last.status() < 0 ? 10 : 50);
        }
        process.stop();
        throw new IOException("gateway gave no 200 answer to POST within " + timeoutSeconds + " s"
                + (last == null ? "" : " (last: " + last.summary() + ")") + "; log tail:\n" + process.logTail(30));
    }

    private static Path writeCredentials(Path workDir, int upstreamPort) throws IOException {
        Path file = workDir.resolve("credentials.yaml");
        Files.writeString(file, credentialsYaml(upstreamPort));
        return file;
    }

    /**
     * One credential per model, all pointing at the fake upstream. The Gemini base URL has no version: the gateway
     * appends /v1beta/models/... itself.
     */
    static String credentialsYaml(int upstreamPort) {
        String base = "http://127.0.0.1:" + upstreamPort;
        return """
                credentials:
                  - name: bench-openai
                    kind: openai
                    base-url: %s/v1
                    api-key: sk-bench
                    models: ["%s"]
                    max-concurrent: 4096
                    enabled: true
                  - name: bench-anthropic
                    kind: anthropic
                    base-url: %s
                    api-key: sk-ant-bench
                    models: ["%s"]
                    max-concurrent: 4096
                    enabled: true
                  - name: bench-openai-responses
                    kind: openai
                    apis: [chat, responses]
                    base-url: %s/v1
                    api-key: sk-bench-responses
                    models: ["%s"]
                    max-concurrent: 4096
                    enabled: true
                  - name: bench-gemini
                    kind: gemini
                    base-url: %s
                    api-key: bench-gemini-key
                    models: ["%s"]
                    max-concurrent: 4096
                    enabled: true
                """.formatted(base, OPENAI_MODEL, base, ANTHROPIC_MODEL, base, RESPONSES_MODEL, base, GEMINI_MODEL);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public double startupMillis() {
        return startupMillis;
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /**
     * The start-up probes the gateway answered (with any status): requests it may have metered. Probes it refused
     * at the socket never reached it.
     */
    public int probesAnswered() {
        return probesAnswered;
    }

    public void stop() {
        process.stop();
    }

    /** SIGTERM, as an operator stops it (the gateway drains and flushes what it meters), then waits for the end. */
    public ManagedProcess.Termination terminate(long timeoutSeconds) throws InterruptedException {
        return process.terminate(timeoutSeconds);
    }
}
