package io.caravan.flow;

import io.caravan.config.GatewaySettings;
import io.caravan.exchange.GatewayCall;
import io.caravan.upstream.RotationPolicy;
import io.caravan.upstream.UpstreamFailure;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The redelivery policy's decision and its bookkeeping. {@link #mayRotate} (the {@code retryWhile} predicate) only
 * decides whether a failed attempt is tried again with another credential; {@link #process} (the {@code onRedelivery}
 * processor) counts the retry the decision spent. The next credential itself is leased by the redelivered upstream
 * step ({@link UpstreamCallStep}), which is also where a request that has no credential left learns it.
 *
 * <p>Rotation is allowed only while nothing has reached the caller and the caller is still there, for failures the
 * {@link RotationPolicy} rotates on, and at most {@code request-retry} times for failures that spend a retry (a 429
 * does not).
 */
public final class CredentialRotation implements Processor {

    private final GatewaySettings settings;

    public CredentialRotation(GatewaySettings settings) {
        this.settings = settings;
    }

    /** A pure decision, free to be evaluated any number of times for one failure: it reads, and changes nothing. */
    public boolean mayRotate(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        // The error handler has moved the failure from the exchange to this property by now.
        if (!(exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof UpstreamFailure failure)
                || call.outOfCredentials() || call.committed() || call.callerGone()) {
            return false;
        }
        RotationPolicy rule = RotationPolicy.of(failure);
        return rule.rotates() && (!rule.spendsRetry() || call.retriesSpent() < settings.requestRetry());
    }

    /** Runs once per redelivery, just before the upstream step runs again. */
    @Override
    public void process(Exchange exchange) {
        if (RotationPolicy.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, UpstreamFailure.class)).spendsRetry()) {
            GatewayCall.of(exchange).spendRetry();
        }
    }
}
