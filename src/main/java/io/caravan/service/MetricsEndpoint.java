package io.caravan.service;

import io.caravan.exchange.RequestIds;
import io.caravan.ingress.AdminAuthenticator;
import io.caravan.metrics.GatewayMetrics;
import io.caravan.metrics.Scrape;
import io.caravan.reply.VertxCallerChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * {@code GET /metrics}: every metric in Prometheus's text format (or OpenMetrics, as the scraper's {@code Accept}
 * asks). It takes an admin key, as the admin API does (404 without any admin key, 401 without one), unless
 * {@code caravan.metrics.public} opens it. It runs on a worker thread: a scrape walks every series, thousands with
 * many models and clients, and reads the JVM's management beans, which is too long to hold an event loop for.
 */
public final class MetricsEndpoint {

    private final AdminAuthenticator admins;
    private final GatewayMetrics metrics;
    private final boolean open;

    /**
     * @param metrics the gateway's metrics, {@code null} when {@code caravan.metrics.enabled} is false (404)
     * @param open    whether a scrape needs no admin key ({@code caravan.metrics.public})
     */
    public MetricsEndpoint(AdminAuthenticator admins, GatewayMetrics metrics, boolean open) {
        this.admins = admins;
        this.metrics = metrics;
        this.open = open;
    }

    public void scrape(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        HttpServerRequest request = http.getRequest();
        String requestId;
        if (metrics == null) {
            JsonAnswers.error(http.getResponse(), RequestIds.next(), 404, "Unknown path " + request.path(), null);
            return;
        }
        if (open) {
            requestId = RequestIds.next();
        } else {
            AdminCall call = AdminCall.of(exchange, admins);
            if (call == null) {
                return;
            }
            requestId = call.requestId();
        }
        Scrape scrape = metrics.scrape(request.getHeader(HttpHeaders.ACCEPT));
        new VertxCallerChannel(http.getResponse()).answer(200, scrape.contentType(), requestId,
                Buffer.buffer(scrape.body()), null);
    }
}
