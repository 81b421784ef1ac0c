package io.caravan.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Placed before a call to a hook endpoint: moves the route to a worker thread when a hook route behind that endpoint
 * may block (see {@link EventLoopSafety}), and does nothing when there is no hook route or it only works on the
 * message in memory. Hook routes are user-edited YAML, loaded after the Java routes, so the decision is taken on
 * first use.
 */
public final class HookThread extends AsyncProcessorSupport implements CamelContextAware {

    private final Vertx vertx;
    private final String hookUri;
    private final EventLoopSafety safety;
    private CamelContext camelContext;
    private volatile Boolean needsWorker;

    /** @param hookUri the hook endpoint's URI; its options are ignored */
    public HookThread(Vertx vertx, String hookUri, EventLoopSafety safety) {
        this.vertx = vertx;
        this.hookUri = hookUri;
        this.safety = safety;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (!Context.isOnEventLoopThread() || !needsWorker()) {
            callback.done(true);
            return true;
        }
        vertx.executeBlocking(() -> {
            callback.done(false);
            return null;
        }, false);
        return false;
    }

    /** Whether any route consuming from the hook endpoint may block. */
    public boolean needsWorker() {
        Boolean decided = needsWorker;
        if (decided == null) {
            decided = false;
            for (RouteDefinition route : EventLoopSafety.routesFrom(camelContext, hookUri)) {
                decided |= !safety.neverBlocks(camelContext, route);
            }
            needsWorker = decided;
        }
        return decided;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
