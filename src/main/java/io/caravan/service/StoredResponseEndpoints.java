package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.conversation.ResponseStore;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.RequestIds;
import io.caravan.ingress.ClientAuthenticator;
import io.caravan.reply.CallerReply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * {@code GET} and {@code DELETE /v1/responses/{id}}: the answers the gateway keeps ({@link ResponseStore}), read back
 * or forgotten, in the Responses API's shapes, by the client that made them only. Only what this gateway keeps is known here; deleting an answer a
 * native credential made forgets the gateway's copy and its pin, not the upstream's copy.
 */
public final class StoredResponseEndpoints {

    /** The path parameter platform-http sets as a message header. */
    public static final String ID_HEADER = "id";

    private final ClientAuthenticator authenticator;
    private final ResponseStore store;
    private final ObjectMapper mapper;

    public StoredResponseEndpoints(ClientAuthenticator authenticator, ResponseStore store, ObjectMapper mapper) {
        this.authenticator = authenticator;
        this.store = store;
        this.mapper = mapper;
    }

    public void get(Exchange exchange) {
        answer(exchange, false);
    }

    public void delete(Exchange exchange) {
        answer(exchange, true);
    }

    private void answer(Exchange exchange, boolean delete) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        HttpServerResponse response = http.getResponse();
        String requestId = RequestIds.next();
        String client = authenticator.client(http.getRequest()::getHeader);
        if (client == null) {
            CallerError refused = CallerError.unauthenticated();
            error(response, requestId, refused.status(), refused.getMessage(), refused.openAiCode());
            return;
        }
        String id = exchange.getIn().getHeader(ID_HEADER, String.class);
        ResponseStore.Stored stored = id == null ? null : store.find(id, client);
        if (stored == null) {
            error(response, requestId, 404, "No response with id '" + id + "' is kept by this gateway.", null);
        } else if (delete) {
            store.delete(id, client);
            ObjectNode deleted = mapper.createObjectNode();
            deleted.put("id", id);
            deleted.put("object", "response.deleted");
            deleted.put("deleted", true);
            CallerReply.send(response, requestId, 200, Buffer.buffer(deleted.toString()));
        } else {
            CallerReply.send(response, requestId, 200, Buffer.buffer(stored.answer()));
        }
    }

    private static void error(HttpServerResponse response, String requestId, int status, String message, String code) {
        CallerReply.send(response, requestId, status,
                Buffer.buffer(DialectErrors.body(Dialects.RESPONSES, status, message, code, requestId)));
    }
}
