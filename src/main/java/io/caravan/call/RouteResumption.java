package io.caravan.call;

import io.vertx.core.Vertx;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * Hands a route that went asynchronous back to Camel once its upstream step has settled.
 *
 * <p>The step settles on an event loop, but the route's next steps may block (the rotation policy may wait for a
 * free credential, a user's hook route may call out), so the route resumes on a worker thread, which is free again
 * as soon as the route either ends or goes asynchronous once more.
 */
final class RouteResumption {

    /** What the step does with a successful result before the route goes on; runs on the worker thread. */
    @FunctionalInterface
    interface Finish {
        void run() throws Exception;
    }

    private final Vertx vertx;

    RouteResumption(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Resumes the route: with {@code failure} on the exchange if there is one, else after {@code finish} ran. */
    void resume(Exchange exchange, AsyncCallback callback, Throwable failure, Finish finish) {
        vertx.executeBlocking(() -> {
            try {
                if (failure != null) {
                    exchange.setException(UpstreamWait.unwrap(failure));
                } else {
                    finish.run();
                }
            } catch (Exception e) {
                exchange.setException(e);
            } finally {
                callback.done(false);
            }
            return null;
        }, false);
    }
}
