package io.caravan.routes;

import io.caravan.exchange.GatewayCall;
import io.caravan.support.LogSafe;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Moves data between the request's {@link GatewayCall} and the message headers the hook routes see. */
final class HookHeaders {

    static final String REQUEST_ID = "CaravanRequestId";
    static final String MODEL = "CaravanModel";
    static final String CREDENTIAL = "CaravanCredential";
    static final String STATUS = "CaravanStatus";
    static final String ATTEMPTS = "CaravanAttempts";

    private HookHeaders() {
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
        // The model is the caller's text and hooks log it (the example does): escaped and cut like the access log's.
        message.setHeader(MODEL, call.model() == null ? null : LogSafe.text(call.model()));
        message.setHeader(CREDENTIAL, call.lease() != null ? call.lease().credential().name() : null);
        message.setHeader(STATUS, call.finalStatus());
        message.setHeader(ATTEMPTS, call.attempts());
    }
}
