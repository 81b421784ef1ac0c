package io.caravan.call;

import io.caravan.config.GatewaySettings;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.Lease;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Enriches the exchange with a credential leased from the pool. When every credential for the model is at its
 * concurrency limit the request waits in the pool's bounded queue, and because routes start on an event loop, that
 * wait happens on a worker thread: the route continues there once a credential is free.
 */
public final class LeaseCredential extends AsyncProcessorSupport {

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
        GatewayCall call = GatewayCall.of(exchange);
        try {
            Lease lease = Context.isOnEventLoopThread()
                    ? pool.leaseIfFree(call.model(), bridge.servingKinds(call), call.tried())
                    : waitForLease(call);
            if (lease != null) {
                call.useLease(lease);
                callback.done(true);
                return true;
            }
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        vertx.executeBlocking(() -> {
            try {
                call.useLease(waitForLease(call));
            } catch (Exception e) {
                exchange.setException(e);
            }
            callback.done(false);
            return null;
        }, false);
        return false;
    }

    private Lease waitForLease(GatewayCall call) throws Exception {
        return pool.lease(call.model(), bridge.servingKinds(call), call.tried(), settings.queueMaxWait());
    }
}
