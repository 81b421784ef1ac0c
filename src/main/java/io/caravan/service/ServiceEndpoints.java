package io.caravan.service;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.RequestIds;
import io.caravan.ingress.ClientAuthenticator;
import io.caravan.reply.CallerReply;
import io.caravan.reply.RouterErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** The endpoints answered by the gateway itself: liveness and the model list. */
public final class ServiceEndpoints {

    private static final Buffer HEALTHY = Buffer.buffer("{\"status\":\"ok\"}");

    private final ClientAuthenticator authenticator;
    private final ModelCatalog catalog;

    public ServiceEndpoints(ClientAuthenticator authenticator, ModelCatalog catalog) {
        this.authenticator = authenticator;
        this.catalog = catalog;
    }

    /** {@code GET /healthz}: no authentication, no upstream. */
    public void health(Exchange exchange) {
        HttpServerResponse response = exchange.getIn(HttpMessage.class).getResponse();
        CallerReply.send(response, null, 200, HEALTHY.copy());
    }

    /** {@code GET /v1/models}: the Anthropic shape when the caller sends {@code anthropic-version}. */
    public void models(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        HttpServerRequest request = http.getRequest();
        Dialect dialect = RouterErrors.dialectOf(request);
        String requestId = RequestIds.next();
        if (!authenticator.authenticated(request)) {
            CallerError refused = CallerError.unauthenticated();
            CallerReply.send(http.getResponse(), requestId, refused.status(), Buffer.buffer(
                    DialectErrors.body(dialect, refused.status(), refused.getMessage(), refused.openAiCode(), requestId)));
            return;
        }
        byte[] list = dialect == Dialects.ANTHROPIC ? catalog.anthropicList() : catalog.openAiList();
        CallerReply.send(http.getResponse(), requestId, 200, Buffer.buffer(list));
    }
}
