package io.caravan.flow;

import io.vertx.core.Vertx;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * Hands a route that went asynchronous back to Camel once its upstream step has settled.
 *
 * <p>The step settles on an event loop. After a success the route resumes right there: what is left of it
 * (describing the request, the after-response hook, which moves to a worker itself if it may block) does not wait.
 * After a failure it resumes on a worker thread, because the rotation policy may wait for a free credential.
 */
final class RouteResumption {

    private final Vertx vertx;

    RouteResumption(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Resumes the route, with {@code failure} (if not null) on the exchange for its error handler. */
    void resume(Exchange exchange, AsyncCallback callback, Throwable failure) {
        if (failure == null) {
            callback.done(false);
            return;
        }
        vertx.executeBlocking(() -> {
            exchange.setException(failure);
            callback.done(false);
            return null;
        }, false);
    }
}
