package io.caravan.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the router failures that only say the caller went away (a connection closed or an HTTP/2 stream reset while
 * its body was being read): logged at debug, not passed on to Vert.x Web, which would log each one as an ERROR
 * "Unhandled exception in router". Any other failure goes on to the next failure handler.
 */
final class DepartedCallers implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(DepartedCallers.class);

    private DepartedCallers() {
    }

    /** Installs the handler ahead of the router's other failure handlers. */
    static void install(Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(new DepartedCallers());
    }

    static boolean isDeparture(Throwable failure) {
        return failure instanceof HttpClosedException || failure instanceof StreamResetException;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!isDeparture(ctx.failure()) && !ctx.response().closed()) {
            ctx.next();
            return;
        }
        LOG.debug("The caller of {} went away before its request was read: {}", ctx.request().path(),
                String.valueOf(ctx.failure()));
        if (!ctx.response().ended()) {
            ctx.response().end();
        }
    }
}
