package io.caravan.server;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerImpl;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.StartupListener;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves callers on every event loop, not just one.
 *
 * <p>platform-http listens with a single Vert.x {@link HttpServer}, and a server handles all of its connections on
 * the one event loop it was started on, so every caller socket, every relayed event and (because upstream requests
 * are issued from the caller's context) every upstream socket would share one thread. Vert.x shares a port among
 * the servers of one instance and hands new connections to them in turn, so one more listener per event loop, with
 * the same request handler, spreads the connections over all of them.
 */
public final class ListenerPerEventLoop extends LifecycleStrategySupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerPerEventLoop.class);

    private final Vertx vertx;
    private final int eventLoops;
    private volatile String deployment;

    public ListenerPerEventLoop(Vertx vertx, int eventLoops) {
        this.vertx = vertx;
        this.eventLoops = eventLoops;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        MainHttpServer main = context.hasService(MainHttpServer.class);
        if (main == null || eventLoops < 2) {
            return;
        }
        VertxPlatformHttpServer platform = main.getRouter().getServer();
        if (main.getSslContextParameters() != null || main.isUseGlobalSslContextParameters()) {
            // The extra listeners would need the same TLS set-up; terminating TLS in front of the gateway is usual.
            LOG.info("HTTPS is configured on the embedded server: callers are served on one event loop");
            return;
        }
        if (!(platform.getServer() instanceof HttpServerImpl first) || first.requestHandler() == null) {
            LOG.warn("The embedded server's request handler is out of reach: callers are served on one event loop");
            return;
        }
        Handler<HttpServerRequest> handler = first.requestHandler();
        String host = main.getHost();
        int port = platform.getPort();
        deployment = vertx.deployVerticle(() -> new Listener(handler, host, port),
                new DeploymentOptions().setInstances(eventLoops - 1)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        LOG.debug("Serving {}:{} on {} event loops", host, port, eventLoops);
    }

    /** The extra listeners close with the embedded server, not later with Vert.x. */
    @Override
    public void onContextStopping(CamelContext context) {
        String id = deployment;
        if (id != null) {
            deployment = null;
            vertx.undeploy(id);
        }
    }

    private static final class Listener extends AbstractVerticle {
        private final Handler<HttpServerRequest> handler;
        private final String host;
        private final int port;

        Listener(Handler<HttpServerRequest> handler, String host, int port) {
            this.handler = handler;
            this.host = host;
            this.port = port;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(new HttpServerOptions()).requestHandler(handler).listen(port, host)
                    .<Void>mapEmpty().onComplete(started);
        }
    }
}
