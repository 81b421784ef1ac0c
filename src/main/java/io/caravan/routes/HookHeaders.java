package io.caravan.routes;

import io.caravan.dialect.TokenCounts;
import io.caravan.exchange.GatewayCall;
import io.caravan.ingress.RevisedRequest;
import io.caravan.support.LogSafe;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Moves data between the request's {@link GatewayCall} and the message headers the hook routes see. */
final class HookHeaders {

    static final String REQUEST_ID = "CaravanRequestId";
    static final String CLIENT = "CaravanClient";
    static final String MODEL = "CaravanModel";
    static final String CREDENTIAL = "CaravanCredential";
    static final String STATUS = "CaravanStatus";
    static final String ATTEMPTS = "CaravanAttempts";
    static final String INPUT_TOKENS = "CaravanInputTokens";
    static final String OUTPUT_TOKENS = "CaravanOutputTokens";
    /** The prefix of the headers above: a caller's headers with it are dropped, so a hook trusts what it reads. */
    static final String PREFIX = "Caravan";
    /** The exchange property holding the request map's {@link RevisedRequest#fingerprint} before the hook ran. */
    static final String FINGERPRINT = "caravan.hook-fingerprint";

    private HookHeaders() {
    }

    /**
     * Describes the request to the before-upstream hook, next to the caller's headers (its keys were removed at the
     * gate): which client sent it and the model it asked for, as sent, which the hook may change.
     */
    static void present(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        Message message = exchange.getIn();
        message.getHeaders().keySet().removeIf(name -> name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()));
        message.setHeader(REQUEST_ID, call.requestId());
        message.setHeader(CLIENT, call.request().client());
        message.setHeader(MODEL, call.model());
        exchange.setProperty(FINGERPRINT, RevisedRequest.fingerprint(call.json()));
    }

    /**
     * Takes the {@code upstream-*} headers a before-upstream hook set, to be added to every upstream attempt. Every
     * such header on the message is the hook's: the caller's own were dropped at the gate, and what the gateway
     * owns is filtered out when the upstream request is built.
     */
    static void collectUpstreamHeaders(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        for (Map.Entry<String, Object> h : exchange.getIn().getHeaders().entrySet()) {
            String name = h.getKey();
            if (name.regionMatches(true, 0, Hooks.UPSTREAM_HEADER_PREFIX, 0, Hooks.UPSTREAM_HEADER_PREFIX.length())
                    && h.getValue() != null) {
                call.extraUpstreamHeaders().put(name.substring(Hooks.UPSTREAM_HEADER_PREFIX.length()), h.getValue().toString());
            }
        }
    }

    /** Replaces the caller's headers with a description of the finished request, for the after-response hook. */
    static void describe(Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        Message message = exchange.getIn();
        message.removeHeaders("*");
        message.setHeader(REQUEST_ID, call.requestId());
        message.setHeader(CLIENT, call.request().client());
        // The model is the caller's text and hooks log it (the example does): escaped and cut like the access log's.
        message.setHeader(MODEL, call.model() == null ? null : LogSafe.text(call.model()));
        message.setHeader(CREDENTIAL, call.lease() != null ? call.lease().credential().name() : null);
        message.setHeader(STATUS, call.finalStatus());
        message.setHeader(ATTEMPTS, call.attempts());
        TokenCounts usage = call.usage();
        message.setHeader(INPUT_TOKENS, usage.input());
        message.setHeader(OUTPUT_TOKENS, usage.output());
    }
}
