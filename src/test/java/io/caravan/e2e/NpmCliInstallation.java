package io.caravan.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line client the end-to-end tests run, from npm at the version pinned in the project-local prefix
 * {@code .ci/node} (its {@code package.json} and lock file pin every such client: Codex CLI and Gemini CLI).
 * {@code .ci/run} installs them before the build; a developer's first {@code mvn verify} installs them here with npm
 * when one is missing (once; later runs need no network). Without npm on the machine a client's tests are skipped with
 * a message saying how to install it, so that {@code mvn -B verify} still works on a machine with only a JDK and
 * Maven; where the client is required ({@code -D<name>.cli.required=true}, as {@code .ci/run} sets) its absence
 * fails them instead.
 */
final class NpmCliInstallation {

    /** npm's {@code @openai/codex}; {@code codex --version} says {@code codex-cli 0.169.0}. */
    static final NpmCliInstallation CODEX = new NpmCliInstallation("Codex CLI", "codex", "0.169.0", "codex-cli ");
    /** npm's {@code @google/gemini-cli}; {@code gemini --version} says the bare version. */
    static final NpmCliInstallation GEMINI = new NpmCliInstallation("Gemini CLI", "gemini", "0.61.0", "");

    private static final Path DEFAULT_PREFIX = Path.of(".ci", "node");
    private static final long VERSION_TIMEOUT_SECONDS = 30;
    /** A first install downloads Codex's native client for this platform (about 400 MB unpacked). */
    private static final long INSTALL_TIMEOUT_SECONDS = 600;

    private final String displayName;
    private final String command;
    private final String version;
    private final String versionLinePrefix;
    /** What {@link #locate} found, once per test run. */
    private Outcome outcome;

    /** The executable, or why there is none and whether that skips the tests or fails them. */
    private record Outcome(Path binary, String absence, boolean fails) {
    }

    private NpmCliInstallation(String displayName, String command, String version, String versionLinePrefix) {
        this.displayName = displayName;
        this.command = command;
        this.version = version;
        this.versionLinePrefix = versionLinePrefix;
    }

    /** The version the tests were written against; the lock file in {@code .ci/node} pins the same. */
    String version() {
        return version;
    }

    /**
     * The npm prefix holding the pinned client; the pom sets it to the checkout's {@code .ci/node}. Not a
     * {@code caravan.*} name: the gateway the tests boot refuses system properties of its own namespace it does not
     * know.
     */
    String prefixProperty() {
        return command + ".cli.prefix";
    }

    /** {@code true}: a missing client fails the tests instead of skipping them. */
    String requiredProperty() {
        return command + ".cli.required";
    }

    /**
     * The executable at {@link #version()}, installed first if missing. Call it before each test (not once for the
     * class), so that a skip is counted for every test it stops: a skipped class alone counts none.
     */
    synchronized Path require() {
        if (outcome == null) {
            outcome = locate();
        }
        if (outcome.fails()) {
            throw new AssertionError(outcome.absence());
        }
        Assumptions.assumeTrue(outcome.binary() != null, outcome.absence());
        return outcome.binary();
    }

    private Outcome locate() {
        Path prefix = Path.of(System.getProperty(prefixProperty(), DEFAULT_PREFIX.toString())).toAbsolutePath();
        Path binary = prefix.resolve("node_modules").resolve(".bin").resolve(command);
        // Gemini CLI's package declares engines.node >= 20: an older Node fails to run it rather than to install it.
        String howToInstall = "Install Node.js 20 or later with npm, then run: npm install --prefix " + prefix;
        if (hasVersion(binary)) {
            return new Outcome(binary, null, false);
        }
        if (!npmPresent()) {
            return new Outcome(null, displayName + " " + version + " is not installed at " + binary
                    + " and npm is not on the PATH. " + howToInstall, Boolean.getBoolean(requiredProperty()));
        }
        String npmOutput = install(prefix);
        if (!hasVersion(binary)) {
            return new Outcome(null, "npm install --prefix " + prefix + " did not leave " + displayName + " " + version
                    + " runnable at " + binary + ". npm said:\n" + npmOutput + "\n" + howToInstall, true);
        }
        return new Outcome(binary, null, false);
    }

    private boolean hasVersion(Path binary) {
        if (!Files.isExecutable(binary)) {
            return false;
        }
        try {
            return run(List.of(binary.toString(), "--version"), VERSION_TIMEOUT_SECONDS).trim()
                    .equals(versionLinePrefix + version);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean npmPresent() {
        try {
            run(List.of("npm", "--version"), VERSION_TIMEOUT_SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Installs what {@code prefix/package.json} pins (the lock file's exact versions); returns npm's output. */
    private String install(Path prefix) {
        System.err.println("Installing " + displayName + " " + version + " into " + prefix
                + " with npm (first run only)");
        try {
            return run(List.of("npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund"),
                    INSTALL_TIMEOUT_SECONDS);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Runs a command to its end within the bound and returns its output (stdout and stderr together). */
    private static String run(List<String> command, long timeoutSeconds) throws IOException {
        Path output = Files.createTempFile("caravan-npm-cli", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            try {
                process.getOutputStream().close();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds
                            + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + String.join(" ", command), e);
            } finally {
                ProcessTree.kill(process);
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
