package io.caravan.service;

import io.caravan.exchange.RequestIds;
import io.caravan.ingress.AdminAuthenticator;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** One admin request: refused here (404 when the admin API is off, 401 without an admin key) or let through. */
record AdminCall(HttpServerResponse response, String requestId) {

    /** The call, or {@code null} when it has been answered already. */
    static AdminCall of(Exchange exchange, AdminAuthenticator admins) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        AdminCall call = new AdminCall(http.getResponse(), RequestIds.next());
        if (!admins.enabled()) {
            call.error(404, "Unknown path " + http.getRequest().path(), null);
            return null;
        }
        if (!admins.authenticated(http.getRequest())) {
            call.error(401, "The admin API needs an admin key (caravan.admin-keys) as 'Authorization: Bearer "
                    + "<key>'", "invalid_api_key");
            return null;
        }
        return call;
    }

    void error(int status, String message, String code) {
        JsonAnswers.error(response, requestId, status, message, code);
    }
}
