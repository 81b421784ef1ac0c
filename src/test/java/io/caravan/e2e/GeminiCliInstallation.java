package io.caravan.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Gemini CLI the end-to-end tests run, npm's {@code @google/gemini-cli} at the version pinned in the
 * project-local prefix {@code .ci/node} (its {@code package.json} and lock file, beside Codex CLI). {@code .ci/run}
 * installs it before the build; a developer's first {@code mvn verify} installs it here with npm when it is missing
 * (once; later runs need no network). Without npm on the machine the Gemini CLI tests are skipped with a message
 * saying how to install it, so that {@code mvn -B verify} still works on a machine with only a JDK and Maven; where
 * the client is required ({@code -Dgemini.cli.required=true}, as {@code .ci/run} sets) its absence fails them
 * instead.
 */
final class GeminiCliInstallation {

    /** The version the tests were written against; the lock file in {@code .ci/node} pins the same. */
    static final String VERSION = "0.61.0";

    /**
     * The npm prefix holding the pinned client; the pom sets it to the checkout's {@code .ci/node}. Not a
     * {@code caravan.*} name: the gateway the tests boot refuses system properties of its own namespace it does not
     * know.
     */
    static final String PREFIX_PROPERTY = "gemini.cli.prefix";
    /** {@code true}: a missing client fails the tests instead of skipping them. */
    static final String REQUIRED_PROPERTY = "gemini.cli.required";

    private static final Path DEFAULT_PREFIX = Path.of(".ci", "node");
    private static final long VERSION_TIMEOUT_SECONDS = 30;
    /** npm installs both pinned clients of the prefix: Codex's native binary is the large part. */
    private static final long INSTALL_TIMEOUT_SECONDS = 600;

    /** What {@link #locate} found, once per test run. */
    private static Outcome outcome;

    /** The executable, or why there is none and whether that skips the tests or fails them. */
    private record Outcome(Path binary, String absence, boolean fails) {
    }

    private GeminiCliInstallation() {
    }

    /**
     * The {@code gemini} executable at {@link #VERSION}, installed first if missing. Call it before each test (not
     * once for the class), so that a skip is counted for every test it stops: a skipped class alone counts none.
     */
    static synchronized Path require() {
        if (outcome == null) {
            outcome = locate();
        }
        if (outcome.fails()) {
            throw new AssertionError(outcome.absence());
        }
        Assumptions.assumeTrue(outcome.binary() != null, outcome.absence());
        return outcome.binary();
    }

    private static Outcome locate() {
        Path prefix = Path.of(System.getProperty(PREFIX_PROPERTY, DEFAULT_PREFIX.toString())).toAbsolutePath();
        Path gemini = prefix.resolve("node_modules").resolve(".bin").resolve("gemini");
        // the CLI's package declares engines.node >= 20; an older Node fails to run it rather than to install it
        String howToInstall = "Install Node.js 20 or later with npm, then run: npm install --prefix " + prefix;
        if (hasVersion(gemini)) {
            return new Outcome(gemini, null, false);
        }
        if (!npmPresent()) {
            return new Outcome(null, "Gemini CLI " + VERSION + " is not installed at " + gemini
                    + " and npm is not on the PATH. " + howToInstall, Boolean.getBoolean(REQUIRED_PROPERTY));
        }
        String npmOutput = install(prefix);
        if (!hasVersion(gemini)) {
            return new Outcome(null, "npm install --prefix " + prefix + " did not leave Gemini CLI " + VERSION
                    + " runnable at " + gemini + ". npm said:\n" + npmOutput + "\n" + howToInstall, true);
        }
        return new Outcome(gemini, null, false);
    }

    private static boolean hasVersion(Path gemini) {
        if (!Files.isExecutable(gemini)) {
            return false;
        }
        try {
            return run(List.of(gemini.toString(), "--version"), VERSION_TIMEOUT_SECONDS).trim().equals(VERSION);
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
    private static String install(Path prefix) {
        System.err.println("Installing Gemini CLI " + VERSION + " into " + prefix + " with npm (first run only)");
        try {
            return run(List.of("npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund"),
                    INSTALL_TIMEOUT_SECONDS);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Runs a command to its end within the bound and returns its output (stdout and stderr together). */
    private static String run(List<String> command, long timeoutSeconds) throws IOException {
        Path output = Files.createTempFile("caravan-gemini-install", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Process process = builder.start();
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
