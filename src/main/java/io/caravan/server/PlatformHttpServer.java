package io.caravan.server;

import io.vertx.core.http.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The Camel context's own HTTP server, platform-http-main's {@link MainHttpServer} on {@code camel.server.*}: the
 * standalone gateway serves on it, and so does every {@code platform-http} route of the user's.
 */
public final class PlatformHttpServer implements GatewayServer {

    static final String LOOPBACK = "127.0.0.1";

    @Override
    public String routerName(NonBlockingHttpEngine engine) {
        return VertxPlatformHttpRouter.getRouterNameFromPort(engine.getServerPort());
    }

    @Override
    public VertxPlatformHttpRouter router(CamelContext context) {
        MainHttpServer main = main(context);
        return main == null ? null : main.getRouter();
    }

    @Override
    public String host(CamelContext context) {
        return main(context).getHost();
    }

    @Override
    public int configuredPort(CamelContext context) {
        return main(context).getPort();
    }

    @Override
    public int port(CamelContext context) {
        return main(context).getRouter().getServer().getPort();
    }

    @Override
    public void listenOnLoopback(CamelContext context) {
        MainHttpServer main = main(context);
        if (main != null) {
            main.setHost(LOOPBACK);
        }
    }

    @Override
    public long maxBodyBytes(CamelContext context) {
        Long configured = main(context).getMaxBodySize();
        return configured == null || configured <= 0 ? Integer.MAX_VALUE : Math.min(configured, Integer.MAX_VALUE);
    }

    @Override
    public boolean tls(CamelContext context) {
        MainHttpServer main = main(context);
        return main.getSslContextParameters() != null || main.isUseGlobalSslContextParameters();
    }

    @Override
    public HttpServer serverToReplace(CamelContext context) {
        return main(context).getRouter().getServer().getServer();
    }

    private static MainHttpServer main(CamelContext context) {
        return context.hasService(MainHttpServer.class);
    }
}
