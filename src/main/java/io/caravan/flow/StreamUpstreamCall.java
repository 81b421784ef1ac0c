package io.caravan.flow;

import io.caravan.bridge.DialectBridge;
import io.caravan.config.GatewaySettings;
import io.caravan.dialect.StreamTranslator;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Credential;
import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import io.caravan.relay.OpenStreams;
import io.caravan.relay.SseRelay;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamClient;
import io.caravan.upstream.UpstreamRequest;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * Sends a streaming request with the leased credential (on a redelivery, the next one: see {@link UpstreamCallStep})
 * and hands the answer to the request's {@link SseRelay}.
 * Failures before the first event are set on the exchange for the redelivery policy to rotate on; once the first
 * event reached the caller this step completes when the stream ends, and returns the lease. No thread waits for the
 * stream: the step is asynchronous, and the relay runs on the event loops.
 */
public final class StreamUpstreamCall extends UpstreamCallStep {

    /** The exchange property holding the request's relay. */
    public static final String RELAY = "caravan.relay";
    /** How a stream that failed after its first event goes back: the admin API shows it as the last error. */
    private static final Outcome BROKE_OFF = Outcome.failure(Outcome.Kind.TRANSIENT_FAILURE, null, 0, null,
            "the stream broke off or stalled after its first event");

    private final UpstreamClient client;
    private final DialectBridge bridge;
    private final GatewaySettings settings;
    private final OpenStreams openStreams;
    private final RouteResumption resumption;

    public StreamUpstreamCall(UpstreamClient client, DialectBridge bridge, LeaseCredential leasing,
            GatewaySettings settings, OpenStreams openStreams) {
        super(leasing);
        this.client = client;
        this.bridge = bridge;
        this.settings = settings;
        this.openStreams = openStreams;
        this.resumption = new RouteResumption(client.vertx());
    }

    /** The first step of a streaming route: keep-alives run from here on, even while a credential is awaited. */
    public void openRelay(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        SseRelay relay = new SseRelay(client.vertx(), call, settings.keepAliveInterval(), settings.idleTimeout(),
                settings.requestDeadline(), settings.maxEventBytes());
        exchange.setProperty(RELAY, relay);
        openStreams.register(exchange, relay);
        relay.open();
    }

    @Override
    boolean attempt(Exchange exchange, AsyncCallback callback) {
        GatewayCall call = GatewayCall.of(exchange);
        SseRelay relay = exchange.getProperty(RELAY, SseRelay.class);
        Lease lease = call.lease();
        Credential credential = lease.credential();
        UpstreamAttempt<Void> attempt;
        try {
            StreamTranslator translator = bridge.streamTranslator(call, credential);
            UpstreamRequest request = bridge.upstreamRequest(call, credential);
            call.observer().attemptStarted(call, credential, request.headers()::set);
            attempt = client.send(request,
                    (response, self) -> relay.attach(response, self, translator, credential.answersIn(call.dialect())),
                    call::setCurrentAttempt);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        UpstreamWait.settled(call, lease, attempt).onComplete(started -> {
            if (started.failed()) {
                resumption.resume(exchange, callback, started.cause());
                return;
            }
            call.setFinalStatus(200);
            relay.finished().onSuccess(end -> {
                lease.release(switch (end) {
                    case COMPLETED -> Outcome.SUCCESS;
                    case CALLER_GONE -> Outcome.NEUTRAL;
                    case UPSTREAM_FAILED -> BROKE_OFF;
                });
                resumption.resume(exchange, callback, null);
            });
        });
        return false;
    }
}
