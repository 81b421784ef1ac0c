package io.caravan.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.auth.ClientAuthenticator;
import io.caravan.call.AccessLog;
import io.caravan.call.CallerGate;
import io.caravan.call.CredentialRotation;
import io.caravan.call.DialectBridge;
import io.caravan.call.FailureReply;
import io.caravan.call.ModelCatalog;
import io.caravan.call.ServiceEndpoints;
import io.caravan.call.StreamUpstreamCall;
import io.caravan.call.UnaryUpstreamCall;
import io.caravan.call.LeaseCredential;
import io.caravan.call.LocalTokenCount;
import io.caravan.dialect.TranslationSettings;
import io.caravan.demo.DemoModelServer;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialects.Dialects;
import io.caravan.pool.CooldownPolicy;
import io.caravan.pool.CredentialPool;
import io.caravan.routes.Hooks;
import io.caravan.server.ConnectionGuard;
import io.caravan.server.HookThread;
import io.caravan.server.ListenerPerEventLoop;
import io.caravan.server.NonBlockingHttpEngine;
import io.caravan.server.OpenStreams;
import io.caravan.server.ShutdownDrain;
import io.caravan.upstream.UpstreamClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Wires Caravan's beans from {@code application.properties} (camel-main calls {@link #configure} before the routes
 * start). The beans are bound under the names in {@link Beans}, which is how the routes refer to them.
 */
public class GatewayConfiguration implements CamelConfiguration {

    /** Public endpoints used when credentials come from the conventional environment variables. */
    static final String OPENAI_PUBLIC_URL = "https://api.openai.com/v1";
    static final String ANTHROPIC_PUBLIC_URL = "https://api.anthropic.com";
    /** The providers' own model families, so that each environment key only gets names its provider knows. */
    static final List<String> OPENAI_MODELS = List.of("gpt-*", "chatgpt-*", "o1*", "o3*", "o4*", "codex-*");
    static final List<String> ANTHROPIC_MODELS = List.of("claude-*");

    @PropertyInject(value = "caravan.credentials-file", defaultValue = "credentials.yaml")
    String credentialsFile;
    @PropertyInject(value = "caravan.client-keys", defaultValue = "")
    String clientKeys;
    @PropertyInject(value = "caravan.request-retry", defaultValue = "3")
    int requestRetry;
    @PropertyInject(value = "caravan.timeout.connect-ms", defaultValue = "10000")
    long connectTimeoutMs;
    @PropertyInject(value = "caravan.timeout.first-byte-ms", defaultValue = "120000")
    long firstByteTimeoutMs;
    @PropertyInject(value = "caravan.timeout.idle-ms", defaultValue = "60000")
    long idleTimeoutMs;
    @PropertyInject(value = "caravan.timeout.request-ms", defaultValue = "1800000")
    long requestDeadlineMs;
    @PropertyInject(value = "caravan.keep-alive-ms", defaultValue = "15000")
    long keepAliveMs;
    @PropertyInject(value = "caravan.queue.max-wait-ms", defaultValue = "10000")
    long queueMaxWaitMs;
    @PropertyInject(value = "caravan.queue.max-waiting", defaultValue = "1000")
    int queueMaxWaiting;
    @PropertyInject(value = "caravan.cooldown.transient-ms", defaultValue = "5000")
    long transientCooldownMs;
    @PropertyInject(value = "caravan.cooldown.rate-limit-base-ms", defaultValue = "1000")
    long rateLimitBaseMs;
    @PropertyInject(value = "caravan.cooldown.rate-limit-max-ms", defaultValue = "1800000")
    long rateLimitMaxMs;
    @PropertyInject(value = "caravan.cooldown.quarantine-ms", defaultValue = "1800000")
    long quarantineMs;
    @PropertyInject(value = "caravan.upstream.max-connections-per-host", defaultValue = "1024")
    int maxConnectionsPerHost;
    @PropertyInject(value = "caravan.max-in-flight", defaultValue = "4096")
    int maxInFlight;
    @PropertyInject(value = "caravan.prestarted-workers", defaultValue = "16")
    int prestartedWorkers;
    @PropertyInject(value = "caravan.event-loops", defaultValue = "0")
    int eventLoops;
    @PropertyInject(value = "caravan.demo", defaultValue = "auto")
    String demoMode;
    @PropertyInject(value = "caravan.translation.enabled", defaultValue = "true")
    boolean translationEnabled;
    @PropertyInject(value = "caravan.translation.default-max-tokens", defaultValue = "4096")
    int defaultMaxTokens;
    @PropertyInject(value = "caravan.translation.thinking-budget.low", defaultValue = "1024")
    int lowThinkingBudget;
    @PropertyInject(value = "caravan.translation.thinking-budget.medium", defaultValue = "4096")
    int mediumThinkingBudget;
    @PropertyInject(value = "caravan.translation.thinking-budget.high", defaultValue = "16384")
    int highThinkingBudget;
    @PropertyInject(value = "caravan.limits.max-answer-bytes", defaultValue = "67108864")
    int maxAnswerBytes;
    @PropertyInject(value = "caravan.limits.max-event-bytes", defaultValue = "1048576")
    int maxEventBytes;
    @PropertyInject(value = "caravan.timeout.stall-ms", defaultValue = "15000")
    long stallThresholdMs;
    @PropertyInject(value = "caravan.timeout.answer-ms", defaultValue = "600000")
    long answerTimeoutMs;
    @PropertyInject(value = "caravan.listener.idle-timeout-ms", defaultValue = "60000")
    long listenerIdleTimeoutMs;
    @PropertyInject(value = "caravan.listener.header-timeout-ms", defaultValue = "10000")
    long listenerHeaderTimeoutMs;
    @PropertyInject(value = "caravan.listener.body-timeout-ms", defaultValue = "30000")
    long listenerBodyTimeoutMs;
    @PropertyInject(value = "caravan.listener.max-connections", defaultValue = "10000")
    int listenerMaxConnections;
    @PropertyInject(value = "caravan.shutdown.drain-ms", defaultValue = "30000")
    long shutdownDrainMs;

