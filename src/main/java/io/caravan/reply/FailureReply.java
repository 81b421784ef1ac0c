package io.caravan.reply;

import io.caravan.bridge.DialectBridge;
import io.caravan.dialect.DialectErrors;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.CallerHeaders;
import io.caravan.exchange.GatewayCall;
import io.caravan.flow.StreamUpstreamCall;
import io.caravan.pool.NoCredentialException;
import io.caravan.pool.Outcome;
import io.caravan.relay.SseRelay;
import io.caravan.upstream.CallerGoneException;
import io.caravan.upstream.RotationPolicy.UpstreamBody;
import io.caravan.upstream.RotationPolicy;
import io.caravan.upstream.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request that ended in an error, always in the caller's dialect: the caller's own mistakes, no
 * credential available, the last upstream failure once rotation is over, or an unexpected fault (500, details in
 * the log only). When keep-alives already sent the SSE head, the error goes in-band instead.
 */
public final class FailureReply implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FailureReply.class);

    private final DialectBridge bridge;

    public FailureReply(DialectBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        GatewayCall call = GatewayCall.of(exchange);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (call == null) {
            LOG.error("Request failed before it was accepted", cause);
            return;
        }
        SseRelay relay = exchange.getProperty(StreamUpstreamCall.RELAY, SseRelay.class);
        if (relay != null) {
            relay.stopKeepAlive();
        }
        if (cause instanceof CallerGoneException || call.callerGone()) {
            call.setFinalStatus(499);
            call.channel().end();
            return;
        }
        if (cause instanceof CallerError error) {
            reply(exchange, call, error.status(), error.getMessage(), error.openAiCode(), error.retryAfter());
        } else if (cause instanceof NoCredentialException none) {
            noCredential(exchange, call, none);
        } else if (cause instanceof UpstreamFailure failure) {
            upstreamFailure(exchange, call, failure);
        } else {
            LOG.error("{} failed unexpectedly", call.requestId(), cause);
            reply(exchange, call, 500, "Internal gateway error (request " + call.requestId() + ")", null, null);
        }
    }

    private void noCredential(Exchange exchange, GatewayCall call, NoCredentialException none) {
        switch (none.reason()) {
            case MODEL_NOT_SERVED -> reply(exchange, call, 404, none.getMessage(), "model_not_found", null);
            case ALL_COOLING -> reply(exchange, call, 429, none.getMessage(), "rate_limit_exceeded", none.retryAfter());
            case ALL_BUSY -> reply(exchange, call, 503, none.getMessage(), "overloaded", none.retryAfter());
            // The upstreams are failing, not limiting this caller: unavailable, with when to try again.
            case ALL_FAILING -> reply(exchange, call, 503, none.getMessage(), null, none.retryAfter());
        }
    }

    private void upstreamFailure(Exchange exchange, GatewayCall call, UpstreamFailure failure) throws IOException {
        RotationPolicy rule = RotationPolicy.of(failure);
        if (streamHeadSent(call)) {
            inBand(exchange, call, failure.status(), describe(failure, rule));
            return;
        }
        Buffer upstreamError = rule.upstreamBody() == UpstreamBody.RELAYED && call.lease() != null
                ? bridge.errorBody(call, call.lease().credential(), failure) : null;
        if (upstreamError != null) {
            // Same status, same message: the upstream's own error reaches the caller (re-shaped if translated).
            String retryAfter = failure.headers().get(CallerHeaders.RETRY_AFTER);
            if (retryAfter == null && rule.credential() == Outcome.Kind.RATE_LIMITED) {
                // Said only in the body (Gemini's retryDelay): the caller's header says it too, in any dialect.
                Duration asked = rule.outcome(failure).retryAfter();
                retryAfter = asked == null ? null : Long.toString((asked.toMillis() + 999) / 1000);
            }
            call.channel().answer(failure.status(), CallerReply.JSON, call.requestId(), upstreamError,
                    retryAfter == null ? null : Map.of(CallerHeaders.RETRY_AFTER, retryAfter));
            call.setFinalStatus(failure.status());
            return;
        }
        // A rate limit answered in the gateway's words still says when to come back, as the upstream did.
        Duration retryAfter = rule.credential() == Outcome.Kind.RATE_LIMITED ? rule.outcome(failure).retryAfter() : null;
        reply(exchange, call, failure.status(), describe(failure, rule), null, retryAfter);
    }

    /** The gateway's own words for a failure whose upstream body does not reach the caller. */
    private static String describe(UpstreamFailure failure, RotationPolicy rule) {
        return switch (rule.upstreamBody()) {
            case WITHHELD -> "Every upstream credential serving this model was refused by its provider (HTTP "
                    + failure.status() + ")";
            case RELAYED -> "The upstream answered HTTP " + failure.status()
                    + (failure.body().isBlank() ? " with an empty body" : " with a body that is not an API error");
            case NONE -> switch (failure.kind()) {
                case NETWORK -> "The upstream could not be reached or broke off before answering";
                case TIMEOUT -> "The upstream did not answer in time";
                case STATUS, INVALID_ANSWER -> failure.getMessage();
            };
        };
    }

    private void reply(Exchange exchange, GatewayCall call, int status, String message, String openAiCode,
            Duration retryAfter) {
        if (streamHeadSent(call)) {
            inBand(exchange, call, status, message);
            return;
        }
        Buffer body = Buffer.buffer(DialectErrors.body(call.dialect(), status, message, openAiCode, call.requestId(),
                retryAfter));
        if (retryAfter != null) {
            CallerReply.json(call, status, body, (retryAfter.toMillis() + 999) / 1000);
        } else {
            CallerReply.json(call, status, body);
        }
    }

    private static boolean streamHeadSent(GatewayCall call) {
        return call.channel().headSent();
    }

    private static void inBand(Exchange exchange, GatewayCall call, int status, String message) {
        SseRelay relay = exchange.getProperty(StreamUpstreamCall.RELAY, SseRelay.class);
        call.setFinalStatus(status);
        if (relay != null) {
            relay.failInBand(status, message);
        } else {
            call.channel().end();
        }
    }
}
