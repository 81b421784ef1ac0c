package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.CaravanMain;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The gateway as a process of its own, stopped with a real SIGTERM: the open stream ends in-band, the JVM exits. */
class SigtermProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG_ANSWER = IntStream.range(0, 200).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));

    @Test
    void aRealSigtermEndsTheOpenStreamWithAnInBandErrorAndTheProcessExits() throws Exception {
        Path credentials = Files.createTempFile("caravan-credentials", ".yaml");
        Path output = Files.createTempFile("caravan-process", ".log");
        Path database = Files.createTempFile("caravan-usage", ".db");
        Process gateway = null;
        try (FakeUpstream upstream = FakeUpstream.openAi()) {
            Files.writeString(credentials, "credentials:\n  - name: openai\n    kind: openai\n    base-url: " + upstream.baseUrl()
                    + "\n    api-key: " + upstream.apiKey() + "\n    models: [m]\n");
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            gateway = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dcamel.server.port=" + port, "-Dcaravan.credentials-file=" + credentials,
                    "-Dcaravan.client-keys=" + TestGateway.CLIENT_KEY, "-Dcaravan.demo=off",
                    "-Dcaravan.store.url=jdbc:sqlite:" + database, "-Dcaravan.shutdown.drain-ms=1500", "-Dcaravan.keep-alive-ms=200", CaravanMain.class.getName())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            RawClient client = new RawClient("http://127.0.0.1:" + port, HttpClient.Version.HTTP_1_1);
            awaitHealthy(client, gateway);

            upstream.enqueue(Reply.text(LONG_ANSWER).paced(Duration.ofMillis(100)));
            CompletableFuture<RawClient.Capture> stream = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.stream(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            upstream.awaitRequests(1, Duration.ofSeconds(10));
            gateway.destroy();

            RawClient.Capture answer = stream.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.status());
            assertEquals(0, answer.count("data: [DONE]"), answer.text());
            List<String> data = answer.dataLines();
            JsonNode last = JSON.readTree(data.get(data.size() - 1));
            assertTrue(last.path("error").path("message").asText().contains("shutting down"), last + "\n"
                    + Files.readString(output));
            assertTrue(gateway.waitFor(30, TimeUnit.SECONDS), "the process exited");
        } finally {
            if (gateway != null && gateway.isAlive()) {
                gateway.destroyForcibly();
            }
            Files.deleteIfExists(credentials);
            Files.deleteIfExists(output);
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(database + suffix));
            }
        }
    }

    private static void awaitHealthy(RawClient client, Process gateway) throws Exception {
        for (int i = 0; i < 300 && gateway.isAlive(); i++) {
            try {
                if (client.get("/healthz").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway process did not start");
    }
}
