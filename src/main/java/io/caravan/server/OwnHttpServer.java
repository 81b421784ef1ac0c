package io.caravan.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The gateway's own server, for the gateway embedded in another Camel application: a router of its own, bound in the
 * registry under {@link #ROUTER_NAME} (not under platform-http's names, so the application's {@code platform-http}
 * routes stay on the application's server), served by the gateway's listeners on {@code caravan.server.host} and
 * {@code caravan.server.port}. There is no server to replace: the listeners are the only ones on the port.
 */
public final class OwnHttpServer implements GatewayServer {

    /** The registry name of the gateway's router. */
    public static final String ROUTER_NAME = "caravan-http-router";

    private final VertxPlatformHttpRouter router;
    private final int configuredPort;
    private final long maxBodyBytes;
    private volatile String host;
    private volatile int port;

    /**
     * @param maxBodyBytes the largest request body; larger ones are refused with 413 (0 or less: no bound)
     */
    public OwnHttpServer(Vertx vertx, String host, int port, long maxBodyBytes) {
        this.host = host;
        this.configuredPort = port;
        this.port = port;
        this.maxBodyBytes = maxBodyBytes <= 0 ? Integer.MAX_VALUE : Math.min(maxBodyBytes, Integer.MAX_VALUE);
        Router routes = Router.router(vertx);
        Handler<RoutingContext> bodies = bodyHandler(this.maxBodyBytes);
        // No platform-http server behind it: Camel's lookups of the application's server pass it by.
        this.router = new VertxPlatformHttpRouter(null, vertx, routes, ROUTER_NAME) {
            @Override
            public Handler<RoutingContext> bodyHandler() {
                return bodies;
            }
        };
    }

    /** Binds the router where the gateway's consumers look for it; before the routes start. */
    public void bind(CamelContext context) {
        context.getRegistry().bind(ROUTER_NAME, router);
    }

    /**
     * As platform-http's own body handler: the request, paused until a route takes it, is resumed and read whole
     * up to the limit.
     */
    private static Handler<RoutingContext> bodyHandler(long maxBodyBytes) {
        BodyHandler handler = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        return ctx -> {
            ctx.request().resume();
            handler.handle(ctx);
        };
    }

    @Override
    public String routerName(NonBlockingHttpEngine engine) {
        return ROUTER_NAME;
    }

    @Override
    public VertxPlatformHttpRouter router(CamelContext context) {
        return router;
    }

    @Override
    public String host(CamelContext context) {
        return host;
    }

    @Override
    public int configuredPort(CamelContext context) {
        return configuredPort;
    }

    @Override
    public int port(CamelContext context) {
        return port;
    }

    @Override
    public void listenOnLoopback(CamelContext context) {
        host = PlatformHttpServer.LOOPBACK;
    }

    @Override
    public long maxBodyBytes(CamelContext context) {
        return maxBodyBytes;
    }

    @Override
    public boolean tls(CamelContext context) {
        return false;
    }

    @Override
    public HttpServer serverToReplace(CamelContext context) {
        return null;
    }

    @Override
    public void listening(int port) {
        this.port = port;
    }
}
