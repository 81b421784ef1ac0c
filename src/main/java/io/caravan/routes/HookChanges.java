package io.caravan.routes;

import io.caravan.exchange.GatewayCall;
import io.caravan.ingress.RevisedRequest;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The step after the before-upstream hook: takes what the hook changed into the request, before a credential is
 * leased for it. Its {@code upstream-*} headers are added upstream, a {@value HookHeaders#MODEL} header it changed
 * sends the request to that model's credentials, and a body it changed (in place, or replaced by another map or by
 * JSON text) is the request every attempt sends ({@link RevisedRequest}).
 */
public final class HookChanges implements Processor {

    private final RevisedRequest revision;

    public HookChanges(RevisedRequest revision) {
        this.revision = revision;
    }

    @Override
    public void process(Exchange exchange) {
        HookHeaders.collectUpstreamHeaders(exchange);
        GatewayCall call = GatewayCall.of(exchange);
        Message message = exchange.getIn();
        Object body = message.getBody();
        if (body != call.json()) {
            body = body instanceof Map<?, ?> || body == null ? body : message.getBody(byte[].class);
        }
        revision.apply(call, body, exchange.getProperty(HookHeaders.FINGERPRINT, Integer.class),
                message.getHeader(HookHeaders.MODEL, String.class));
        message.setBody(call.json());
    }
}