    @Override
    public void configure(CamelContext context) throws Exception {
        GatewaySettings settings = settings();
        ClientAuthenticator authenticator = new ClientAuthenticator(split(clientKeys));
        // Trailing bytes after the JSON object would otherwise be forwarded upstream with it.
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        Vertx vertx = new VertxBuilder(vertxOptions()).executorServiceFactory(new ElasticExecutors(prestartedWorkers))
                .init().vertx();
        context.addLifecycleStrategy(new VertxCloser(vertx));

        List<CredentialSpec> specs = new ArrayList<>(loadCredentials());
        DemoModelServer demo = null;
        if ("on".equalsIgnoreCase(demoMode) || ("auto".equalsIgnoreCase(demoMode) && specs.isEmpty())) {
            demo = new DemoModelServer(vertx, mapper);
            specs.addAll(demoCredentials(demo.start()));
        }
        CredentialPool pool = new CredentialPool(specs, settings.cooldowns(), settings.queueMaxWaiting());
        UpstreamClient client = new UpstreamClient(vertx, settings);
        DialectBridge bridge = new DialectBridge(mapper, translationEnabled, new TranslationSettings(defaultMaxTokens,
                lowThinkingBudget, mediumThinkingBudget, highThinkingBudget));
        AccessLog accessLog = new AccessLog();
        ModelCatalog catalog = new ModelCatalog(pool, mapper);

        NonBlockingHttpEngine httpEngine = new NonBlockingHttpEngine(maxInFlight);
        httpEngine.setCamelContext(context);

        Registry registry = context.getRegistry();
        registry.bind(NonBlockingHttpEngine.NAME, httpEngine);
        registry.bind(Beans.VERTX, vertx);
        registry.bind(Beans.SETTINGS, settings);
        registry.bind(Beans.CREDENTIAL_POOL, pool);
        registry.bind(Beans.MODEL_CATALOG, catalog);
        for (Dialect dialect : Dialects.all()) {
            for (Endpoint endpoint : dialect.endpoints()) {
                registry.bind(endpoint.gateBean(), new CallerGate(endpoint, authenticator, mapper, accessLog));
            }
        }
        registry.bind(Beans.LEASE_CREDENTIAL, new LeaseCredential(pool, bridge, settings, vertx));
        registry.bind(Beans.UNARY_UPSTREAM_CALL, new UnaryUpstreamCall(client, bridge, settings.maxAnswerBytes()));
        OpenStreams openStreams = new OpenStreams();
        registry.bind(Beans.STREAM_UPSTREAM_CALL, new StreamUpstreamCall(client, bridge, settings, openStreams));
        registry.bind(Beans.CREDENTIAL_ROTATION, new CredentialRotation(pool, bridge, settings));
        registry.bind(Beans.FAILURE_REPLY, new FailureReply(bridge));
        registry.bind(Beans.LOCAL_TOKEN_COUNT, new LocalTokenCount(pool, mapper, translationEnabled));
        registry.bind(Beans.SERVICE_ENDPOINTS, new ServiceEndpoints(authenticator, catalog));
        registry.bind(Beans.BEFORE_UPSTREAM_HOOK_THREAD, hookThread(context, vertx, Hooks.BEFORE_UPSTREAM));
        registry.bind(Beans.AFTER_RESPONSE_HOOK_THREAD, hookThread(context, vertx, Hooks.AFTER_RESPONSE));
        ConnectionGuard guard = new ConnectionGuard(vertx, settings.listenerIdleTimeout(),
                settings.listenerHeaderTimeout(), settings.listenerBodyTimeout(), settings.listenerMaxConnections());
        // Registered before the listeners: the drain runs while they still answer.
        context.addLifecycleStrategy(new ShutdownDrain(guard, openStreams, httpEngine, settings.shutdownDrain()));
        ListenerPerEventLoop listeners = new ListenerPerEventLoop(vertx, guard, eventLoopCount());
        context.addStartupListener(listeners);
        context.addLifecycleStrategy(listeners);
        context.addStartupListener(new StartupReport(pool, catalog, authenticator, demo != null));
    }

