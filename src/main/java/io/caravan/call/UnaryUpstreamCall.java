package io.caravan.call;

import io.caravan.config.GatewaySettings;
import io.caravan.pool.Credential;
import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamClient;
import io.caravan.upstream.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sends a non-streaming request with the leased credential and answers the caller with the whole upstream answer.
 * A failure is thrown as {@link UpstreamFailure} for the redelivery policy to rotate on.
 */
public final class UnaryUpstreamCall implements Processor {

    private final UpstreamClient client;
    private final DialectBridge bridge;
    private final GatewaySettings settings;

    public UnaryUpstreamCall(UpstreamClient client, DialectBridge bridge, GatewaySettings settings) {
        this.client = client;
        this.bridge = bridge;
        this.settings = settings;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        GatewayCall call = GatewayCall.of(exchange);
        Lease lease = call.lease();
        Credential credential = lease.credential();
        UpstreamAttempt<Buffer> attempt = client.send(call, credential, bridge.requestBody(call, credential),
                (response, self) -> response.body().onComplete(body -> {
                    if (body.succeeded()) {
                        self.complete(body.result());
                    } else {
                        self.fail(UpstreamFailure.network(self.credentialName(), "the answer broke off"));
                    }
                }));
        Buffer answer = UpstreamWait.await(call, lease, attempt, settings.requestDeadline());
        call.markFirstByte();
        CallerReply.json(call, 200, bridge.responseBody(call, credential, answer));
        lease.release(Outcome.SUCCESS);
    }
}
