package io.caravan.call;

import io.vertx.core.Vertx;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * Hands a route that went asynchronous back to Camel once its upstream step has settled.
 *
 * <p>The step settles on an event loop, and whatever reaches the caller is written there at once; but the route's
 * next steps may block (the rotation policy may wait for a free credential, a user's hook route may call out), so
 * the route resumes on a worker thread, which is free again as soon as the route either ends or goes asynchronous
 * once more.
 */
final class RouteResumption {

    private final Vertx vertx;

    RouteResumption(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Resumes the route, with {@code failure} (if not null) on the exchange for its error handler. */
    void resume(Exchange exchange, AsyncCallback callback, Throwable failure) {
        vertx.executeBlocking(() -> {
            if (failure != null) {
                exchange.setException(UpstreamWait.unwrap(failure));
            }
            callback.done(false);
            return null;
        }, false);
    }
}