    private static HookThread hookThread(CamelContext context, Vertx vertx, String hookUri) {
        HookThread thread = new HookThread(vertx, hookUri);
        thread.setCamelContext(context);
        return thread;
    }

    GatewaySettings settings() {
        return new GatewaySettings(
                requestRetry,
                Duration.ofMillis(connectTimeoutMs),
                Duration.ofMillis(firstByteTimeoutMs),
                Duration.ofMillis(idleTimeoutMs),
                Duration.ofMillis(requestDeadlineMs),
                Duration.ofMillis(keepAliveMs),
                Duration.ofMillis(queueMaxWaitMs),
                queueMaxWaiting,
                new CooldownPolicy(Duration.ofMillis(transientCooldownMs), Duration.ofMillis(rateLimitBaseMs),
                        Duration.ofMillis(rateLimitMaxMs), Duration.ofMillis(quarantineMs)),
                maxConnectionsPerHost,
                maxAnswerBytes,
                maxEventBytes,
                Duration.ofMillis(stallThresholdMs),
                Duration.ofMillis(answerTimeoutMs),
                Duration.ofMillis(listenerIdleTimeoutMs),
                Duration.ofMillis(listenerHeaderTimeoutMs),
                Duration.ofMillis(listenerBodyTimeoutMs),
                listenerMaxConnections,
                Duration.ofMillis(shutdownDrainMs));
    }

    /**
     * Worker threads run the synchronous parts of each route and requests waiting for a free credential; a request
     * waiting for its upstream holds none (see {@link NonBlockingHttpEngine}). The pool never needs to be larger than
     * the in-flight limit, and it only grows that far if that many requests wait for credentials at once.
     */
    private VertxOptions vertxOptions() {
        return new VertxOptions()
                .setEventLoopPoolSize(eventLoopCount())
                .setWorkerPoolSize(maxInFlight)
                .setMaxWorkerExecuteTime(requestDeadlineMs + 60_000)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(TimeUnit.MILLISECONDS.toNanos(requestDeadlineMs + 60_000));
    }

    /**
     * One event loop per core by default, as nginx runs one worker per core: Vert.x's default of two per core made
     * the gateway slower on a machine it shares with its upstream and callers (more threads contending, fewer
     * events handled per wake-up).
     */
    private int eventLoopCount() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    private List<CredentialSpec> loadCredentials() {
        List<CredentialSpec> specs = new ArrayList<>();
        Path file = Path.of(credentialsFile);
        if (java.nio.file.Files.exists(file)) {
            specs.addAll(CredentialsFile.load(file, System::getenv));
        } else {
            StartupReport.noteMissingCredentialsFile(file);
        }
        addFromEnvironment(specs, "OPENAI_API_KEY", "env-openai", Dialects.OPENAI, OPENAI_PUBLIC_URL, OPENAI_MODELS);
        addFromEnvironment(specs, "ANTHROPIC_API_KEY", "env-anthropic", Dialects.ANTHROPIC, ANTHROPIC_PUBLIC_URL,
                ANTHROPIC_MODELS);
        return specs;
    }

    private static void addFromEnvironment(List<CredentialSpec> specs, String variable, String name, Dialect kind,
            String baseUrl, List<String> models) {
        String key = System.getenv(variable);
        if (key != null && !key.isBlank() && specs.stream().noneMatch(s -> s.name().equals(name))) {
            specs.add(new CredentialSpec(name, kind, baseUrl, key.trim(),
                    models.stream().map(ModelRule::exactOrWildcard).toList(), CredentialsFile.DEFAULT_MAX_CONCURRENT, true));
        }
    }

    private static List<CredentialSpec> demoCredentials(int port) {
        List<ModelRule> models = List.of(ModelRule.exactOrWildcard(DemoModelServer.MODEL));
        return List.of(
                new CredentialSpec(ModelCatalog.DEMO_PREFIX + "-openai", Dialects.OPENAI, "http://127.0.0.1:" + port + "/v1",
                        "demo", models, 1024, true),
                new CredentialSpec(ModelCatalog.DEMO_PREFIX + "-anthropic", Dialects.ANTHROPIC, "http://127.0.0.1:" + port,
                        "demo", models, 1024, true));
    }

    private static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Closes the gateway's Vert.x instance once Camel has stopped everything that uses it (platform-http only closes
     * instances it created itself).
     */
    private static final class VertxCloser extends LifecycleStrategySupport {
        private final Vertx vertx;

        VertxCloser(Vertx vertx) {
            this.vertx = vertx;
        }

        @Override
        public void onContextStopped(CamelContext context) {
            vertx.close();
        }
    }
}
