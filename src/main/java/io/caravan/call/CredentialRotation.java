package io.caravan.call;

import io.caravan.config.GatewaySettings;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.Lease;
import io.caravan.pool.NoCredentialException;
import io.caravan.upstream.UpstreamFailure;
import io.vertx.core.Context;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The redelivery policy's two halves. {@link #mayRotate} (the {@code retryWhile} predicate) decides whether a failed
 * attempt is retried with another credential and, if so, leases it; {@link #process} (the {@code onRedelivery}
 * processor) switches the call to that credential just before the upstream step runs again.
 *
 * <p>Rotation is allowed only while nothing has reached the caller and the caller is still there, never to a
 * credential the request already tried, and at most {@code request-retry} times for failures that spend a retry
 * (a 429 does not).
 */
public final class CredentialRotation implements Processor {

    private final CredentialPool pool;
    private final DialectBridge bridge;
    private final GatewaySettings settings;

    public CredentialRotation(CredentialPool pool, DialectBridge bridge, GatewaySettings settings) {
        this.pool = pool;
        this.bridge = bridge;
        this.settings = settings;
    }

    /** Idempotent: Camel may evaluate the predicate more than once for one failure. */
    public boolean mayRotate(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        if (call.nextLease() != null) {
            return true;
        }
        // The error handler has moved the failure from the exchange to this property by now.
        if (!(exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof UpstreamFailure failure)
                || !failure.rotatable() || call.committed() || call.callerGone()) {
            return false;
        }
        if (failure.spendsRetry() && call.retriesSpent() >= settings.requestRetry()) {
            return false;
        }
        Lease next;
        try {
            // Failures resume the route on a worker thread, where waiting for a busy credential is allowed.
            next = Context.isOnEventLoopThread()
                    ? pool.leaseIfFree(call.model(), bridge.servingKinds(call), call.tried())
                    : pool.lease(call.model(), bridge.servingKinds(call), call.tried(), settings.queueMaxWait());
        } catch (NoCredentialException e) {
            return false;
        }
        if (next == null) {
            return false;
        }
        if (failure.spendsRetry()) {
            call.spendRetry();
        }
        call.setNextLease(next);
        return true;
    }

    @Override
    public void process(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        Lease next = call.nextLease();
        call.setNextLease(null);
        call.useLease(next);
    }
}
