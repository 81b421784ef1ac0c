package io.caravan.flow;

import io.caravan.bridge.DialectBridge;
import io.caravan.exchange.GatewayCall;
import io.caravan.pool.Credential;
import io.caravan.pool.Lease;
import io.caravan.pool.Outcome;
import io.caravan.reply.CallerReply;
import io.caravan.upstream.UpstreamAttempt;
import io.caravan.upstream.UpstreamClient;
import io.caravan.upstream.UpstreamFailure;
import io.caravan.upstream.UpstreamRequest;
import io.caravan.upstream.WholeAnswer;
import io.vertx.core.buffer.Buffer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * Sends a non-streaming request with the leased credential (on a redelivery, the next one: see
 * {@link UpstreamCallStep}) and answers the caller with the whole upstream answer.
 * A failure is set on the exchange as {@link UpstreamFailure} for the redelivery policy to rotate on. No thread waits
 * for the upstream: the step is asynchronous.
 */
public final class UnaryUpstreamCall extends UpstreamCallStep {

    private final UpstreamClient client;
    private final DialectBridge bridge;
    private final int maxAnswerBytes;
    private final RouteResumption resumption;

    /** @param maxAnswerBytes the largest upstream answer held in memory; a larger one is an upstream fault */
    public UnaryUpstreamCall(UpstreamClient client, DialectBridge bridge, LeaseCredential leasing, int maxAnswerBytes) {
        super(leasing);
        this.client = client;
        this.bridge = bridge;
        this.maxAnswerBytes = maxAnswerBytes;
        this.resumption = new RouteResumption(client.vertx());
    }

    @Override
    boolean attempt(Exchange exchange, AsyncCallback callback) {
        GatewayCall call = GatewayCall.of(exchange);
        Lease lease = call.lease();
        Credential credential = lease.credential();
        UpstreamAttempt<Buffer> attempt;
        try {
            // The answer is checked and shaped for the caller before the attempt completes: an answer that is no
            // answer fails the attempt like any upstream fault, while rotation is still possible.
            UpstreamRequest request = bridge.upstreamRequest(call, credential);
            call.observer().attemptStarted(call, credential, request.headers()::set);
            attempt = client.send(request,
                    new WholeAnswer(maxAnswerBytes, answer -> bridge.responseBody(call, credential, answer)),
                    call::setCurrentAttempt);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        UpstreamWait.settled(call, lease, attempt).onComplete(settled -> {
            Throwable outcome = settled.cause();
            if (settled.succeeded()) {
                Buffer answer = settled.result();
                // On the event loop that received the answer: the caller gets it without waiting for a thread.
                try {
                    call.markFirstByte();
                    CallerReply.json(call, 200, answer);
                    lease.release(Outcome.SUCCESS);
                } catch (Exception e) {
                    outcome = e;
                }
            }
            resumption.resume(exchange, callback, outcome);
        });
        return false;
    }
}
