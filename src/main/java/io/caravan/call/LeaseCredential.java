package io.caravan.call;

import io.caravan.config.GatewaySettings;
import io.caravan.pool.CredentialPool;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Enriches the exchange with a credential leased from the pool (waiting in the bounded queue if all are busy). */
public final class LeaseCredential implements Processor {

    private final CredentialPool pool;
    private final DialectBridge bridge;
    private final GatewaySettings settings;

    public LeaseCredential(CredentialPool pool, DialectBridge bridge, GatewaySettings settings) {
        this.pool = pool;
        this.bridge = bridge;
        this.settings = settings;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        GatewayCall call = GatewayCall.of(exchange);
        call.useLease(pool.lease(call.model(), bridge.servingKinds(call), call.tried(), settings.queueMaxWait()));
    }
}
