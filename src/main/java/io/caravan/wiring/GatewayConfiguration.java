package io.caravan.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.bridge.DialectBridge;
import io.caravan.clients.BudgetPeriod;
import io.caravan.clients.ClientConflictException;
import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientRegistry;
import io.caravan.clients.ClientSpec;
import io.caravan.config.CaravanSettings;
import io.caravan.config.ClientsFile;
import io.caravan.config.ConfigurationException;
import io.caravan.config.CredentialsConfig;
import io.caravan.config.GatewaySettings;
import io.caravan.config.SettingsBinder;
import io.caravan.conversation.ConversationKeeper;
import io.caravan.conversation.ResponseStore;
import io.caravan.demo.DemoModelServer;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.JsonCodec;
import io.caravan.dialect.TranslationSettings;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallObserver;
import io.caravan.flow.CredentialRotation;
import io.caravan.flow.LeaseCredential;
import io.caravan.flow.StreamUpstreamCall;
import io.caravan.flow.UnaryUpstreamCall;
import io.caravan.ingress.AdminAuthenticator;
import io.caravan.ingress.CallerGate;
import io.caravan.ingress.ClientAdmission;
import io.caravan.ingress.ClientAuthenticator;
import io.caravan.ingress.ModelActionPath;
import io.caravan.metrics.GatewayMetrics;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.CredentialRefresher;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.ModelRule;
import io.caravan.reload.ConfigFileVersion;
import io.caravan.reload.ConfigReloader;
import io.caravan.reload.CredentialSource;
import io.caravan.reload.FileWatcher;
import io.caravan.reload.ReloadOutcome;
import io.caravan.routing.RoutingTable;
import io.caravan.relay.OpenStreams;
import io.caravan.reply.AccessLog;
import io.caravan.reply.FailureReply;
import io.caravan.reply.UsageRecorder;
import io.caravan.routes.Beans;
import io.caravan.routes.Hooks;
import io.caravan.server.ConnectionGuard;
import io.caravan.server.ElasticExecutors;
import io.caravan.server.EventLoopSafety;
import io.caravan.server.GatewayServer;
import io.caravan.server.HookThread;
import io.caravan.server.ListenerPerEventLoop;
import io.caravan.server.NonBlockingHttpEngine;
import io.caravan.server.OwnHttpServer;
import io.caravan.server.PlatformHttpServer;
import io.caravan.server.ResponsesWebSockets;
import io.caravan.server.ShutdownDrain;
import io.caravan.service.AdminClientEndpoints;
import io.caravan.service.AdminConfigEndpoints;
import io.caravan.service.AdminCredentialEndpoints;
import io.caravan.service.AdminUsageEndpoints;
import io.caravan.service.CallerAccountEndpoint;
import io.caravan.service.DashboardAssets;
import io.caravan.service.EffectiveSettings;
import io.caravan.service.LocalTokenCount;
import io.caravan.service.MetricsEndpoint;
import io.caravan.service.ModelCatalog;
import io.caravan.service.RuntimeClients;
import io.caravan.service.ServiceEndpoints;
import io.caravan.service.StoredResponseEndpoints;
import io.caravan.tracing.OtlpTracing;
import io.caravan.upstream.UpstreamClient;
import io.caravan.usage.UsageStore;
import io.caravan.usage.UsageStoreException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires Caravan's beans from the bound settings (camel-main calls {@link #configure} before the routes start; a
 * setting or credentials file that cannot be used stops it there). The beans are bound under the names in {@link Beans}, which is how the routes refer to them.
 */
