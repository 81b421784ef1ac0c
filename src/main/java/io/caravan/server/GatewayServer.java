package io.caravan.server;

import io.vertx.core.http.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Where callers reach the gateway: the router its routes are mounted on and the address its listeners bind. Either
 * the Camel context's own platform-http server ({@link PlatformHttpServer}: the standalone jar, which is the
 * application and serves on {@code camel.server.*}), or a server of the gateway's own ({@link OwnHttpServer}: the
 * gateway embedded in another application, on {@code caravan.server.*}, leaving {@code camel.server.*} and
 * platform-http to that application).
 */
public interface GatewayServer {

    /** The name the gateway's platform-http consumers find the router by. */
    String routerName(NonBlockingHttpEngine engine);

    /** The router, once the context has started; {@code null} when there is no server to serve on. */
    VertxPlatformHttpRouter router(CamelContext context);

    /** The address the listeners bind. */
    String host(CamelContext context);

    /** The configured port; 0 for a random one. */
    int configuredPort(CamelContext context);

    /** The port callers reach, once the listeners are up. */
    int port(CamelContext context);

    /** Binds loopback only, whatever the settings say; called before the server binds. */
    void listenOnLoopback(CamelContext context);

    /** The largest request body, and WebSocket message, a caller may send. */
    long maxBodyBytes(CamelContext context);

    /** Whether TLS is configured on the server (the listeners then leave it to platform-http's own server). */
    boolean tls(CamelContext context);

    /**
     * A server already listening on the port, to be closed once the guarded listeners have taken over; {@code null}
     * when there is none.
     */
    HttpServer serverToReplace(CamelContext context);

    /** Called once the listeners are up, with the port they bound. */
    default void listening(int port) {
    }
}
