package io.caravan.server;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * the servers of one instance and hands new connections to the event loops those servers run on, in turn. So one
 * more listener, with the same request handler, is started on each event loop by name: deploying them as verticles
 * lets Vert.x pick their loops round-robin from wherever its counter stands, and that can land them on the loop
 * platform-http already uses, leaving another loop idle. A loop that ends up with two listeners still gets only
 * its one turn.
 */
public final class ListenerPerEventLoop extends LifecycleStrategySupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerPerEventLoop.class);

    private final Vertx vertx;
    private final List<HttpServer> listeners = new CopyOnWriteArrayList<>();

    public ListenerPerEventLoop(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        MainHttpServer main = context.hasService(MainHttpServer.class);
        List<EventLoop> loops = eventLoops();
        if (main == null || loops.size() < 2) {
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
        if (main.getPort() == 0) {
            // Vert.x shares a listening socket between servers only by the port they asked for, not a random one.
            LOG.info("Listening on a random port: callers are served on one event loop");
            return;
        }
        List<Future<HttpServer>> started = new ArrayList<>();
        for (EventLoop loop : loops) {
            Promise<HttpServer> listening = Promise.promise();
            ContextInternal onLoop = ((VertxInternal) vertx).createEventLoopContext(loop, null, getClass().getClassLoader());
            onLoop.runOnContext(v -> vertx.createHttpServer(new HttpServerOptions()).requestHandler(handler).listen(port, host)
                    .onSuccess(listeners::add)
                    .onComplete(listening));
            started.add(listening.future());
        }
        Future.all(started).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.debug("Serving {}:{} on {} event loops", host, port, loops.size());
    }

    /** The extra listeners close with the embedded server, not later with Vert.x. */
    @Override
    public void onContextStopping(CamelContext context) {
        for (HttpServer listener : listeners) {
            listener.close();
        }
        listeners.clear();
    }

    private List<EventLoop> eventLoops() {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : vertx.nettyEventLoopGroup()) {
            loops.add((EventLoop) executor);
        }
        return loops;
    }
}
