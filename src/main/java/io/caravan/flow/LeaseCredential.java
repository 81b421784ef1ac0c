package io.caravan.flow;

import io.caravan.bridge.DialectBridge;
import io.caravan.config.GatewaySettings;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.Lease;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Enriches the exchange with a credential leased from the pool, one the request has not tried yet. When every
 * credential for the model is at its concurrency limit the request waits in the pool's bounded queue, and never on
 * an event loop: a route that started on one continues on a worker thread once a credential is free. As a route step
 * it leases the first attempt's credential; the upstream step leases the next ones through {@link #lease}.
 */
public final class LeaseCredential extends AsyncProcessorSupport {

    /** What follows a lease. */
    @FunctionalInterface
    interface Then {
        /**
         * @param failure why no credential was leased (a {@code NoCredentialException}, mostly), or {@code null} when
         *     the call holds its new lease
         * @param sync whether this runs on the thread that asked for the lease, before {@link #lease} returned
         * @return when {@code sync}, whether the work that follows completed synchronously too (ignored otherwise)
         */
        boolean run(Exception failure, boolean sync);
    }

    private final CredentialPool pool;
    private final DialectBridge bridge;
    private final GatewaySettings settings;
    private final Vertx vertx;

    public LeaseCredential(CredentialPool pool, DialectBridge bridge, GatewaySettings settings, Vertx vertx) {
        this.pool = pool;
        this.bridge = bridge;
        this.settings = settings;
        this.vertx = vertx;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        return lease(GatewayCall.of(exchange), (failure, sync) -> {
            if (failure != null) {
                exchange.setException(failure);
            }
            callback.done(sync);
            return sync;
        });
    }

    /**
     * Leases the call's next credential and then runs {@code then}: at once when a credential is free (or, off the
     * event loop, after waiting for one), else on a worker thread after the wait.
     *
     * @return {@code then}'s answer when it ran before this returned, else {@code false}
     */
    boolean lease(GatewayCall call, Then then) {
        Lease lease;
        try {
            lease = Context.isOnEventLoopThread()
                    ? pool.leaseIfFree(call.model(), bridge.servingKinds(call), call.tried())
                    : waitForLease(call);
        } catch (Exception e) {
            return then.run(e, true);
        }
        if (lease != null) {
            call.useLease(lease);
            return then.run(null, true);
        }
        vertx.executeBlocking(() -> {
            Exception failure = null;
            try {
                call.useLease(waitForLease(call));
            } catch (Exception e) {
                failure = e;
            }
            then.run(failure, false);
            return null;
        }, false);
        return false;
    }

    private Lease waitForLease(GatewayCall call) throws Exception {
        return pool.lease(call.model(), bridge.servingKinds(call), call.tried(), settings.queueMaxWait());
    }
}
