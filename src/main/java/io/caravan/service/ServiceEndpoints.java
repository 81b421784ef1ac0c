package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.clients.ClientSpec;
import io.caravan.clients.ModelAllowList;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.RequestIds;
import io.caravan.ingress.ClientAuthenticator;
import io.caravan.reply.CallerReply;
import io.caravan.reply.RouterErrors;
import io.caravan.usage.UsageStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** The endpoints answered by the gateway itself: liveness and the model list. */
public final class ServiceEndpoints {

    private final ClientAuthenticator authenticator;
    private final ModelCatalog catalog;
    private final UsageStore store;
    private final ObjectMapper mapper;

    /** @param store the usage database, {@code null} when none is configured */
    public ServiceEndpoints(ClientAuthenticator authenticator, ModelCatalog catalog, UsageStore store,
            ObjectMapper mapper) {
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.store = store;
        this.mapper = mapper;
    }

    /**
     * {@code GET /healthz}: no authentication, no upstream. Requests are served whatever the usage database does, so
     * the answer is a 200 either way; a database that cannot take the records makes it {@code degraded}, with why.
     */
    public void health(Exchange exchange) {
        HttpServerResponse response = exchange.getIn(HttpMessage.class).getResponse();
        ObjectNode storeHealth = AdminUsageEndpoints.health(mapper, store, false);
        ObjectNode health = mapper.createObjectNode();
        health.put("status", "unavailable".equals(storeHealth.path("status").asText()) ? "degraded" : "ok");
        health.set("usage_store", storeHealth);
        JsonAnswers.json(response, null, 200, health);
    }

    /**
     * {@code GET /v1/models}: the models the caller's key may use, in the Anthropic shape when the caller sends
     * {@code anthropic-version}.
     */
    public void models(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        HttpServerRequest request = http.getRequest();
        Dialect dialect = RouterErrors.dialectOf(request);
        String requestId = RequestIds.next();
        ClientSpec client;
        try {
            client = ClientAuthenticator.usable(authenticator.knownClient(request::getHeader));
        } catch (CallerError refused) {
            CallerReply.send(http.getResponse(), requestId, refused.status(), Buffer.buffer(
                    DialectErrors.body(dialect, refused.status(), refused.getMessage(), refused.openAiCode(), requestId)));
            return;
        }
        ModelAllowList allowed = client.models();
        byte[] list;
        if (dialect == Dialects.ANTHROPIC) {
            list = allowed.allowsAll() ? catalog.anthropicList() : catalog.anthropicList(allowed::allows);
        } else {
            list = allowed.allowsAll() ? catalog.openAiList() : catalog.openAiList(allowed::allows);
        }
        CallerReply.send(http.getResponse(), requestId, 200, Buffer.buffer(list));
    }
}
