package io.caravan.server;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves callers with Caravan's own listeners, one per event loop, each guarded by the {@link ConnectionGuard}.
 *
 * <p>platform-http-main starts a single Vert.x {@link HttpServer} with default options and offers no way to set its
 * options or a connection handler, so it would serve callers with no time-outs and no connection cap, and, since a
 * server handles all its connections on the one event loop it was started on, on one thread. So once the routes are
 * up, one listener per event loop is deployed (one verticle instance each: Vert.x gives consecutive instances
 * consecutive loops, and {@link #deployOnEveryLoop} checks that they got them) with the same request handler,
 * platform-http's router, and cleartext HTTP/2 off (see {@link #OPTIONS}). They share the port with platform-http's
 * server (Vert.x shares a port among the servers of one instance, handing new connections to their loops in turn),
 * and then platform-http's own server is closed, so every caller connection is accepted by a guarded listener. The
 * port's socket stays bound throughout. With a random port (0) the port cannot be shared, so platform-http's server
 * is closed first and the listeners bind the port it had.
 *
 * <p>Embedded in another application the gateway has a server of its own instead ({@link OwnHttpServer}): the
 * listeners are then the only servers on its port, and a random port is picked before they bind it.
 *
 * <p>Only public API is used: platform-http-main's {@link MainHttpServer} service (its router, server and TLS
 * settings) and Vert.x verticles and servers.
 *
 * <p>With TLS on the embedded server the listeners would need its TLS set-up, which platform-http keeps to itself:
 * platform-http's own server then stays, without Caravan's time-outs (terminating TLS in front of the gateway is
 * usual, and is what this is built for).
 */
public final class ListenerPerEventLoop extends LifecycleStrategySupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerPerEventLoop.class);

    /**
     * Cleartext HTTP/2 off: with it on, Vert.x holds each new connection in a stage that waits for its first bytes
     * (to tell an HTTP/2 preface from HTTP/1.1) before any connection handler sees it, so a connection that sends
     * nothing would escape the header time-out and the connection cap. HTTP/2 clients fall back to HTTP/1.1 over
     * http:// (the upgrade is declined); behind TLS termination HTTP/2 is the proxy's business.
     */
    private static final HttpServerOptions OPTIONS = new HttpServerOptions().setHttp2ClearTextEnabled(false);
    /** Deployments tried until the listeners sit on distinct event loops. */
    private static final int PLACEMENT_ATTEMPTS = 3;

    private final Vertx vertx;
    private final GatewayServer server;
    private final ConnectionGuard guard;
    private final int eventLoops;
    private volatile String deployment;

    public ListenerPerEventLoop(Vertx vertx, GatewayServer server, ConnectionGuard guard, int eventLoops) {
        this.vertx = vertx;
        this.server = server;
        this.guard = guard;
        this.eventLoops = eventLoops;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        VertxPlatformHttpRouter router = server.router(context);
        if (router == null) {
            return;
        }
        DepartedCallers.install(router);
        if (server.tls(context)) {
            LOG.warn("HTTPS is configured on the embedded server: callers are served by platform-http's own listener, "
                    + "on one event loop and without the caravan.listener.* time-outs and connection cap");
            return;
        }
        Handler<HttpServerRequest> handler = guard.requests(router);
        // A Responses WebSocket's messages are bounded like request bodies (a frame beyond it: the codec drops the
        // connection from the frame's length alone; a message of several frames beyond it: see ResponsesSocket).
        int maxFrame = (int) server.maxBodyBytes(context);
        HttpServerOptions options = new HttpServerOptions(OPTIONS).setMaxWebSocketFrameSize(maxFrame)
                .setMaxWebSocketMessageSize(maxFrame);
        String host = server.host(context);
        HttpServer replaced = server.serverToReplace(context);
        boolean randomPort = server.configuredPort(context) == 0;
        int port = replaced != null ? replaced.actualPort()
                : randomPort ? freePort(host) : server.configuredPort(context);
        if (replaced != null && randomPort) {
            await(replaced.close());
        }
        deployment = deployOnEveryLoop(options, handler, host, port);
        if (replaced != null && !randomPort) {
            await(replaced.close());
        }
        server.listening(port);
        guard.start();
        LOG.debug("Serving {}:{} on {} event loops", host, port, eventLoops);
    }

    /**
     * A port free now, for listeners asked for a random one: Vert.x shares a port among servers only when they ask
     * for the same number, so they cannot each ask for 0.
     */
    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    /** The listeners close with the embedded server, not later with Vert.x (after any drain, registered before). */
    @Override
    public void onContextStopping(CamelContext context) {
        guard.stop();
        String deployed = deployment;
        deployment = null;
        if (deployed != null) {
            try {
                await(vertx.undeploy(deployed));
            } catch (Exception e) {
                LOG.warn("The listeners did not close cleanly: {}", e.toString());
            }
        }
    }

    /**
     * Deploys one listener per event loop and checks where they landed: Vert.x picks each instance's loop from a
     * counter shared with every other context it creates, so a context created meanwhile elsewhere could put two
     * listeners on one loop and leave another without one. Then the listeners are deployed again.
     */
    private String deployOnEveryLoop(HttpServerOptions options, Handler<HttpServerRequest> handler, String host, int port)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            Set<Thread> loops = ConcurrentHashMap.newKeySet();
            String deployed = await(vertx.deployVerticle(() -> new Listener(options, handler, host, port, loops),
                    new DeploymentOptions().setInstances(eventLoops)));
            if (loops.size() == eventLoops) {
                return deployed;
            }
            if (attempt == PLACEMENT_ATTEMPTS) {
                LOG.warn("The {} listeners landed on {} event loops only: callers are served by fewer threads than "
                        + "configured", eventLoops, loops.size());
                return deployed;
            }
            await(vertx.undeploy(deployed));
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One guarded listener on the event loop of its verticle instance. */
    private final class Listener extends AbstractVerticle {
        private final HttpServerOptions options;
        private final Handler<HttpServerRequest> handler;
        private final String host;
        private final int port;
        private final Set<Thread> loops;

        Listener(HttpServerOptions options, Handler<HttpServerRequest> handler, String host, int port, Set<Thread> loops) {
            this.options = options;
            this.handler = handler;
            this.host = host;
            this.port = port;
            this.loops = loops;
        }

        @Override
        public void start(Promise<Void> started) {
            // A verticle starts on its event loop, and the server it starts listens there.
            loops.add(Thread.currentThread());
            vertx.createHttpServer(options).connectionHandler(guard).requestHandler(handler)
                    .listen(port, host).<Void>mapEmpty().onComplete(started);
        }
    }
}
