package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.demo.DemoModelServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/caravan.jar} started as users start it, from a directory that is not the repository: the
 * defaults come from inside the jar, a settings file in the working directory (or named by {@code -Dcaravan.config})
 * overrides them, {@code -D} overrides both, and a typo stops the start. Runs after {@code package} (the pom runs it
 * in the integration-test phase, when the jar exists).
 */
class JarProcessTest {

    private static final Path JAR = Path.of("target", "caravan.jar").toAbsolutePath();

    @TempDir
    Path workingDirectory;

    private Process gateway;
    private Path output;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroy();
            if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    @Test
    void theJarRunsFromAnyDirectoryOnItsOwnDefaults() throws Exception {
        int port = freePort();
        start("-Dcamel.server.port=" + port);

        RawClient client = awaitHealthy(port);
        // No credentials file and no key in the environment: the default caravan.demo=auto serves the demo model.
        assertTrue(client.get("/v1/models").body().contains(DemoModelServer.MODEL), log());
    }

    @Test
    void aSettingsFileInTheWorkingDirectoryOverridesTheDefaultsAndDashDOverridesTheFile() throws Exception {
        int port = freePort();
        Files.writeString(workingDirectory.resolve("application.properties"),
                "camel.server.port = " + port + "\ncaravan.demo = off\n");
        start("-Dcaravan.demo=on");

        RawClient client = awaitHealthy(port);
        assertTrue(client.get("/v1/models").body().contains(DemoModelServer.MODEL), "-D wins over the file: " + log());
    }

    @Test
    void theSettingsFileCanBeNamedWithCaravanConfig() throws Exception {
        int port = freePort();
        Path elsewhere = Files.createDirectory(workingDirectory.resolve("elsewhere")).resolve("gateway.properties");
        Files.writeString(elsewhere, "camel.server.port = " + port + "\n");
        Files.writeString(workingDirectory.resolve("application.properties"), "camel.server.port = 1\n");
        start("-Dcaravan.config=" + elsewhere);

        awaitHealthy(port);
    }

    @Test
    void aTypoInTheSettingsFileStopsTheStartWithOneErrorNamingIt() throws Exception {
        Files.writeString(workingDirectory.resolve("application.properties"),
                "camel.server.port = " + freePort() + "\ncaravan.timeout.conect-ms = 5000\n");
        start();

        assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "the process gave up: " + log());
        assertNotEquals(0, gateway.exitValue(), log());
        String log = log();
        assertEquals(1, log.lines().filter(line -> line.contains("ERROR")).count(), log);
        assertTrue(log.contains("ERROR caravan - Caravan cannot start: Invalid setting caravan.timeout.conect-ms: "
                + "unknown setting"), log);
        assertTrue(log.lines().noneMatch(line -> line.startsWith("\tat ")), "no stack trace: " + log);
    }

    private void start(String... systemProperties) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by mvn package (this test runs after it)");
        output = workingDirectory.resolve("gateway.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(systemProperties));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        // The developer's own keys would join the pool and switch the demo off.
        environment.remove("OPENAI_API_KEY");
        environment.remove("ANTHROPIC_API_KEY");
        environment.remove("CARAVAN_CLIENT_KEYS");
        gateway = builder.start();
    }

    private RawClient awaitHealthy(int port) throws Exception {
        RawClient client = new RawClient("http://127.0.0.1:" + port, HttpClient.Version.HTTP_1_1);
        for (int i = 0; i < 300 && gateway.isAlive(); i++) {
            try {
                if (client.get("/healthz").statusCode() == 200) {
                    return client;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway did not answer on port " + port + ":\n" + log());
    }

    private String log() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
