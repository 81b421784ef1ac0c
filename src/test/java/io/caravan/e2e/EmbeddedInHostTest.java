package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.CaravanConfiguration;
import io.caravan.server.NonBlockingHttpEngine;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.LogCapture;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Caravan added to a camel-main application of someone else's, the one way the README says: the Caravan jar on the
 * classpath and {@code camel.main.configuration-classes = io.caravan.CaravanConfiguration} in the application's
 * settings. The application keeps its own name, its own HTTP server on {@code camel.server.port} with its own
 * {@code platform-http} route on it, and its own stream caching; the gateway answers on {@code caravan.server.port}
 * (a random one here) and nowhere else, from the application's {@code caravan.*} settings with the jar's defaults
 * beneath them.
 */
class EmbeddedInHostTest {

    private static final String CLIENT_KEY = "host-app-client-key-0123456789";
    private static final String LISTENING = "Caravan listening on http://127.0.0.1:";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static FakeUpstream upstream;
    private static Path directory;
    private static Main host;
    private static int hostPort;
    private static int gatewayPort;

    /** Once for the class: no test changes the host or the gateway. */
    @BeforeAll
    static void startHostWithCaravan() throws Exception {
        upstream = FakeUpstream.openAi();
        directory = Files.createTempDirectory("caravan-host");
        Path credentials = directory.resolve("credentials.yaml");
        Files.writeString(credentials, "credentials:\n  - name: upstream\n    kind: openai\n    base-url: "
                + upstream.baseUrl() + "\n    api-key: " + upstream.apiKey() + "\n    models: [gpt-4o-mini]\n");
        hostPort = freePort();
        Path settings = directory.resolve("application.properties");
        Files.writeString(settings, String.join("\n",
                "camel.main.name = host-app",
                "camel.main.configuration-classes = " + CaravanConfiguration.class.getName(),
                "camel.server.enabled = true",
                "camel.server.host = 127.0.0.1",
                "camel.server.port = " + hostPort,
                "caravan.server.host = 127.0.0.1",
                // A random port: the gateway's listeners pick a free one, which the start-up report names.
                "caravan.server.port = 0",
                "caravan.client-keys = " + CLIENT_KEY,
                "caravan.credentials-file = " + credentials,
                "caravan.clients-file = " + directory.resolve("clients.yaml"),
                "caravan.store.url = jdbc:sqlite:" + directory.resolve("caravan.db"),
                "caravan.demo = off",
                "caravan.shutdown.drain-ms = 1000",
                ""));
        host = new Main();
        host.setDefaultPropertyPlaceholderLocation("file:" + settings);
        host.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/hello?httpMethodRestrict=GET").routeId("host-hello")
                        .setBody(constant("hello from the host"));
            }
        });
        try (LogCapture log = LogCapture.capture()) {
            host.start();
            String listening = log.awaitLine("caravan", LISTENING, Duration.ofSeconds(30));
            gatewayPort = Integer.parseInt(listening.substring(listening.indexOf(LISTENING) + LISTENING.length()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        TestGateway.closeAll(host == null ? null : (AutoCloseable) host::stop, upstream);
        if (directory != null) {
            try (var paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void theHostsRouteAnswersOnTheHostsPortAndTheGatewayOnItsOwn() throws Exception {
        int before = upstream.requestCount();
        HttpResponse<String> hello = get(hostPort, "/hello", null);
        assertEquals(200, hello.statusCode());
        assertEquals("hello from the host", hello.body());

        HttpResponse<String> chat = chat(gatewayPort, CLIENT_KEY);
        assertEquals(200, chat.statusCode(), chat.body());
        assertTrue(chat.body().contains("Hello from " + upstream.name()), chat.body());
        assertEquals(before + 1, upstream.requestCount());

        assertEquals(404, chat(hostPort, CLIENT_KEY).statusCode(), "the gateway's routes are not on the host's server");
        assertEquals(404, get(gatewayPort, "/hello", CLIENT_KEY).statusCode(),
                "the host's platform-http routes are not on the gateway's server");
        assertEquals(before + 1, upstream.requestCount());
    }

    @Test
    void theGatewayTakesTheHostsCaravanSettingsOverTheJarsDefaults() throws Exception {
        // The host named a client key: without it the gateway refuses (the default would leave it open).
        assertEquals(401, chat(gatewayPort, null).statusCode());
        PropertiesComponent properties = host.getCamelContext().getPropertiesComponent();
        assertEquals(CLIENT_KEY, properties.resolveProperty("caravan.client-keys").orElseThrow());
        // A setting the host left alone comes from the jar's defaults.
        assertEquals("3", properties.resolveProperty("caravan.request-retry").orElseThrow());
    }

    @Test
    void theHostKeepsItsNameServerEngineAndStreamCaching() {
        CamelContext context = host.getCamelContext();
        assertEquals("host-app", context.getName());
        PropertiesComponent properties = context.getPropertiesComponent();
        assertEquals(Integer.toString(hostPort), properties.resolveProperty("camel.server.port").orElseThrow());
        assertTrue(properties.resolveProperty("camel.main.stream-caching-enabled").isEmpty(),
                "the jar sets none of the host's camel.* settings");
        assertTrue(context.isStreamCaching(), "Camel's default stays the host's");
        assertTrue(context.getRoute("host-hello").isStreamCaching());
        assertFalse(context.getRoute("dispatch").isStreamCaching(), "off on the gateway's routes alone");

        PlatformHttpComponent hostHttp = context.getComponent("platform-http", PlatformHttpComponent.class);
        assertFalse(hostHttp.getEngine() instanceof NonBlockingHttpEngine,
                "the host's platform-http keeps its own engine");
        assertFalse(context.getRegistry().lookupByName(NonBlockingHttpEngine.NAME) instanceof NonBlockingHttpEngine);
        PlatformHttpComponent gatewayHttp = context.getComponent("caravan-http", PlatformHttpComponent.class);
        assertInstanceOf(NonBlockingHttpEngine.class, gatewayHttp.getEngine());
        assertNotEquals(0, gatewayPort);
        assertNotEquals(hostPort, gatewayPort);
    }

    @Test
    void theLibraryShipsNoLoggingConfiguration() throws Exception {
        Path classes = Path.of(CaravanConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (String file : List.of("logback.xml", "logback-test.xml", "log4j2.xml", "log4j2.properties",
                "log4j.properties", "logging.properties")) {
            assertFalse(Files.exists(classes.resolve(file)), file + " would configure the host's logging");
        }
    }

    private static HttpResponse<String> chat(int port, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + RawClient.OPENAI_CHAT))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RawClient.chat("gpt-4o-mini", "hi", false)));
        if (key != null) {
            request.header("authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (key != null) {
            request.header("authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
