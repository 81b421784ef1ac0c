package io.caravan.e2e;

import io.caravan.CaravanMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as a process of its own (this test class path, {@link CaravanMain}), for what only a real process
 * shows: a real SIGTERM, a {@code kill -9}. Its output goes to a temporary file, read by {@link #output()}.
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int port;

    private GatewayProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** Starts the gateway on a free loopback port with these {@code -D} settings and waits until it is healthy. */
    static GatewayProcess start(String... settings) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path output = Files.createTempFile("caravan-process", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dcamel.server.port=" + port, "-Dcamel.server.host=127.0.0.1"));
        for (String setting : settings) {
            command.add("-D" + setting);
        }
        command.add(CaravanMain.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        GatewayProcess gateway = new GatewayProcess(process, output, port);
        gateway.awaitHealthy();
        return gateway;
    }

    RawClient client() {
        return new RawClient("http://127.0.0.1:" + port, HttpClient.Version.HTTP_1_1);
    }

    Process process() {
        return process;
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    /** SIGTERM, then waits (bounded) for the process to exit; whether it did. */
    boolean terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitHealthy() throws Exception {
        RawClient client = client();
        for (int i = 0; i < 300 && process.isAlive(); i++) {
            try {
                if (client.get("/healthz").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway process did not start:\n" + output());
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(output);
    }
}
