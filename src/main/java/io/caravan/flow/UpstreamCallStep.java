package io.caravan.flow;

import io.caravan.exchange.GatewayCall;
import io.caravan.pool.NoCredentialException;
import io.caravan.upstream.UpstreamFailure;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The step the rotation policy redelivers: one upstream attempt with the call's credential. The first attempt uses
 * the credential the route leased before its hooks ran. A failed attempt returns its lease before the error handler
 * sees the failure, so a returned lease here means a redelivery: the next credential is leased first, never one the
 * request tried, waiting for a busy one only off the event loop. When none is left, the attempt fails again with the
 * last upstream failure, which {@link CredentialRotation} then lets through to the caller.
 */
abstract class UpstreamCallStep extends AsyncProcessorSupport {

    private final LeaseCredential leasing;

    UpstreamCallStep(LeaseCredential leasing) {
        this.leasing = leasing;
    }

    @Override
    public final boolean process(Exchange exchange, AsyncCallback callback) {
        GatewayCall call = GatewayCall.of(exchange);
        if (!call.lease().released()) {
            return attempt(exchange, callback);
        }
        UpstreamFailure last = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, UpstreamFailure.class);
        return leasing.lease(call, (failure, sync) -> {
            if (failure instanceof NoCredentialException && last != null) {
                call.markOutOfCredentials();
                exchange.setException(last);
            } else if (failure != null) {
                exchange.setException(failure);
            } else {
                return attempt(exchange, sync ? callback : doneSync -> callback.done(false));
            }
            callback.done(sync);
            return sync;
        });
    }

    /** Sends the request with {@code GatewayCall.lease()}; an asynchronous processor's {@code process}. */
    abstract boolean attempt(Exchange exchange, AsyncCallback callback);
}
