package io.caravan.call;

import io.caravan.config.GatewaySettings;
import io.caravan.pool.Credential;
import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import io.caravan.relay.SseRelay;
import io.caravan.relay.StreamEnd;
import io.caravan.translate.StreamTranslator;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamClient;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sends a streaming request with the leased credential and hands the answer to the request's {@link SseRelay}.
 * Failures before the first event are thrown for the redelivery policy to rotate on; once the first event reached
 * the caller this step only waits for the stream to end, then returns the lease.
 */
public final class StreamUpstreamCall implements Processor {

    /** The exchange property holding the request's relay. */
    public static final String RELAY = "caravan.relay";

    private final UpstreamClient client;
    private final DialectBridge bridge;
    private final GatewaySettings settings;

    public StreamUpstreamCall(UpstreamClient client, DialectBridge bridge, GatewaySettings settings) {
        this.client = client;
        this.bridge = bridge;
        this.settings = settings;
    }

    /** The first step of a streaming route: keep-alives run from here on, even while a credential is awaited. */
    public void openRelay(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        SseRelay relay = new SseRelay(client.vertx(), call, settings.keepAliveInterval(), settings.idleTimeout());
        exchange.setProperty(RELAY, relay);
        relay.open();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        GatewayCall call = GatewayCall.of(exchange);
        SseRelay relay = exchange.getProperty(RELAY, SseRelay.class);
        Lease lease = call.lease();
        Credential credential = lease.credential();
        StreamTranslator translator = bridge.streamTranslator(call, credential);
        UpstreamAttempt<Void> attempt = client.send(call, credential, bridge.requestBody(call, credential),
                (response, self) -> relay.attach(response, self, translator));
        UpstreamWait.await(call, lease, attempt, settings.requestDeadline());
        call.setFinalStatus(200);
        StreamEnd end;
        try {
            end = UpstreamWait.await(relay.finished(), settings.requestDeadline());
        } catch (TimeoutException e) {
            relay.failInBand(504, "The request exceeded the gateway's deadline");
            attempt.abort(e);
            end = StreamEnd.UPSTREAM_FAILED;
        }
        lease.release(switch (end) {
            case COMPLETED -> Outcome.SUCCESS;
            case CALLER_GONE -> Outcome.NEUTRAL;
            case UPSTREAM_FAILED -> Outcome.TRANSIENT_FAILURE;
        });
    }
}
