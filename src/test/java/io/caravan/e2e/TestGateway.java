package io.caravan.e2e;

import com.anthropic.client.AnthropicClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.caravan.CaravanMain;
import io.caravan.pool.CredentialPool;
import io.caravan.routes.Beans;
import io.caravan.server.NonBlockingHttpEngine;
import io.caravan.testing.FakeUpstream;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;

/**
 * The gateway booted the way users run it: {@link CaravanMain} with the repository's {@code application.properties}
 * and routes, a credentials file written for the test, and a free loopback port. Settings can be overridden per test.
 */
public final class TestGateway implements AutoCloseable {

    public static final String CLIENT_KEY = "caravan-test-client-key-0123456789";
    private final List<Runnable> sdkClients = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The gateway's own clients file and database, deleted on close. */
    private Path stateDirectory;

    private final Main main;
    private final int port;
    private final Path credentialsFile;
    /** The thread running {@link Main#run()}, for a gateway started with {@link Builder#startRunning()}. */
    private Thread runner;

    private TestGateway(Main main, int port, Path credentialsFile) {
        this.main = main;
        this.port = port;
        this.credentialsFile = credentialsFile;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Closes what a test class started, in order, skipping what never started: gateways, fake upstreams and SDK
     * clients. Every one is closed even when one fails; the first failure is thrown after.
     */
    public static void closeAll(Object... resources) throws Exception {
        Exception first = null;
        for (Object resource : resources) {
            try {
                if (resource instanceof AutoCloseable closeable) {
                    closeable.close();
                } else if (resource instanceof OpenAIClient client) {
                    client.close();
                } else if (resource instanceof AnthropicClient client) {
                    client.close();
                } else if (resource != null) {
                    throw new IllegalArgumentException("cannot close a " + resource.getClass().getName());
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** openai-java pointed at this gateway with the test client key: no retries, so every answer is the gateway's. */
    public OpenAIClient openAiClient() {
        return openAiClient(CLIENT_KEY);
    }

    /** openai-java pointed at this gateway, presenting {@code clientKey}. */
    public OpenAIClient openAiClient(String clientKey) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl() + "/v1").apiKey(clientKey).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    /** As {@link #openAiClient(String)}, closed with the gateway. */
    public OpenAIClient sdkClient(String clientKey) {
        OpenAIClient client = openAiClient(clientKey);
        sdkClients.add(client::close);
        return client;
    }

    /** anthropic-java pointed at this gateway, presenting {@code clientKey}, closed with the gateway. */
    public com.anthropic.client.AnthropicClient anthropicSdkClient(String clientKey) {
        com.anthropic.client.AnthropicClient client = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder()
                .baseUrl(baseUrl()).apiKey(clientKey).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
        sdkClients.add(client::close);
        return client;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The credentials file the gateway reads (a test may rewrite it and reload). */
    public Path credentialsFile() {
        return credentialsFile;
    }

    /** The clients file the gateway reads; it exists only when the builder was given clients or a test wrote it. */
    public Path clientsFile() {
        return stateDirectory.resolve("clients.yaml");
    }

    public CredentialPool pool() {
        return main.getCamelContext().getRegistry().lookupByNameAndType(Beans.CREDENTIAL_POOL, CredentialPool.class);
    }

    /** The running gateway's Camel context, for a test that adds routes to it, or sends to or consumes from its endpoints. */
    public org.apache.camel.CamelContext camelContext() {
        return main.getCamelContext();
    }

    /** A bean of the running gateway by its registry name, {@code null} when there is none. */
    public <T> T bean(String name, Class<T> type) {
        return main.getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }

    /** Waits until every lease handed out has been returned (requests finish asynchronously after a disconnect). */
    public void awaitLeasesBalanced(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        CredentialPool pool = pool();
        while (pool.leasedCount() != pool.releasedCount() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
    }

    /** Waits until the gateway counts no request in flight, and returns what it counts then. */
    public int awaitNothingInFlight(Duration timeout) throws InterruptedException {
        NonBlockingHttpEngine engine = main.getCamelContext().getRegistry()
                .lookupByNameAndType(NonBlockingHttpEngine.NAME, NonBlockingHttpEngine.class);
        Instant deadline = Instant.now().plus(timeout);
        while (engine.inFlight() != 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        return engine.inFlight();
    }

    /** CPU time each of the gateway's event-loop threads has used so far, in nanoseconds, one entry per loop. */
    public List<Long> eventLoopCpuNanos() throws Exception {
        Vertx vertx = main.getCamelContext().getRegistry().lookupByNameAndType(Beans.VERTX, Vertx.class);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Long> cpu = new ArrayList<>();
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            long threadId = loop.submit(() -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS);
            cpu.add(threads.getThreadCpuTime(threadId));
        }
        return cpu;
    }

    /**
     * Stops a gateway started with {@link Builder#startRunning()} the way SIGTERM does: camel-main's hang-up
     * interceptor tells the main shutdown strategy to shut down, and {@link Main#run()} then stops Camel. Returns at
     * once; see {@link #awaitTerminated}.
     */
    public void terminate() {
        main.getShutdownStrategy().shutdown();
    }

    /** Whether {@link Main#run()} returned (the gateway stopped completely) within the bound. */
    public boolean awaitTerminated(Duration timeout) throws InterruptedException {
        runner.join(timeout.toMillis());
        return !runner.isAlive();
    }

    @Override
    public void close() throws Exception {
        sdkClients.forEach(Runnable::run);
        main.stop();
        Files.deleteIfExists(credentialsFile);
        if (stateDirectory != null) {
            try (var paths = Files.walk(stateDirectory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public static final class Builder {
        private final List<String> credentials = new ArrayList<>();
        private final List<String> sections = new ArrayList<>();
        private final Properties overrides = new Properties();
        private String clients;

        Builder() {
            overrides.setProperty("caravan.client-keys", CLIENT_KEY);
            overrides.setProperty("caravan.demo", "off");
            overrides.setProperty("caravan.cooldown.transient-ms", "60000");
            // A test that stops the gateway with requests still open need not wait the production drain.
            overrides.setProperty("caravan.shutdown.drain-ms", "1000");
        }

        /** Adds a credential pointing at a fake upstream. */
        public Builder credential(String name, FakeUpstream upstream, String models, int maxConcurrent) {
            credentials.add("  - name: " + name + "\n"
                    + "    kind: " + (upstream.baseUrl().endsWith("/v1") ? "openai" : "anthropic") + "\n"
                    + "    base-url: " + upstream.baseUrl() + "\n"
                    + "    api-key: " + upstream.apiKey() + "\n"
                    + "    models: " + models + "\n"
                    + "    max-concurrent: " + maxConcurrent + "\n");
            return this;
        }

        public Builder credential(String name, FakeUpstream upstream, String models) {
            return credential(name, upstream, models, 64);
        }

        /** Adds a raw credential entry (YAML lines of one list item). */
        public Builder rawCredential(String yaml) {
            credentials.add(yaml);
            return this;
        }

        /** Another top-level section of the credentials file (its YAML lines, heading included), after the credentials. */
        public Builder section(String yaml) {
            sections.add(yaml);
            return this;
        }

        /** The credentials file's {@code routing:} section (its YAML lines, indented); none by default. */
        public Builder routing(String yaml) {
            return section("routing:\n" + yaml);
        }

        /** The clients file's {@code clients:} entries (YAML lines of list items); none by default. */
        public Builder clients(String yaml) {
            this.clients = yaml;
            return this;
        }

        /** Meters into this database (by default each gateway gets a fresh SQLite file of its own). */
        public Builder store(String jdbcUrl) {
            overrides.setProperty("caravan.store.url", jdbcUrl);
            return this;
        }

        public Builder set(String key, String value) {
            overrides.setProperty(key, value);
            return this;
        }

        public TestGateway start() throws Exception {
            TestGateway gateway = create();
            gateway.main.start();
            return gateway;
        }

        /** The gateway on a free port with the credentials file written, not started yet. */
        private TestGateway create() throws Exception {
            Path file = Files.createTempFile("caravan-credentials", ".yaml");
            Files.writeString(file, "credentials:\n" + String.join("", credentials) + String.join("", sections));
            // Each gateway its own state: no test sees another's clients or usage, nor the repository's files.
            Path state = Files.createTempDirectory("caravan-state");
            Path clientsFile = state.resolve("clients.yaml");
            if (clients != null) {
                Files.writeString(clientsFile, "clients:\n" + clients);
            }
            overrides.setProperty("caravan.clients-file", clientsFile.toString());
            overrides.putIfAbsent("caravan.store.url", "jdbc:sqlite:" + state.resolve("caravan.db"));
            int port = freePort();
            overrides.setProperty("camel.server.port", Integer.toString(port));
            overrides.setProperty("caravan.credentials-file", file.toString());
            TestGateway gateway = new TestGateway(CaravanMain.create(Path.of("application.properties"), overrides), port, file);
            gateway.stateDirectory = state;
            return gateway;
        }

        /** Starts the gateway with {@link Main#run()} on its own thread, as {@code java -jar} runs it. */
        public TestGateway startRunning() throws Exception {
            TestGateway gateway = create();
            Main main = gateway.main;
            gateway.runner = new Thread(() -> {
                try {
                    main.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "caravan-main");
            gateway.runner.start();
            Instant deadline = Instant.now().plusSeconds(30);
            while (!(main.getCamelContext() != null && main.getCamelContext().isStarted()) && gateway.runner.isAlive()
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            return gateway;
        }
    }
}
