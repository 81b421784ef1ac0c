package com.example.summaries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application booted as it runs (its Main, its application.properties), with the gateway embedded and a
 * credentials file that points it at a fake OpenAI upstream: the application's route answers on the application's
 * port through the gateway, and the gateway answers LLM clients on its own port.
 */
class SummariesAppTest {

    private static final String CLIENT_KEY = "summaries-test-client-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path directory;

    private static FakeOpenAi upstream;
    private static Main app;
    private static int appPort;
    private static int gatewayPort;

    /** Once for the class: booting the application is most of the test's time. */
    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeOpenAi();
        Path credentials = directory.resolve("credentials.yaml");
        Files.writeString(credentials, "credentials:\n  - name: fake-openai\n    kind: openai\n    base-url: "
                + upstream.baseUrl() + "\n    api-key: " + FakeOpenAi.API_KEY + "\n    models: [gpt-4o-mini]\n");
        appPort = freePort();
        gatewayPort = freePort();
        Properties overrides = new Properties();
        overrides.setProperty("camel.server.port", Integer.toString(appPort));
        overrides.setProperty("caravan.server.port", Integer.toString(gatewayPort));
        overrides.setProperty("caravan.credentials-file", credentials.toString());
        overrides.setProperty("caravan.clients-file", directory.resolve("clients.yaml").toString());
        overrides.setProperty("caravan.store.url", "jdbc:sqlite:" + directory.resolve("usage.db"));
        overrides.setProperty("caravan.client-keys", CLIENT_KEY);
        overrides.setProperty("summaries.model", "gpt-4o-mini");
        overrides.setProperty("caravan.shutdown.drain-ms", "1000");
        app = SummariesApp.create(overrides);
        app.start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void theApplicationsRouteSummarisesThroughTheEmbeddedGateway() throws Exception {
        int before = upstream.bodies().size();
        HttpResponse<String> summary = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + appPort + "/summaries"))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("Caravan is an LLM API gateway on Apache Camel."))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, summary.statusCode(), summary.body());
        assertEquals(FakeOpenAi.ANSWER, summary.body());
        // Through the caravan: component, which names the model that served.
        assertEquals("gpt-4o-mini", summary.headers().firstValue(SummaryRoutes.MODEL_HEADER).orElse(null));
        assertEquals(before + 1, upstream.bodies().size());
        assertTrue(upstream.bodies().get(before).contains("Caravan is an LLM API gateway on Apache Camel."),
                upstream.bodies().get(before));
        // The gateway's credential went upstream.
        assertEquals("Bearer " + FakeOpenAi.API_KEY, upstream.authorizations().get(before));
    }

    @Test
    void theGatewayAnswersClientsOnItsOwnPort() throws Exception {
        int before = upstream.bodies().size();
        HttpResponse<String> chat = chat(gatewayPort, CLIENT_KEY);
        assertEquals(200, chat.statusCode(), chat.body());
        assertTrue(chat.body().contains(FakeOpenAi.ANSWER), chat.body());

        assertEquals(401, chat(gatewayPort, "not-a-client-key").statusCode());
        assertEquals(404, chat(appPort, CLIENT_KEY).statusCode(), "the gateway is not on the application's server");
        assertEquals(before + 1, upstream.bodies().size());
    }

    @Test
    void theApplicationKeepsItsName() {
        assertEquals("summaries", app.getCamelContext().getName());
    }

    private static HttpResponse<String> chat(int port, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