public class GatewayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("caravan");

    /** Where callers reach the gateway. */
    public enum Serving {
        /**
         * On the Camel context's own HTTP server ({@code camel.server.*}), with every {@code platform-http} route of
         * the context: the standalone jar, which is the application.
         */
        CONTEXT_SERVER,
        /**
         * On a server of the gateway's own ({@code caravan.server.*}): embedded in another application, whose
         * {@code camel.server.*} and {@code platform-http} routes stay its own.
         */
        OWN_SERVER
    }

    private final Serving serving;

    /*
     * Read by the lines that create the Vert.x instance (vertxOptions, eventLoopCount), set from the bound settings
     * at the start of configure.
     */
    private int maxInFlight;
    private int prestartedWorkers;
    private long requestDeadlineMs;
    private int eventLoops;

    /** As the standalone jar serves: on the context's own HTTP server. */
    public GatewayConfiguration() {
        this(Serving.CONTEXT_SERVER);
    }

    public GatewayConfiguration(Serving serving) {
        this.serving = serving;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        CaravanSettings caravan = SettingsBinder.bind(context);
        GatewaySettings settings = GatewaySettings.from(caravan);
        maxInFlight = caravan.getMaxInFlight();
        prestartedWorkers = caravan.getPrestartedWorkers();
        requestDeadlineMs = caravan.getTimeout().getRequestMs();
        eventLoops = caravan.getEventLoops();
        boolean translationEnabled = caravan.getTranslation().getEnabled();
        ObjectMapper mapper = JsonCodec.mapper();
        UsageStore usageStore = openUsageStore(caravan.getStore());
        if (usageStore != null) {
            // After everything else: the requests drained on shutdown are metered before the last flush.
            context.addLifecycleStrategy(new ClosedWhenStopped(usageStore::close));
        }
        ConfigFileVersion clientsAtStart = ConfigFileVersion.read(Path.of(caravan.getClientsFile()));
        ClientRegistry clients = clientRegistry(context, caravan, usageStore, clientsAtStart);
        ClientLimiter limiter = clientLimiter(usageStore);
        ClientAuthenticator authenticator = new ClientAuthenticator(clients);
        AdminAuthenticator admins = new AdminAuthenticator(split(caravan.getAdminKeys()));
        ClientAdmission admission = new ClientAdmission(limiter);
        UsageRecorder usageRecorder = new UsageRecorder(limiter, usageStore);
        Vertx vertx = ElasticExecutors.vertx(vertxOptions(), prestartedWorkers);
        // Closed once Camel has stopped everything that uses it (platform-http only closes instances it created).
        context.addLifecycleStrategy(new ClosedWhenStopped(vertx::close));

        ConfigFileVersion credentialsAtStart = ConfigFileVersion.read(Path.of(caravan.getCredentialsFile()));
        if (!credentialsAtStart.present()) {
            StartupReport.noteMissingCredentialsFile(credentialsAtStart.path());
        }
        CredentialSource credentialSource = new CredentialSource(context.getPropertiesComponent());
        CredentialsConfig fileConfig = credentialSource.config(credentialsAtStart);
        List<CredentialSpec> specs = new ArrayList<>(fileConfig.credentials());
        DemoModelServer demo = null;
        CaravanSettings.DemoMode demoMode = caravan.demoMode();
        if (demoMode == CaravanSettings.DemoMode.ON || (demoMode == CaravanSettings.DemoMode.AUTO && specs.isEmpty())) {
            demo = new DemoModelServer(vertx, mapper);
            List<CredentialSpec> demoSpecs = demoCredentials(demo.start());
            specs.addAll(demoSpecs);
            // A reload keeps the demo as it started: it is the gateway's own, not the file's.
            credentialSource = credentialSource.keeping(demoSpecs);
        }
        CredentialPool pool = new CredentialPool(specs, fileConfig.selection(), settings.cooldowns(),
                settings.queueMaxWaiting(), CredentialRefresher.API_KEYS);
        RoutingTable routing = new RoutingTable(fileConfig.fallbacks(), fileConfig.payloadRules());
        UpstreamClient client = new UpstreamClient(vertx, settings);
        CaravanSettings.KeptResponses kept = caravan.getResponseStore();
        ResponseStore responseStore = new ResponseStore(kept.getMaxEntries(), kept.getMaxBytes(),
                Duration.ofMinutes(kept.getTtlMinutes()));
        ConversationKeeper conversations = new ConversationKeeper(responseStore, mapper);
        TranslationSettings translation = caravan.getTranslation().translationSettings();
        DialectBridge bridge = new DialectBridge(mapper, translationEnabled, translation, conversations);
        AccessLog accessLog = new AccessLog();
        List<CallObserver> observers = new ArrayList<>();
        GatewayMetrics metrics = gatewayMetrics(context, caravan.getMetrics(), pool);
        if (metrics != null) {
            observers.add(metrics.observer());
        }
        if (caravan.getTracing().enabled()) {
            OtlpTracing tracing = OtlpTracing.start(caravan.getTracing());
            // Once the drain let the requests in flight finish: the last export carries their spans.
            context.addLifecycleStrategy(new ClosedWhenStopped(tracing::close));
            observers.add(tracing.observer());
        }
        CallObserver observer = CallObserver.all(observers);
        ModelCatalog catalog = new ModelCatalog(pool, mapper);

        EventLoopSafety eventLoopSafety = new EventLoopSafety(Set.copyOf(split(caravan.getRoutes().getBlocking())));
        GatewayServer server = gatewayServer(context, caravan.getServer(), vertx);
        NonBlockingHttpEngine httpEngine = new NonBlockingHttpEngine(server, maxInFlight, eventLoopSafety);
        httpEngine.setCamelContext(context);
        PlatformHttpComponent http = new PlatformHttpComponent();
        http.setEngine(httpEngine);
        context.addComponent(Beans.HTTP, http);

        Registry registry = context.getRegistry();
        if (serving == Serving.CONTEXT_SERVER) {
            registry.bind(NonBlockingHttpEngine.NAME, httpEngine);
        }
        registry.bind(Beans.VERTX, vertx);
        registry.bind(Beans.CREDENTIAL_POOL, pool);
        for (Dialect dialect : Dialects.all()) {
            for (Endpoint endpoint : dialect.endpoints()) {
                registry.bind(endpoint.gateBean(),
                        new CallerGate(endpoint, authenticator, mapper, accessLog, conversations, translation,
                                admission, usageRecorder, observer));
            }
        }
        LeaseCredential leaseCredential = new LeaseCredential(pool, bridge, settings, vertx);
        registry.bind(Beans.LEASE_CREDENTIAL, leaseCredential);
        registry.bind(Beans.UNARY_UPSTREAM_CALL,
                new UnaryUpstreamCall(client, bridge, leaseCredential, settings.maxAnswerBytes()));
        OpenStreams openStreams = new OpenStreams();
        registry.bind(Beans.STREAM_UPSTREAM_CALL,
                new StreamUpstreamCall(client, bridge, leaseCredential, settings, openStreams));
        registry.bind(Beans.CREDENTIAL_ROTATION, new CredentialRotation(settings));
        registry.bind(Beans.FAILURE_REPLY, new FailureReply(bridge));
        registry.bind(Beans.LOCAL_TOKEN_COUNT, new LocalTokenCount(pool, mapper, translationEnabled));
        registry.bind(Beans.SERVICE_ENDPOINTS, new ServiceEndpoints(authenticator, catalog, usageStore, mapper));
        registry.bind(Beans.MODEL_ACTION_PATH, new ModelActionPath());
        registry.bind(Beans.CALLER_ACCOUNT, new CallerAccountEndpoint(authenticator, limiter, mapper));
        registry.bind(Beans.ADMIN_CLIENTS, new AdminClientEndpoints(admins, clients, limiter,
                new RuntimeClients(clients, limiter, usageStore), mapper));
        registry.bind(Beans.ADMIN_USAGE, new AdminUsageEndpoints(admins, usageStore, mapper));
        registry.bind(Beans.METRICS, new MetricsEndpoint(admins, metrics, caravan.getMetrics().getPublic()));
        registry.bind(Beans.ADMIN_CREDENTIALS, new AdminCredentialEndpoints(admins, pool, mapper));
        ConfigReloader reloader = new ConfigReloader(credentialSource, context.getPropertiesComponent(), pool, routing,
                clients, limiter, credentialsAtStart, clientsAtStart);
        registry.bind(Beans.CONFIG_RELOADER, reloader);
        reloader.addListener(outcome -> {
            if (outcome.result() == ReloadOutcome.Result.APPLIED) {
                catalog.refresh();
            }
        });
        registry.bind(Beans.ADMIN_CONFIG, new AdminConfigEndpoints(admins, reloader,
                new EffectiveSettings(context.getPropertiesComponent()), mapper));
        context.addLifecycleStrategy(new WatchedWhileRunning(new FileWatcher(reloader,
                caravan.getReload().getIntervalMs())));
        if (metrics != null) {
            reloader.addListener(outcome -> metrics.reloaded(outcome.result().id()));
        }
        registry.bind(Beans.DASHBOARD_ASSETS, new DashboardAssets());
        registry.bind(Beans.STORED_RESPONSES, new StoredResponseEndpoints(authenticator, responseStore, mapper));
        registry.bind(Beans.BEFORE_UPSTREAM_HOOK_THREAD, hookThread(context, vertx, Hooks.BEFORE_UPSTREAM, eventLoopSafety));
        registry.bind(Beans.AFTER_RESPONSE_HOOK_THREAD, hookThread(context, vertx, Hooks.AFTER_RESPONSE, eventLoopSafety));
        ConnectionGuard guard = new ConnectionGuard(vertx, settings.listenerIdleTimeout(),
                settings.listenerHeaderTimeout(), settings.listenerBodyTimeout(), settings.listenerMaxConnections());
        ResponsesWebSockets webSockets = new ResponsesWebSockets(server, authenticator, guard, settings.webSocketEnabled(),
                settings.webSocketIdleTimeout());
        context.addStartupListener(webSockets);
        // Registered before the listeners: the drain runs while they still answer.
        context.addLifecycleStrategy(new ShutdownDrain(guard, openStreams, httpEngine, webSockets,
                settings.shutdownDrain()));
        ListenerPerEventLoop listeners = new ListenerPerEventLoop(vertx, server, guard, eventLoopCount());
        context.addStartupListener(listeners);
        context.addLifecycleStrategy(listeners);
        context.addStartupListener(new StartupReport(server, pool, catalog, authenticator, admins, demo != null));
    }

    /** The server callers reach the gateway on; the gateway's own is bound before the routes start. */
    private GatewayServer gatewayServer(CamelContext context, CaravanSettings.Server settings, Vertx vertx) {
        if (serving == Serving.CONTEXT_SERVER) {
            return new PlatformHttpServer();
        }
        OwnHttpServer own = new OwnHttpServer(vertx, settings.getHost(), settings.getPort(), settings.getMaxBodySize());
        own.bind(context);
        return own;
    }

    /** The usage database, or {@code null} when {@code caravan.store.url} is empty (nothing is metered). */
    private static UsageStore openUsageStore(CaravanSettings.Store store) {
        if (!store.enabled()) {
            return null;
        }
        try {
            return UsageStore.open(store.storeSettings());
        } catch (IllegalArgumentException unusable) {
            throw new ConfigurationException("Invalid setting caravan.store.url: " + unusable.getMessage());
        }
    }

    /** The gateway's metrics, closed when it stops; {@code null} when {@code caravan.metrics.enabled} is false. */
    private static GatewayMetrics gatewayMetrics(CamelContext context, CaravanSettings.Metrics settings,
            CredentialPool pool) {
        if (!settings.getEnabled()) {
            return null;
        }
        GatewayMetrics metrics = new GatewayMetrics(pool, settings.getMaxModels());
        context.addLifecycleStrategy(new ClosedWhenStopped(metrics::close));
        // For what reports to it from outside the request flow (reloads).
        context.getRegistry().bind(Beans.GATEWAY_METRICS, metrics);
        return metrics;
    }

    /**
     * Every client: the clients file's, {@code caravan.client-keys}, and those made at run time (from the database;
     * while it cannot be read those are missing, and the error says so).
     */
    private static ClientRegistry clientRegistry(CamelContext context, CaravanSettings caravan, UsageStore store,
            ConfigFileVersion file) {
        List<ClientSpec> fromFile = file.present()
                ? ClientsFile.parse(file.path().toString(), file.text(), context.getPropertiesComponent()) : List.of();
        List<ClientSpec> madeAtRunTime = List.of();
        if (store != null) {
            try {
                madeAtRunTime = RuntimeClients.load(store);
            } catch (UsageStoreException unreadable) {
                LOG.error("The client keys made through the admin API could not be read from the database, so they "
                        + "are refused until a restart that can read them: {}", unreadable.getMessage());
            }
        }
        try {
            return new ClientRegistry(fromFile, split(caravan.getClientKeys()), madeAtRunTime);
        } catch (ClientConflictException clash) {
            throw new ConfigurationException("Clients: " + clash.getMessage());
        }
    }

    /** The limits' counters, with what the database holds for today and this month: a restart resets no budget. */
    private static ClientLimiter clientLimiter(UsageStore store) {
        ClientLimiter limiter = new ClientLimiter();
        if (store == null) {
            return limiter;
        }
        long now = System.currentTimeMillis();
        try {
            store.clientTotals(BudgetPeriod.DAY.startMillis(now), BudgetPeriod.MONTH.startMillis(now))
                    .forEach((client, totals) -> limiter.restore(client, totals.dayTokens(), totals.dayRequests(),
                            totals.monthTokens(), totals.monthRequests(), now));
        } catch (UsageStoreException unreadable) {
            LOG.error("Today's and this month's usage could not be read from the database, so budgets count from "
                    + "zero until a restart that can read it: {}", unreadable.getMessage());
        }
        return limiter;
    }

    private static HookThread hookThread(CamelContext context, Vertx vertx, String hookUri, EventLoopSafety safety) {
        HookThread thread = new HookThread(vertx, hookUri, safety);
        thread.setCamelContext(context);
        return thread;
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

    /** Watches the configuration files from the moment Camel has started until it begins to stop. */
    private static final class WatchedWhileRunning extends LifecycleStrategySupport {
        private final FileWatcher watcher;

        WatchedWhileRunning(FileWatcher watcher) {
            this.watcher = watcher;
        }

        @Override
        public void onContextStarted(CamelContext context) {
            watcher.start();
        }

        @Override
        public void onContextStopping(CamelContext context) {
            watcher.close();
        }
    }

    /**
     * Closes what the routes use once Camel has stopped every route and service: the usage database (after the
     * drained requests were metered, so its last flush writes them) and the Vert.x instance.
     */
    private static final class ClosedWhenStopped extends LifecycleStrategySupport {
        private final Runnable close;

        ClosedWhenStopped(Runnable close) {
            this.close = close;
        }

        @Override
        public void onContextStopped(CamelContext context) {
            close.run();
        }
    }
}
