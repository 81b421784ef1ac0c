package io.caravan.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One headless {@code gemini -p PROMPT -m MODEL --output-format json} run against the gateway, the way a user sets
 * up Gemini CLI for a gateway: {@code GOOGLE_GEMINI_BASE_URL} is the gateway's address (the CLI's Gemini API
 * client appends {@code /v1beta/models/MODEL:streamGenerateContent?alt=sse}), {@code GEMINI_API_KEY} holds the
 * gateway's client key (sent as {@code x-goog-api-key}), and {@code ~/.gemini/settings.json} selects API-key
 * authentication ({@code security.auth.selectedType = "gemini-api-key"}).
 *
 * <p>Everything the CLI keeps lives in a home directory of the test's ({@code HOME}; its temporary files, such as
 * the error reports it writes to the system's temporary directory, under {@code TMPDIR}), the process sees no
 * variable of the developer's but {@code PATH}, and the settings switch off what would reach beyond 127.0.0.1:
 * usage statistics (Clearcut uploads to {@code play.googleapis.com}), telemetry, and the update check; the CLI
 * retries nothing. The workspace is trusted for the run ({@code GEMINI_CLI_TRUST_WORKSPACE}), as headless use
 * needs. Any request the CLI still made to another host would go to the {@link GeminiCliOutboundTrap} it is given
 * as its proxy.
 */
final class GeminiCliRun {

    /** Where the CLI reads the key for {@code gemini-api-key} authentication. */
    static final String API_KEY_VARIABLE = "GEMINI_API_KEY";
    /** The Gemini API's base URL for the CLI (its documentation allows plain http for loopback only). */
    static final String BASE_URL_VARIABLE = "GOOGLE_GEMINI_BASE_URL";

    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(90);

    /**
     * The user settings: API-key authentication chosen up front (headless mode cannot ask), the CLI's own traffic
     * to Google switched off, and one attempt per request ({@code general.maxAttempts}; 10 by default, with
     * backoff), so that a gateway fault fails the turn at once instead of after minutes of retries. An answer the CLI
     * finds incomplete (no finish reason) is then counted as an error in its stats rather than retried.
     */
    private static final String SETTINGS = """
            {
              "security": {"auth": {"selectedType": "gemini-api-key"}},
              "privacy": {"usageStatisticsEnabled": false},
              "telemetry": {"enabled": false},
              "general": {"enableAutoUpdate": false, "enableAutoUpdateNotification": false, "maxAttempts": 1}
            }
            """;

    private final Path gemini;
    private final Path root;
    private final String gatewayBaseUrl;
    private final String model;
    private final String proxyUrl;

    /**
     * @param gemini         the executable ({@link NpmCliInstallation#require()})
     * @param root           a directory of the test's own: the CLI's home, temporary directory and workspace go
     *                       below it
     * @param gatewayBaseUrl {@code http://127.0.0.1:PORT}
     * @param model          the model the CLI asks for ({@code -m})
     * @param proxyUrl       where any request to a host other than loopback goes ({@link GeminiCliOutboundTrap})
     */
    GeminiCliRun(Path gemini, Path root, String gatewayBaseUrl, String model, String proxyUrl) {
        this.gemini = gemini;
        this.root = root;
        this.gatewayBaseUrl = gatewayBaseUrl;
        this.model = model;
        this.proxyUrl = proxyUrl;
    }

    /** The directory the CLI runs in: its workspace, the one folder its file tools may read. */
    Path workspace() throws IOException {
        return Files.createDirectories(root.resolve("workspace"));
    }

    /** Runs one headless turn with this prompt to its end (bounded; the process tree is killed in any case). */
    GeminiCliResult run(String prompt) throws IOException, InterruptedException {
        Path home = Files.createDirectories(root.resolve("home"));
        Path settings = Files.createDirectories(home.resolve(".gemini")).resolve("settings.json");
        Files.writeString(settings, SETTINGS);
        Path temporary = Files.createDirectories(root.resolve("tmp"));
        Path workspace = workspace();
        Path stdout = root.resolve("gemini.stdout");
        Path stderr = root.resolve("gemini.stderr");

        List<String> command = List.of(gemini.toString(), "-p", prompt, "-m", model, "--output-format", "json");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        environment.clear();
        environment.put("PATH", path);
        environment.put("HOME", home.toString());
        environment.put("TMPDIR", temporary.toString());
        environment.put(API_KEY_VARIABLE, TestGateway.CLIENT_KEY);
        environment.put(BASE_URL_VARIABLE, gatewayBaseUrl);
        environment.put("GEMINI_CLI_TRUST_WORKSPACE", "true");
        environment.put("HTTPS_PROXY", proxyUrl);
        environment.put("HTTP_PROXY", proxyUrl);
        environment.put("NO_PROXY", "127.0.0.1,localhost");

        Process process = builder.start();
        boolean finished;
        try {
            // a piped standard input is read as part of the prompt: the CLI must see its end at once
            process.getOutputStream().close();
            finished = process.waitFor(TURN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            ProcessTree.kill(process);
        }
        return new GeminiCliResult(finished ? process.exitValue() : GeminiCliResult.TIMED_OUT,
                Files.readString(stdout), Files.readString(stderr));
    }
}
