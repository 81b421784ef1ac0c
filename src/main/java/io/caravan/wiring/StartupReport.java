package io.caravan.wiring;

import io.caravan.config.ConfigurationException;
import io.caravan.ingress.AdminAuthenticator;
import io.caravan.ingress.ClientAuthenticator;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.reply.RouterErrors;
import io.caravan.routes.Beans;
import io.caravan.server.GatewayServer;
import io.caravan.server.PlatformHttpServer;
import io.caravan.service.ModelCatalog;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes start-up once the HTTP server is bound: installs the dialect-shaped router error answers, refuses to run
 * open to the network without client keys, and logs what the gateway serves (keys masked).
 */
final class StartupReport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger("caravan");

    private final GatewayServer server;
    private final CredentialPool pool;
    private final ModelCatalog catalog;
    private final ClientAuthenticator authenticator;
    private final AdminAuthenticator admins;
    private final boolean demo;

    StartupReport(GatewayServer server, CredentialPool pool, ModelCatalog catalog, ClientAuthenticator authenticator,
            AdminAuthenticator admins, boolean demo) {
        this.server = server;
        this.pool = pool;
        this.catalog = catalog;
        this.authenticator = authenticator;
        this.admins = admins;
        this.demo = demo;
    }

    static void noteMissingCredentialsFile(Path file) {
        LOG.warn("Credentials file {} not found: only credentials from OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY (if set) "
                + "and the built-in demo model are served", file.toAbsolutePath());
    }

    /** Before the server binds: with no client keys it listens on loopback only, whatever the settings say. */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        if (authenticator.open()) {
            server.listenOnLoopback(context);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        VertxPlatformHttpRouter router = server.router(context);
        if (router == null) {
            throw new ConfigurationException("The HTTP server is not enabled: set camel.server.enabled=true");
        }
        RouterErrors.install(router, servedPaths(context));
        String host = server.host(context);
        if (authenticator.open() && !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new ConfigurationException("No client keys are configured (caravan.client-keys) but the server "
                    + "would listen on " + host + ": set client keys, or listen on 127.0.0.1");
        }
        LOG.info("Caravan listening on http://{}:{}", host, server.port(context));
        LOG.info("Endpoints: POST /v1/chat/completions, POST /v1/messages, POST /v1/messages/count_tokens, "
                + "POST /v1/responses, POST /v1/embeddings, POST /v1beta/models/{model}:generateContent | "
                + ":streamGenerateContent | :countTokens | :embedContent | :batchEmbedContents (also under /v1/), "
                + "GET /v1/models, GET /v1beta/models, GET /caravan/v1/me, GET /healthz{}",
                admins.enabled() ? ", /admin/v1/*" : " (admin API off: no caravan.admin-keys)");
        if (authenticator.open()) {
            LOG.warn("No client keys configured (caravan.client-keys): anyone on this machine can use the gateway; "
                    + "listening on loopback only");
        } else {
            LOG.info("Clients: {} ({})", authenticator.keyCount(), authenticator.clientNames());
        }
        for (Credential c : pool.credentials()) {
            LOG.info("Credential {} kind={} base-url={} key={} models={} max-concurrent={}{}", c.name(), c.kind().id(),
                    c.spec().baseUrl(), c.spec().maskedKey(), c.spec().models(), c.spec().maxConcurrent(),
                    c.enabled() ? "" : " (disabled)");
        }
        if (demo) {
            LOG.warn("No credentials configured: serving the BUILT-IN DEMO model '{}' (in-process, no upstream). "
                    + "Add credentials to {} to reach real models", io.caravan.demo.DemoModelServer.MODEL, "credentials.yaml");
        }
        LOG.info("Models listed: {}", catalog.models().keySet());
    }

    /**
     * The paths the gateway's router serves: the gateway's routes, and, when it serves on the context's own
     * platform-http server, the user's {@code platform-http} routes there.
     */
    private Set<String> servedPaths(CamelContext context) {
        Set<String> paths = new HashSet<>(endpointPaths(context, Beans.HTTP));
        if (server instanceof PlatformHttpServer) {
            paths.addAll(endpointPaths(context, PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME));
        }
        return paths;
    }

    private static Set<String> endpointPaths(CamelContext context, String component) {
        PlatformHttpComponent http = context.hasComponent(component) instanceof PlatformHttpComponent found ? found : null;
        return http == null ? Set.of()
                : http.getHttpEndpoints().stream().map(e -> e.getUri()).collect(Collectors.toSet());
    }
}
