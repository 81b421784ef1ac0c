package io.caravan.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One headless {@code codex exec} turn against the gateway, the way a user configures Codex for a gateway: a custom
 * model provider in {@code config.toml} whose {@code base_url} is the gateway's {@code /v1}, {@code wire_api =
 * "responses"}, and the gateway's client key in the environment variable the provider names.
 *
 * <p>Everything Codex keeps lives in a home directory of the test's ({@code HOME} and {@code CODEX_HOME}), the
 * process sees no variable of the developer's but {@code PATH}, and the configuration switches off what would
 * reach beyond 127.0.0.1 (analytics; the plug-in catalogue, which clones from and queries public hosts; the update
 * check). Codex retries nothing, so that a gateway fault fails the turn at once instead of after its reconnects.
 */
final class CodexExec {

    /** The provider's {@code env_key}: Codex sends its value as {@code Authorization: Bearer}. */
    static final String API_KEY_VARIABLE = "CARAVAN_API_KEY";
    /** The provider's id in {@code config.toml}, shown by Codex as "provider:". */
    static final String PROVIDER = "caravan";

    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(90);

    private final Path codex;
    private final Path root;
    private final String gatewayBaseUrl;
    private final String model;
    private Transport transport = Transport.HTTP;
    private boolean functionToolsOnly;

    /**
     * @param codex          the executable ({@link NpmCliInstallation#require()})
     * @param root           a directory of the test's own: Codex's home and workspace go below it
     * @param gatewayBaseUrl {@code http://127.0.0.1:PORT}
     * @param model          the model Codex asks for
     */
    CodexExec(Path codex, Path root, String gatewayBaseUrl, String model) {
        this.codex = codex;
        this.root = root;
        this.gatewayBaseUrl = gatewayBaseUrl;
        this.model = model;
    }

    /** How Codex reaches {@code /v1/responses}: the provider's {@code supports_websockets} decides. */
    enum Transport {
        /** {@code POST /v1/responses}, streamed as server-sent events. */
        HTTP,
        /**
         * {@code GET /v1/responses} upgraded to a WebSocket ({@code OpenAI-Beta: responses_websockets=…}), one
         * {@code response.create} frame per request; Codex falls back to HTTP when the upgrade is refused.
         */
        WEBSOCKET
    }

    CodexExec over(Transport chosen) {
        transport = chosen;
        return this;
    }

    /**
     * Switches off the tools of Codex's that are not functions: its hosted web search ({@code web_search}) and its
     * sub-agent tools, which it declares as one {@code namespace} tool. A credential that speaks Chat Completions
     * or Anthropic Messages can carry function tools only, and the gateway refuses the others with a 400 rather
     * than drop them, so this is how a user sets up Codex for a gateway whose credentials are of those kinds.
     */
    CodexExec functionToolsOnly() {
        functionToolsOnly = true;
        return this;
    }

    /** Runs one turn with this prompt to its end (bounded; the process tree is killed in any case). */
    CodexResult run(String prompt) throws IOException, InterruptedException {
        Path home = Files.createDirectories(root.resolve("home"));
        Path codexHome = Files.createDirectories(home.resolve(".codex"));
        Path workspace = Files.createDirectories(root.resolve("workspace"));
        Files.writeString(codexHome.resolve("config.toml"), config());
        Path stdout = root.resolve("codex.stdout");
        Path stderr = root.resolve("codex.stderr");

        List<String> command = new ArrayList<>(List.of(codex.toString(), "exec",
                // fail on a configuration key this version does not know, rather than run without it
                "--strict-config",
                "--skip-git-repo-check", "--ephemeral", "--color", "never", "--cd", workspace.toString(), prompt));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        environment.clear();
        environment.put("PATH", path);
        environment.put("HOME", home.toString());
        environment.put("CODEX_HOME", codexHome.toString());
        environment.put(API_KEY_VARIABLE, TestGateway.CLIENT_KEY);

        Process process = builder.start();
        boolean finished;
        try {
            // Codex appends piped standard input to the prompt: it must see the end of it at once.
            process.getOutputStream().close();
            finished = process.waitFor(TURN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            ProcessTree.kill(process);
        }
        return new CodexResult(finished ? process.exitValue() : CodexResult.TIMED_OUT, Files.readString(stdout),
                Files.readString(stderr));
    }

    private String config() {
        return String.join("\n",
                "model = " + quoted(model),
                "model_provider = " + quoted(PROVIDER),
                // exec never asks; the read-only sandbox still lets the agent run a command that only prints
                "approval_policy = \"never\"",
                "sandbox_mode = \"read-only\"",
                "check_for_update_on_startup = false",
                functionToolsOnly ? "web_search = \"disabled\"" : "",
                "",
                "[analytics]",
                "enabled = false",
                "",
                "[features]",
                "plugins = false",
                functionToolsOnly ? "multi_agent = false" : "",
                "",
                "[model_providers." + PROVIDER + "]",
                "name = \"Caravan\"",
                "base_url = " + quoted(gatewayBaseUrl + "/v1"),
                "env_key = " + quoted(API_KEY_VARIABLE),
                "wire_api = \"responses\"",
                "supports_websockets = " + (transport == Transport.WEBSOCKET),
                "request_max_retries = 0",
                "stream_max_retries = 0",
                "");
    }

    /** A TOML basic string; the values written here are URLs and model names the tests choose. */
    private static String quoted(String value) {
        if (value.contains("\"") || value.contains("\\")) {
            throw new IllegalArgumentException("not written as a TOML string here: " + value);
        }
        return "\"" + value + "\"";
    }
}
