package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway as a process of its own, stopped with a real SIGTERM: the open stream ends in-band, the JVM exits. */
class SigtermProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG_ANSWER = IntStream.range(0, 200).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));

    @TempDir
    Path state;

    @Test
    void aRealSigtermEndsTheOpenStreamWithAnInBandErrorAndTheProcessExits() throws Exception {
        Path credentials = state.resolve("credentials.yaml");
        try (FakeUpstream upstream = FakeUpstream.openAi()) {
            Files.writeString(credentials, "credentials:\n  - name: openai\n    kind: openai\n    base-url: " + upstream.baseUrl()
                    + "\n    api-key: " + upstream.apiKey() + "\n    models: [m]\n");
            try (GatewayProcess gateway = GatewayProcess.start("caravan.credentials-file=" + credentials,
                    "caravan.client-keys=" + TestGateway.CLIENT_KEY, "caravan.demo=off",
                    "caravan.store.url=jdbc:sqlite:" + state.resolve("caravan.db"), "caravan.shutdown.drain-ms=1500",
                    "caravan.keep-alive-ms=200")) {
                RawClient client = gateway.client();
                upstream.enqueue(Reply.text(LONG_ANSWER).paced(Duration.ofMillis(100)));
                CompletableFuture<RawClient.Capture> stream = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.stream(RawClient.OPENAI_CHAT, RawClient.chat("m", "hi", true));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                upstream.awaitRequests(1, Duration.ofSeconds(10));
                gateway.process().destroy();

                RawClient.Capture answer = stream.get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.status());
                assertEquals(0, answer.count("data: [DONE]"), answer.text());
                List<String> data = answer.dataLines();
                JsonNode last = JSON.readTree(data.get(data.size() - 1));
                assertTrue(last.path("error").path("message").asText().contains("shutting down"), last + "\n"
                        + gateway.output());
                assertTrue(gateway.process().waitFor(30, TimeUnit.SECONDS), "the process exited");
            }
        }
    }
}
