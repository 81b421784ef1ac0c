package io.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.clients.ClientLimiter;
import io.caravan.clients.ClientSpec;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.RequestIds;
import io.caravan.ingress.ClientAuthenticator;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * {@code GET /caravan/v1/me}: a caller's own view, with its own key: its name, allowed models, limits, what it used
 * this minute, today and this month, and what is left of its budget. Read from memory: no database on this path.
 */
public final class CallerAccountEndpoint {

    private final ClientAuthenticator authenticator;
    private final ClientLimiter limiter;
    private final ObjectMapper mapper;

    public CallerAccountEndpoint(ClientAuthenticator authenticator, ClientLimiter limiter, ObjectMapper mapper) {
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.mapper = mapper;
    }

    public void me(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        HttpServerRequest request = http.getRequest();
        HttpServerResponse response = http.getResponse();
        String requestId = RequestIds.next();
        ClientSpec client;
        try {
            client = ClientAuthenticator.usable(authenticator.knownClient(request));
        } catch (CallerError refused) {
            JsonAnswers.error(response, requestId, refused.status(), refused.getMessage(), refused.openAiCode());
            return;
        }
        JsonAnswers.json(response, requestId, 200,
                ClientViews.describe(mapper, client, limiter.usage(client, System.currentTimeMillis())));
    }
}
