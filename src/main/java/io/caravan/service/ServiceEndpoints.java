package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.clients.ClientSpec;
import io.caravan.clients.ModelAllowList;
import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.CallerRequest;
import io.caravan.exchange.RequestIds;
import io.caravan.ingress.ClientAuthenticator;
import io.caravan.ingress.ModelActionPath;
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
     * {@code GET /v1/models} and {@code GET /v1beta/models}: the models the caller's key may use, in the Anthropic
     * shape when the caller sends {@code anthropic-version}, in Gemini's for a Gemini caller.
     */
    public void models(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        Dialect dialect = RouterErrors.dialectOf(http.getRequest());
        String requestId = RequestIds.next();
        ClientSpec client = client(http, dialect, requestId);
        if (client == null) {
            return;
        }
        ModelAllowList allowed = client.models();
        byte[] list;
        if (dialect == Dialects.ANTHROPIC) {
            list = allowed.allowsAll() ? catalog.anthropicList() : catalog.anthropicList(allowed::allows);
        } else if (dialect == Dialects.GEMINI) {
            list = allowed.allowsAll() ? catalog.geminiList() : catalog.geminiList(allowed::allows);
        } else {
            list = allowed.allowsAll() ? catalog.openAiList() : catalog.openAiList(allowed::allows);
        }
        CallerReply.send(http.getResponse(), requestId, 200, Buffer.buffer(list));
    }

    /**
     * {@code GET /v1/models/{model}} and {@code GET /v1beta/models/{model}}: one model the caller's key may use, in
     * Gemini's shape for a Gemini caller, else OpenAI's; 404 for one it may not use or nobody serves.
     */
    public void model(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        Dialect dialect = RouterErrors.dialectOf(http.getRequest());
        String requestId = RequestIds.next();
        ClientSpec client = client(http, dialect, requestId);
        if (client == null) {
            return;
        }
        String name = exchange.getIn().getHeader(ModelActionPath.SEGMENT, String.class);
        byte[] model = name == null || !client.models().allows(ModelCatalog.withoutGeminiPrefix(name)) ? null
                : dialect == Dialects.GEMINI ? catalog.geminiModel(name) : catalog.openAiModel(name);
        if (model == null) {
            CallerReply.send(http.getResponse(), requestId, 404, Buffer.buffer(DialectErrors.body(dialect, 404,
                    "The model '" + name + "' does not exist or is not available to this key", "model_not_found",
                    requestId)));
            return;
        }
        CallerReply.send(http.getResponse(), requestId, 200, Buffer.buffer(model));
    }

    /** A {@code POST /v1beta/models/{model}:action} whose action the gateway does not serve: 404 in the caller's dialect. */
    public void unknownModelAction(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        Dialect dialect = RouterErrors.dialectOf(http.getRequest());
        String requestId = RequestIds.next();
        String action = exchange.getProperty(CallerRequest.PATH_ACTION, String.class);
        String message = action == null || action.isEmpty()
                ? "The path must end in the model and an action, as in /v1beta/models/gemini-2.5-flash:generateContent"
                : "Unknown action '" + action + "': this gateway serves generateContent, streamGenerateContent, "
                        + "countTokens, embedContent and batchEmbedContents";
        CallerReply.send(http.getResponse(), requestId, 404,
                Buffer.buffer(DialectErrors.body(dialect, 404, message, requestId)));
    }

    /** The client whose usable key the request presents, or {@code null} after answering the refusal. */
    private ClientSpec client(HttpMessage http, Dialect dialect, String requestId) {
        try {
            return ClientAuthenticator.usable(authenticator.knownClient(http.getRequest()));
        } catch (CallerError refused) {
            CallerReply.send(http.getResponse(), requestId, refused.status(), Buffer.buffer(
                    DialectErrors.body(dialect, refused.status(), refused.getMessage(), refused.openAiCode(), requestId)));
            return null;
        }
    }
}
